"""HTML (as Stack Exchange stores post bodies) → the forum's Markdown.

A small converter on ``html.parser``: it builds a tree, then writes Markdown for paragraphs,
line breaks, links, inline and block code, emphasis, lists, block quotes, headings, images,
rules and simple tables. Elements it does not know keep their text. Text is escaped so that
it reads as the same text once rendered (``*``, ``_``, ``[``, ``<``, a ``#`` or ``1.`` at the
start of a line, …); the forum then renders and sanitises the Markdown like any post, so the
HTML of the dump never reaches a page.
"""

import re
from html.parser import HTMLParser

VERSION = 1  # bump when the output changes: a re-import then rewrites every post
VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "col", "source"}
BLOCK = {
    "p", "div", "pre", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "table", "thead", "tbody", "tfoot", "tr", "section", "article", "aside", "dl",
    "dt", "dd", "figure", "details", "summary",
}  # fmt: skip
SKIP = {"script", "style", "head", "title", "template", "iframe", "object", "svg"}
LINK_SCHEMES = ("http://", "https://", "mailto:", "/", "#")

_SPACE = re.compile(r"[ \t\r\n\f]+")
_ESCAPE = re.compile(r"([\\`*\[\]<>|~])")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#+\-=])", re.MULTILINE)
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


class Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag, attrs=None):
        self.tag, self.attrs, self.children = tag, dict(attrs or {}), []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if self.skipping or tag in SKIP:
            self.skipping += tag not in VOID
            return
        node = Node(tag, attrs)
        if tag in ("p", "li") and self.stack[-1].tag == tag:
            self.stack.pop()  # <p>a<p>b: the second paragraph closes the first
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        if not self.skipping:
            self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= tag in SKIP
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.skipping:
            self.stack[-1].children.append(data)


def convert(html):
    """Markdown for ``html``: blocks separated by blank lines, no trailing whitespace."""
    parser = _TreeBuilder()
    parser.feed(html or "")
    parser.close()
    return _blocks(parser.root.children).strip()


def escape(text):
    """``text`` with everything Markdown would read as markup backslash-escaped."""
    text = _ESCAPE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return _ENTITY.sub(r"\\&", text)


def _escape_line_starts(text):
    text = _LINE_START.sub(r"\1\\\2", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


def _is_block(node):
    return not isinstance(node, str) and node.tag in BLOCK


def _blocks(children, separator="\n\n"):
    """Children that may mix block elements and inline content → Markdown blocks."""
    out, run = [], []
    for child in children:
        if _is_block(child):
            out.append(_inline_paragraph(run))
            run = []
            out.append(_block(child))
        else:
            run.append(child)
    out.append(_inline_paragraph(run))
    return separator.join(block for block in out if block.strip())


def _inline_paragraph(nodes):
    text = _inline(nodes)
    lines = [line.strip() for line in text.split("\n")]
    return _escape_line_starts("\n".join(lines).strip())


def _block(node):
    tag = node.tag
    if tag == "p":
        return _inline_paragraph(node.children)
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = " ".join(_inline(node.children).replace("\\\n", " ").split())
        return f"{'#' * int(tag[1])} {text}" if text else ""
    if tag == "pre":
        return _code_block(node)
    if tag == "blockquote":
        inner = _blocks(node.children)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if tag in ("ul", "ol"):
        return _list(node)
    if tag == "hr":
        return "* * *"
    if tag == "table":
        return _table(node)
    return _blocks(node.children)


def _code_block(node):
    code = node.text().strip("\n")
    classes = " ".join(
        n.attrs.get("class") or "" for n in [node, *node.children] if isinstance(n, Node)
    )
    match = re.search(r"\b(?:lang|language)-([A-Za-z0-9+#-]+)", classes)
    fence = "`" * max(3, _longest_run(code, "`") + 1)
    return f"{fence}{match.group(1) if match else ''}\n{code}\n{fence}"


def _list(node):
    ordered = node.tag == "ol"
    number = int(node.attrs.get("start") or 1) if str(node.attrs.get("start", "1")).isdigit() else 1
    items = []
    # A list whose items hold paragraphs is "loose" (blank lines between items); a tight
    # one keeps each item's nested blocks on the next line, or it would turn loose.
    loose = any(
        isinstance(li, Node) and any(isinstance(c, Node) and c.tag == "p" for c in li.children)
        for li in node.children
    )
    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                child = Node("li", {})
                child.children.append(child)
            else:
                continue
        marker = f"{number}." if ordered else "-"
        separator = "\n\n" if loose else "\n"
        body = _blocks(child.children if child.tag == "li" else [child], separator)
        pad = " " * (len(marker) + 1)
        lines = body.split("\n")
        rest = [pad + line if line else "" for line in lines[1:]]
        items.append("\n".join([f"{marker} {lines[0]}".rstrip(), *rest]))
        number += 1
    return ("\n\n" if loose else "\n").join(items)


def _table(node):
    rows = []
    for tr in _descendants(node, "tr"):
        cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
        rows.append([" ".join(_inline(c.children).replace("\\\n", " ").split()) for c in cells])
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _descendants(node, tag):
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                yield child
            else:
                yield from _descendants(child, tag)


def _longest_run(text, char):
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)


def _inline(nodes):
    return "".join(_inline_node(node) for node in nodes)


def _inline_node(node):
    if isinstance(node, str):
        return escape(_SPACE.sub(" ", node))
    tag = node.tag
    if tag == "br":
        return "\\\n"
    if tag in ("em", "i"):
        return _wrap(_inline(node.children), "*")
    if tag in ("strong", "b"):
        return _wrap(_inline(node.children), "**")
    if tag in ("del", "s", "strike"):
        return _wrap(_inline(node.children), "~~")
    if tag in ("code", "kbd", "tt", "samp"):
        return _code_span(node.text())
    if tag == "a":
        return _link(node)
    if tag == "img":
        return _image(node)
    if _is_block(node):  # a block inside inline content (e.g. a list in a paragraph)
        return "\n" + _block(node) + "\n"
    return _inline(node.children)


def _wrap(text, mark):
    """Emphasis that Markdown recognises: the marks hug the text, spaces go outside."""
    if not text.strip():
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{text.strip()}{mark}{trail}"


def _code_span(code):
    code = _SPACE.sub(" ", code)
    if not code.strip():
        return code
    ticks = "`" * (_longest_run(code, "`") + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _destination(url):
    url = (url or "").strip()
    if not url.lower().startswith(LINK_SCHEMES):
        return None
    if re.search(r"[\s()<>]", url):
        return "<" + re.sub(r"[\s<>]", lambda m: f"%{ord(m.group()):02X}", url) + ">"
    return url


def _title(node):
    title = " ".join((node.attrs.get("title") or "").split())
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"' if title else ""


def _link(node):
    text = _inline(node.children).strip()
    href = _destination(node.attrs.get("href"))
    if href is None:
        return text
    if not text:
        text = escape(node.attrs.get("href", ""))
    return f"[{text}]({href}{_title(node)})"


def _image(node):
    src = _destination(node.attrs.get("src"))
    alt = escape(" ".join((node.attrs.get("alt") or "").split()))
    if src is None or src.startswith(("mailto:", "#")):
        return alt
    return f"![{alt}]({src}{_title(node)})"
