"""A small Atom (RFC 4287) writer on the standard library's ElementTree, which escapes every
text and attribute. Entry content is HTML that forum/markup.py already sanitised, carried as
escaped text (``type="html"``)."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped; user text may contain them.
ET.register_namespace("", ATOM)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Entry:
    id: str  # a permanent URL
    title: str
    url: str
    updated: datetime
    published: datetime
    author: str
    html: str
    summary: str = ""


def clean(text):
    return _NOT_XML.sub("", text or "")


def timestamp(moment):
    """RFC 3339 in UTC, as Atom wants it (the forum stores naive UTC)."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def _add(parent, tag, text=None, **attributes):
    element = ET.SubElement(
        parent, f"{{{ATOM}}}{tag}", {k: clean(v) for k, v in attributes.items()}
    )
    if text is not None:
        element.text = clean(text)
    return element


def document(title, feed_url, page_url, entries, updated, subtitle=""):
    """The feed as UTF-8 bytes. ``updated`` is used when there are no entries."""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", feed_url)
    _add(feed, "title", title)
    if subtitle:
        _add(feed, "subtitle", subtitle)
    _add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    newest = max((entry.updated for entry in entries), default=updated)
    _add(feed, "updated", timestamp(newest))
    _add(feed, "generator", "forum")
    for entry in entries:
        item = _add(feed, "entry")
        _add(item, "id", entry.id)
        _add(item, "title", entry.title)
        _add(item, "link", rel="alternate", type="text/html", href=entry.url)
        _add(item, "published", timestamp(entry.published))
        _add(item, "updated", timestamp(entry.updated))
        _add(_add(item, "author"), "name", entry.author)
        if entry.summary:
            _add(item, "summary", entry.summary)
        _add(item, "content", entry.html, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
