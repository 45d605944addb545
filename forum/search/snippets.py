"""Highlighted snippets, cut from the best-matching post the reader may see.

Only the chosen window is run through the analyser (a cheap prefix scan finds the post and the
window first), so building twenty snippets costs a few milliseconds.
"""

import re

from markupsafe import Markup, escape

from forum.search.schema import ANALYZER

SNIPPET_CHARS = 240
LEAD_CHARS = 60  # context kept before the first match


def _prefix_pattern(terms, flags=re.IGNORECASE):
    prefixes = sorted({term[:5].lower() for term in terms if term}, key=len, reverse=True)
    if not prefixes:
        return None
    return re.compile("|".join(re.escape(prefix) for prefix in prefixes), flags)


def _densest(positions):
    """The match position that starts the window holding the most matches."""
    best, best_count = positions[0], 0
    for i, start in enumerate(positions):
        count = sum(1 for p in positions[i:] if p - start < SNIPPET_CHARS - LEAD_CHARS)
        if count > best_count:
            best, best_count = start, count
    return best


def _cut(text, start):
    """``text[start:start + SNIPPET_CHARS]`` widened or narrowed to word boundaries."""
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = start + SNIPPET_CHARS
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, min(end, len(text))


def _mark(window, terms):
    pieces, last = [], 0
    for token in ANALYZER(window, chars=True, removestops=False):
        if token.text in terms:
            pieces += [escape(window[last : token.startchar])]
            pieces += [Markup("<mark>%s</mark>") % window[token.startchar : token.endchar]]
            last = token.endchar
    pieces.append(escape(window[last:]))
    return Markup("").join(pieces)


def window(texts, terms):
    """``(text, start, end)``: the part of the text in ``texts`` (plain text, in order of
    preference) that matches ``terms`` (stems) most often, or the start of the first text when
    none match; None when every text is empty. Shared with the PostgreSQL backend."""
    texts = [text for text in texts if text]
    if not texts:
        return None
    # Counted in lowercased texts: several times faster than matching without case.
    counting = _prefix_pattern(terms, flags=0)
    scored = [
        (len(counting.findall(t.lower())) if counting else 0, -i) for i, t in enumerate(texts)
    ]
    hits, best = max(scored)
    text = texts[-best]
    start = 0
    if hits:
        pattern = _prefix_pattern(terms)
        positions = [m.start() for m in pattern.finditer(text)][:200]
        start = max(0, _densest(positions) - LEAD_CHARS)
    return (text, *_cut(text, start))


def framed(body, text, start, end):
    """``body`` (Markup for ``text[start:end]``) with "…" where the text goes on."""
    return Markup("").join(
        [Markup("… ") if start else Markup(""), body, Markup(" …") if end < len(text) else ""]
    )


def snippet(texts, terms):
    """A snippet from the text in ``texts`` (plain text, in order of preference) that matches
    ``terms`` (analysed tokens) most often; the start of the first text when none match."""
    found = window(texts, terms)
    if found is None:
        return Markup("")
    text, start, end = found
    return framed(_mark(text[start:end], terms), text, start, end)
