"""Absolute URLs, for links read away from the page: mail, feeds, sitemaps, canonical and
Open Graph tags. ``SITE_URL`` names the site (``https://community.example.com``); without it,
a request's own host is used, and outside a request (the worker, the CLI) a placeholder that
the log warns about."""

import logging

from flask import current_app, has_request_context, request

log = logging.getLogger(__name__)
FALLBACK = "http://localhost:5000"
_warned = False


def base_url():
    """The site's address without a trailing slash."""
    global _warned
    configured = current_app.config.get("SITE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    if not _warned:
        _warned = True
        log.warning("SITE_URL is not set: links in mail and feeds point to %s", FALLBACK)
    return FALLBACK


def absolute(endpoint, **values):
    """The absolute URL of ``endpoint``; values that are None are left out."""
    values = {name: value for name, value in values.items() if value is not None}
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
    )
    return base_url() + adapter.build(endpoint, values)


def host():
    """The site's host name (for Message-IDs and the default sender address)."""
    return base_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
