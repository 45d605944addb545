"""The one door through which user text becomes HTML.

Markdown is rendered by markdown-it-py with raw HTML disabled, so anything that looks like a tag
in the source comes out as escaped text. The result then goes through bleach with an explicit
allowlist, so even a renderer bug cannot smuggle in an element, attribute or URL scheme we did not
choose.

URLs: links may be http, https or mailto; images only http or https. Relative URLs (``/threads/3``)
and ``#anchors`` are kept as same-site. Protocol-relative URLs (``//example.com``) are kept and
treated like any external http link. Every ``<a>`` carries ``rel="nofollow ugc noopener"`` and no
``target``. No other module may import bleach.

Sanitising is bleach's own: its tokenizer, tree construction, sanitiser and serializer. Two
pieces are swapped, ``_TextRunTokenizer`` feeding the tree and ``_Walker`` reading it, for ones
that build and walk the same tree without the quadratic steps the originals take on a long text
or a long table; tests/test_markup.py checks the output against plain ``bleach.clean``.
"""

import html
import re
import threading

from bleach import html5lib_shim
from bleach.sanitizer import Cleaner
from markdown_it import MarkdownIt
from markdown_it.rules_block import blockquote, list_block

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


def _within_nesting(rule, levels):
    """``rule``, declining to open a container whose content would sit ``levels`` deeper.

    Past maxNesting (20 levels: 19 quotes, or 9 lists) markdown-it drops the rest of the
    container unread, which can be the rest of the post. Declined, the markers stay as text.
    The cap itself stays: raising it makes every ``[`` cost more (see bench/RESULTS.md).
    """
    limit = _md.options["maxNesting"]

    def rule_within_nesting(state, start_line, end_line, silent):
        return state.level + levels < limit and rule(state, start_line, end_line, silent)

    return rule_within_nesting


# The rules that can end a paragraph or another block stay as in markdown_it/parser_block.py.
_md.block.ruler.at(
    "blockquote",
    _within_nesting(blockquote, 1),
    {"alt": ["paragraph", "reference", "blockquote", "list"]},
)
_md.block.ruler.at(
    "list", _within_nesting(list_block, 2), {"alt": ["paragraph", "reference", "blockquote"]}
)

_CHARACTERS = html5lib_shim.TAG_TOKEN_TYPE_CHARACTERS


class _TextRunTokenizer(html5lib_shim.BleachHTMLTokenizer):
    """bleach's tokenizer, giving each run of text as one token.

    It cuts text at every ``&`` (``&lt;`` comes as ``&`` and ``lt;``), and html5lib's tree builder
    adds each piece to the text so far by copying it: n² steps for a text with n entities. Every
    insertion mode treats consecutive character tokens as it treats their joined text, except
    that some drop a token that is exactly a NUL, so that one stays alone. Reading ahead to the
    end of a run is safe: the parser switches the tokenizer's state only on tags, and the one
    thing the tokenizer reads from the tree (whether ``<![CDATA[`` sits in SVG or MathML) cannot
    arise, as bleach's tokenizer turns every tag outside the allowlist, ``<svg>`` and ``<math>``
    included, into text.
    """

    def __iter__(self):
        run = []
        for token in super().__iter__():
            if token["type"] == _CHARACTERS and token["data"] != "\x00":
                run.append(token["data"])
                continue
            if run:
                yield {"type": _CHARACTERS, "data": "".join(run)}
                run = []
            yield token
        if run:
            yield {"type": _CHARACTERS, "data": "".join(run)}


class _Parser(html5lib_shim.BleachHTMLParser):
    def _parse(self, stream, innerHTML=False, container="div", scripting=True, **kwargs):
        # bleach's own _parse (6.x), with the tokenizer above.
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _TextRunTokenizer(
            stream=stream, consume_entities=self.consume_entities, parser=self, **kwargs
        )
        self.reset()
        try:
            self.mainLoop()
        except html5lib_shim.ReparseException:
            self.reset()
            self.mainLoop()


