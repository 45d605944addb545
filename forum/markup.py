"""The one door through which user text becomes HTML.

Markdown is rendered by markdown-it-py with raw HTML disabled, so anything that looks like a tag
in the source comes out as escaped text. The result then goes through bleach with an explicit
allowlist, so even a renderer bug cannot smuggle in an element, attribute or URL scheme we did not
choose.

URLs: links may be http, https or mailto; images only http or https. Relative URLs (``/threads/3``)
and ``#anchors`` are kept as same-site. Protocol-relative URLs (``//example.com``) are kept and
treated like any external http link. Every ``<a>`` carries ``rel="nofollow ugc noopener"`` and no
``target``. No other module may import bleach.
"""

import html
import re

import bleach
from markdown_it import MarkdownIt

from forum.textinput import one_line_display

REL = "nofollow ugc noopener"

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s",
        "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

# Browsers drop tabs and newlines anywhere in a URL ("java\tscript:"); dropping every control,
# space and non-ASCII character is stricter, so nothing can hide a scheme from the check.
_URL_NOISE = re.compile(r"[`\x00-\x20\x7f-\xa0\s]+|[^\x00-\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_CODE_CLASS = re.compile(r"language-[a-z0-9+-]+")
_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _scheme_allowed(url, schemes):
    """Whether ``url`` is relative or uses one of ``schemes``, judged as a browser would read it."""
    normalized = _URL_NOISE.sub("", html.unescape(url)).lower()
    match = _SCHEME.match(normalized)
    return match is None or match.group(1) in schemes


def _allow_attribute(tag, name, value):
    if tag == "a":
        if name == "href":
            return _scheme_allowed(value, LINK_SCHEMES)
        return name == "title" or (name == "rel" and value == REL)
    if tag == "img":
        if name == "src":
            return _scheme_allowed(value, IMAGE_SCHEMES)
        return name in ("alt", "title")
    if tag in ("th", "td"):
        return name == "align" and value in ("left", "center", "right")
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "code":
        return name == "class" and _CODE_CLASS.fullmatch(value) is not None
    return False


def _forum_attributes(state):
    """Mark every link as user content and turn table alignment styles into ``align``."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            align = _ALIGN.get(token.attrs.pop("style", ""))
            if align:
                token.attrs["align"] = align
        for child in token.children or ():
            if child.type == "link_open":
                child.attrs["rel"] = REL


_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])
_md.core.ruler.push("forum_attributes", _forum_attributes)


def render(source: str) -> str:
    """Render user Markdown to HTML that is safe to mark ``|safe`` in a template."""
    # bleach.clean builds a fresh Cleaner per call; a shared Cleaner is not thread-safe.
    return bleach.clean(
        _md.render(source or ""),
        tags=ALLOWED_TAGS,
        attributes=_allow_attribute,
        protocols=LINK_SCHEMES,
        strip=False,
        strip_comments=True,
    )


def excerpt(source: str, length: int = 200) -> str:
    """Plain text of the Markdown, whitespace collapsed, cut at a word boundary within ``length``.

    The result is unescaped text (``<`` stays ``<``); let the template escape it.
    """
    text = bleach.clean(render(source), tags=set(), strip=True)
    # An excerpt sits inside a line of other text: nothing in it may reorder or hide that text.
    text = " ".join(one_line_display(html.unescape(text)).split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if not text[length - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"
