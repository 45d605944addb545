"""Reading a Stack Exchange data dump: ``Posts.xml`` and, when present, ``Users.xml`` and
``Comments.xml``, one ``<row …/>`` element per item, streamed.

The files of a big site are gigabytes, so they are never loaded whole: ``iterparse`` hands
over one row at a time and each row is cleared (and detached from the root) once read, which
keeps memory flat however long the file is.

The fields used (see the dump's readme, https://meta.stackexchange.com/q/2677):
Posts: Id, PostTypeId (1 question, 2 answer), ParentId, AcceptedAnswerId, CreationDate,
Score, Body (HTML), OwnerUserId, OwnerDisplayName, LastEditDate, Title, Tags (``<a><b>`` in
older dumps, ``|a|b|`` in newer ones), ClosedDate. Users: Id, DisplayName, CreationDate.
Comments: Id, PostId, Text (plain text with Markdown-ish mini markup), CreationDate, UserId,
UserDisplayName.
"""

import os
import re
import xml.etree.ElementTree as ET
from datetime import datetime

FILES = {"users": "Users.xml", "posts": "Posts.xml", "comments": "Comments.xml"}
_TAGS = re.compile(r"<([^<>]+)>|\|([^|]+)(?=\|)")


class DumpError(Exception):
    """The directory is not a dump we can read."""


def path(directory, kind):
    """The file for ``kind`` in ``directory`` (the names are matched case-insensitively),
    or None."""
    wanted = FILES[kind].lower()
    for name in os.listdir(directory):
        if name.lower() == wanted:
            return os.path.join(directory, name)
    return None


def rows(filename):
    """Every ``<row>`` of the file as a dict of its attributes, in file order."""
    try:
        context = ET.iterparse(filename, events=("start", "end"))
        _, root = next(context)
        for event, element in context:
            if event == "end" and element.tag == "row":
                yield dict(element.attrib)
                element.clear()
                root.clear()  # drop the cleared rows the root still holds
    except ET.ParseError as error:
        raise DumpError(f"{os.path.basename(filename)} is not well-formed XML: {error}") from None


def when(value):
    """A dump timestamp (``2014-05-13T23:58:30.457``) as a naive UTC datetime, or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.rstrip("Z"))
    except ValueError:
        return None


def tags(value):
    """``<a><b>`` or ``|a|b|`` → ``["a", "b"]``."""
    return [a or b for a, b in _TAGS.findall(value or "") if (a or b).strip()]


def number(value):
    """An id attribute as an int, or None for missing or odd values (``-1`` is the
    Community user, a real id)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
