"""Line diffs between two article revisions, as rows the template escapes itself."""

import difflib
from dataclasses import dataclass

FIELDS = ("title", "summary", "body")


@dataclass
class Line:
    kind: str  # "add", "remove", "context" or "hunk"
    text: str


def field_diff(old, new):
    """Unified-diff lines (3 lines of context) turning ``old`` into ``new``; [] when equal."""
    lines = difflib.unified_diff(
        (old or "").splitlines(), (new or "").splitlines(), lineterm="", n=3
    )
    out = []
    for line in list(lines)[2:]:  # skip the ---/+++ file headers
        kind = {"+": "add", "-": "remove", "@": "hunk"}.get(line[:1], "context")
        out.append(Line(kind, line if kind == "hunk" else line[1:]))
    return out


def revision_diff(old, new):
    """``{field: [Line]}`` for each field that differs between revisions ``old`` (or None, for
    the first revision) and ``new``."""
    diffs = {}
    for name in FIELDS:
        before = getattr(old, name) if old is not None else ""
        lines = field_diff(before, getattr(new, name))
        if lines:
            diffs[name] = lines
    return diffs