class _Walker(html5lib_shim.getTreeWalker("etree")):
    """html5lib's walk of an ElementTree, which keeps each element's index on its stack.

    Upstream, climbing out of an element finds its index again by searching its siblings, twice:
    n² steps for a table of n rows or a list of n items. Nodes are the same tuples (element,
    index in its parent, ancestors, "text" / "tail" / None), but the ancestors are kept as
    (element, index) pairs.
    """

    def getFirstChild(self, node):
        element, key, ancestors, flag = node if isinstance(node, tuple) else (node, None, [], None)
        if flag in ("text", "tail"):
            return None
        if element.text:
            return element, key, ancestors, "text"
        return self._descend(element, key, ancestors)

    def getNextSibling(self, node):
        if not isinstance(node, tuple):
            return None
        element, key, ancestors, flag = node
        if flag == "text":
            return self._descend(element, key, ancestors)
        if element.tail and flag != "tail":
            return element, key, ancestors, "tail"
        parent = ancestors[-1][0]
        if key < len(parent) - 1:
            return parent[key + 1], key + 1, ancestors, None
        return None

    def getParentNode(self, node):
        if not isinstance(node, tuple):
            return None
        element, key, ancestors, flag = node
        if flag == "text":
            return (element, key, ancestors, None) if ancestors else element
        parent, parent_key = ancestors.pop()
        return (parent, parent_key, ancestors, None) if ancestors else parent

    @staticmethod
    def _descend(element, key, ancestors):
        if not len(element):
            return None
        ancestors.append((element, key))
        return element[0], 0, ancestors, None


# The same arguments as the bleach.clean calls these replaced.
_CLEANER_OPTIONS = {
    "html": {
        "tags": ALLOWED_TAGS,
        "attributes": _allow_attribute,
        "protocols": LINK_SCHEMES,
        "strip": False,
        "strip_comments": True,
    },
    "text": {"tags": set(), "strip": True},
}
_per_thread = threading.local()


def _clean(kind, markup):
    """``markup`` through this thread's bleach Cleaner of ``kind`` (see _CLEANER_OPTIONS)."""
    # A Cleaner keeps the state of its parse, so it must not be shared between threads; building
    # one per call, as bleach.clean does, costs about 50 µs.
    cleaner = getattr(_per_thread, kind, None)
    if cleaner is None:
        cleaner = Cleaner(**_CLEANER_OPTIONS[kind])
        cleaner.parser = _Parser(
            tags=cleaner.tags, strip=cleaner.strip, consume_entities=False,
            namespaceHTMLElements=False,
        )  # fmt: skip
        cleaner.walker = _Walker
        setattr(_per_thread, kind, cleaner)
    return cleaner.clean(markup)


def render(source: str) -> str:
    """Render user Markdown to HTML that is safe to mark ``|safe`` in a template."""
    return _clean("html", _md.render(source or ""))


def excerpt(source: str, length: int = 200) -> str:
    """Plain text of the Markdown, whitespace collapsed, cut at a word boundary within ``length``.

    The result is unescaped text (``<`` stays ``<``); let the template escape it.
    """
    return _cut(_plain(render(source)), length)


# excerpt_of_html reads this many characters of HTML per character of excerpt first.
_HTML_PER_CHAR = 20


def excerpt_of_html(rendered: str, length: int = 200) -> str:
    """``excerpt`` of a post's stored HTML (``Post.html``, which ``render`` made), without
    rendering its Markdown again: a question of 50,000 characters took 0.3 s to render, up to
    1.5 s when hostile. Reads the start of the HTML first and the whole only when the start
    does not hold the excerpt with room to spare (the start's last characters may come from a
    cut tag or entity)."""
    rendered = rendered or ""
    head = rendered[: length * _HTML_PER_CHAR]
    text = _plain(head)
    if len(head) < len(rendered) and len(text) <= length + 40:
        text = _plain(rendered)
    return _cut(text, length)


def _plain(rendered):
    text = _clean("text", rendered)
    # An excerpt sits inside a line of other text: nothing in it may reorder or hide that text.
    return " ".join(one_line_display(html.unescape(text)).split())


def _cut(text, length):
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if not text[length - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"
