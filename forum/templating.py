"""Jinja filters and globals."""

from forum import markup
from forum.clock import utcnow
from forum.site import absolute


def ago(moment):
    """'5 minutes ago', '3 days ago', or the date for anything older than a month."""
    seconds = int((utcnow() - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            if unit == "day" and count > 30:
                return moment.strftime("%-d %b %Y")
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def register(app):
    app.add_template_filter(ago)
    app.add_template_filter(markup.excerpt, "excerpt")
    app.add_template_global(absolute, "absolute_url")
