import re
from pathlib import Path

import bleach
import html5lib
import pytest

from forum.markup import _CLEANER_OPTIONS, _clean, _md, excerpt, excerpt_of_html, render
from tests.xss import load_payloads, script_problems

REL = "nofollow ugc noopener"

# The contract, written out independently of forum.markup so the tests do not just echo it.
ALLOWED_ATTRIBUTES = {
    "p": set(), "br": set(), "hr": set(), "strong": set(), "em": set(), "del": set(), "s": set(),
    "h1": set(), "h2": set(), "h3": set(), "h4": set(), "h5": set(), "h6": set(),
    "code": {"class"}, "pre": set(), "blockquote": set(), "ul": set(), "ol": {"start"},
    "li": set(), "a": {"href", "title", "rel"}, "img": {"src", "alt", "title"},
    "table": set(), "thead": set(), "tbody": set(), "tr": set(), "th": {"align"}, "td": {"align"},
}  # fmt: skip
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "form", "svg", "math", "object", "embed", "base", "meta", "link",
}  # fmt: skip
URL_SCHEMES = {"a": {"http", "https", "mailto"}, "img": {"http", "https"}}
HTML_NAMESPACE = "{http://www.w3.org/1999/xhtml}"

PAYLOADS = [pytest.param(payload, id=f"xss-{i:03}") for i, payload in enumerate(load_payloads())]

# A payload may behave differently inside another block, so each one is tried in several.
CONTEXTS = [
    "{}",
    "> {}",
    "- {}",
    "| a |\n|---|\n| {} |",
    "**{}**",
    "Text before {} text after.",
]

# Characters a browser ignores or that could hide a scheme; dropping every non-ASCII
# character is stricter than a browser, which is the safe direction for this check.
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\xa0\s]|[^\x00-\x7f]")
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def elements(markup):
    fragment = html5lib.parseFragment(markup, treebuilder="etree")
    return [el for el in fragment.iter() if isinstance(el.tag, str)][1:]


def url_scheme(url):
    match = SCHEME.match(URL_NOISE.sub("", url).lower())
    return match and match.group(1)


def assert_safe(markup):
    for el in elements(markup):
        assert el.tag.startswith(HTML_NAMESPACE), f"foreign element {el.tag} in {markup!r}"
        tag = el.tag.removeprefix(HTML_NAMESPACE)
        assert tag not in FORBIDDEN_TAGS, markup
        assert tag in ALLOWED_ATTRIBUTES, f"<{tag}> in {markup!r}"
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), markup
            assert name not in ("style", "target"), markup
            assert name in ALLOWED_ATTRIBUTES[tag], f"<{tag} {name}> in {markup!r}"
            if name in ("href", "src"):
                scheme = url_scheme(value)
                assert scheme is None or scheme in URL_SCHEMES[tag], f"{value!r} in {markup!r}"
        if tag == "a":
            assert el.get("rel") == REL, markup


def test_payload_list_is_large_and_has_no_duplicates():
    payloads = [param.values[0] for param in PAYLOADS]
    assert len(payloads) >= 500
    assert len(set(payloads)) == len(payloads)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_safely(payload):
    for context in CONTEXTS:
        output = render(context.format(payload))
        assert_safe(output)
        assert not script_problems(output), output
        if "7*7" in payload:  # template syntax is text, never evaluated
            assert "49" not in output and "7*7" in output


def test_script_problems_catches_what_it_should():
    for markup in (
        "<script>alert(1)</script>",
        '<svg><script href="data:,alert(1)"/></svg>',
        '<img src="x" onerror="alert(1)">',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<img srcset="https://ok.example/a.png 1x, javascript:alert(1) 2x">',
        '<video poster="javascript:alert(1)"></video>',
        '<form action="javascript:alert(1)"></form>',
        '<button formaction="javascript:alert(1)">x</button>',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<table background="javascript:alert(1)"></table>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<p style="width:expression(alert(1))">x</p>',
        "<style>@import 'https://evil.example/x.css';</style>",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<iframe src="https://evil.example"></iframe>',
        '<base href="https://evil.example/">',
    ):
        assert script_problems(markup), markup
    assert not script_problems('<a href="/t/1">x</a><a href="https://ok.example">y</a>')
    assert not script_problems('<a href="mailto:a@example.com">x</a><img src="//ok/a.png">')


def test_assert_safe_catches_what_it_should():
    for markup in (
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="java&#x09;script:alert(1)" rel="nofollow ugc noopener">x</a>',
        '<img src="mailto:a@example.com">',
        '<a href="https://ok.example">no rel</a>',
        '<p style="color:red">x</p>',
        "<svg></svg>",
    ):
        with pytest.raises(AssertionError):
            assert_safe(markup)


def test_emphasis_and_strikethrough():
    assert render("**bold** _italic_ ~~gone~~") == (
        "<p><strong>bold</strong> <em>italic</em> <s>gone</s></p>\n"
    )


def test_fenced_code_keeps_language_and_escapes_content():
    out = render("```python\nif a < b:\n    pass\n```")
    assert out == '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>\n'


def test_fenced_code_with_odd_language_loses_class():
    assert "class" not in render('```python" x\ncode\n```')
    assert "class" not in render("```C#\ncode\n```")


def test_inline_code():
    assert render("use `pip install`") == "<p>use <code>pip install</code></p>\n"


def test_lists_keep_start_number():
    out = render("- a\n- b\n\n3. c\n4. d")
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in out
    assert '<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>' in out


def test_table_alignment_becomes_align_attribute():
    out = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th align="left">a</th>' in out
    assert '<th align="center">b</th>' in out
    assert '<td align="right">3</td>' in out
    assert "style" not in out


def test_blockquote_and_headings():
    out = render("# Title\n\n### Sub\n\n> quoted\n\n---")
    assert "<h1>Title</h1>" in out
    assert "<h3>Sub</h3>" in out
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in out
    assert "<hr>" in out


def test_link_keeps_href_and_gets_rel():
    out = render('[docs](https://example.com/docs?a=1&b=2 "Docs")')
    assert out == (
        '<p><a href="https://example.com/docs?a=1&amp;b=2" title="Docs" '
        'rel="nofollow ugc noopener">docs</a></p>\n'
    )


def test_autolink_gets_rel():
    out = render("<https://example.com>")
    assert '<a href="https://example.com" rel="nofollow ugc noopener">' in out


@pytest.mark.parametrize("href", ["/threads/3", "#answer-2", "mailto:help@example.com"])
def test_relative_anchor_and_mailto_links_are_kept(href):
    assert f'<a href="{href}" rel="nofollow ugc noopener">' in render(f"[x]({href})")


def test_protocol_relative_link_is_kept_as_external():
    out = render("[x](//example.com/x)")
    assert '<a href="//example.com/x" rel="nofollow ugc noopener">' in out


@pytest.mark.parametrize("src", ["http://example.com/a.png", "https://example.com/a.png"])
def test_web_image_is_kept(src):
    assert render(f'![a cat]({src} "Cat")') == f'<p><img src="{src}" alt="a cat" title="Cat"></p>\n'


@pytest.mark.parametrize(
    "src", ["mailto:a@example.com", "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)"]
)
def test_image_with_other_scheme_loses_src(src):
    assert "src=" not in render(f"![x]({src})")


def test_raw_html_is_escaped_as_text():
    assert render("<b>raw</b>") == "<p>&lt;b&gt;raw&lt;/b&gt;</p>\n"


def test_javascript_link_is_left_as_text():
    assert render("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>\n"


def test_quotes_nested_past_the_cap_keep_their_text_and_what_follows():
    out = render(">" * 25 + " hello\n\nmy reply")
    assert out.count("<blockquote>") == 19
    assert "<p>&gt;&gt;&gt;&gt;&gt;&gt; hello</p>" in out
    assert out.endswith("<p>my reply</p>\n")


def test_lists_nested_past_the_cap_keep_their_items_as_text():
    out = render("".join("  " * depth + f"- item{depth}\n" for depth in range(12)))
    assert out.count("<ul>") == 9
    assert "<li>item8\n- item9\n- item10\n- item11</li>" in out


def test_empty_source():
    assert render("") == ""
    assert excerpt("") == ""


def test_excerpt_of_short_text_is_whole_plain_text():
    assert excerpt("**Hello**,\n\n  _world_ & `a < b`") == "Hello, world & a < b"


def test_excerpt_cuts_at_word_boundary():
    text = "The quick brown fox jumps over the lazy dog"
    assert excerpt(text, length=20) == "The quick brown fox…"
    assert excerpt(text, length=22) == "The quick brown fox…"
    assert excerpt(text, length=len(text)) == text


def test_excerpt_never_exceeds_length():
    text = "word " * 100
    for length in range(5, 120):
        out = excerpt(text, length)
        assert len(out) <= length
        assert out.endswith("word…")


def test_excerpt_cuts_a_single_long_word():
    assert excerpt("x" * 50, length=10) == "x" * 9 + "…"


def test_excerpt_drops_markup_and_escaped_html():
    out = excerpt("# Title\n\n<script>alert(1)</script> [link](https://example.com)")
    assert out == "Title <script>alert(1)</script> link"


def test_only_markup_imports_bleach():
    forum = Path(__file__).resolve().parents[1] / "forum"
    importers = {
        path.relative_to(forum).as_posix()
        for path in forum.rglob("*.py")
        if re.search(r"^\s*(import|from)\s+bleach\b", path.read_text(), re.MULTILINE)
    }
    assert importers <= {"markup.py"}


# forum.markup gives bleach a tokenizer and a tree walker of its own (for speed on long input);
# what comes out must be exactly what plain bleach.clean makes of the same HTML.

LONG_SHAPES = {
    "table": "| a | b |\n|:--|--:|\n" + "| **x** & `y` | [l](/t/1) <td> |\n" * 400,
    "list": "".join(
        f"- item {i} with [a link](https://example.com/{i}) and *em*\n" for i in range(400)
    ),
    "quotes": "".join(">" * (i % 30) + f" level {i} &amp; <b>\n" for i in range(300)),
    "entities": "<&>\"'" * 800 + "&amp;&#x41;&bogus;&#99999999;&" * 200,
    "nul": "a\x00b &\x00 <\x00> \x00\x00 `\x00` [\x00](/x)\n\n| \x00 |\n|---|\n| \x00 |",
    "code": "```html\n" + '<div class="x">&nbsp;</div>\n' * 500 + "```\n",
    "emphasis": "*a _b **c __d ~~e f~~ g__ h** i_ j* " * 300,
}
RAW_HTML = [
    "<table><tr><td>a</td>text<b>bold</b><tr><td>b</table>",  # foster parenting
    "<b>1<p>2</b>3</p>4 &amp; 5 &lt; 6",  # adoption agency
    "<svg><desc><b>x</b>text<![CDATA[<img src=x onerror=alert(1)>]]></desc></svg>",
    "<math><mi>x<![CDATA[a&b]]></mi></math>",
    "<textarea>\n&lt;a&gt;\x00</textarea><title>&amp;</title><pre>\n\nx</pre>",
    "<select><option>a&amp;b\x00</select><plaintext>&lt;p&gt;<p>",
    "<ul>" + "<li><a href='/x'>x</a> &amp; y</li>" * 300 + "</ul>",
]


def same_as_bleach(html_text):
    assert _clean("html", html_text) == bleach.clean(html_text, **_CLEANER_OPTIONS["html"])
    assert _clean("text", html_text) == bleach.clean(html_text, tags=set(), strip=True)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitising_gives_what_bleach_gives_for_each_payload(payload):
    same_as_bleach(payload)
    for context in CONTEXTS:
        same_as_bleach(_md.render(context.format(payload)))


@pytest.mark.parametrize("shape", LONG_SHAPES)
def test_sanitising_gives_what_bleach_gives_for_long_text(shape):
    same_as_bleach(_md.render(LONG_SHAPES[shape]))
    same_as_bleach(LONG_SHAPES[shape])


@pytest.mark.parametrize("html_text", RAW_HTML, ids=range(len(RAW_HTML)))
def test_sanitising_gives_what_bleach_gives_for_misnested_and_foreign_html(html_text):
    same_as_bleach(html_text)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "A short question about **sync**.",
        "Restore deleted files & folders. " * 2_000,  # the start of the HTML holds the excerpt
        "&amp;&lt;" * 5_000,  # entities across the point where the start is cut
        # Long link targets: the start of the HTML holds little text, so all of it is read.
        "".join(f"[{n}](https://example.com/{'x' * 300}/{n}) " for n in range(150)),
        "| a | b |\n|---|---|\n" + "| cell & more | `code` |\n" * 2_000,
        "word " * 39 + "longword" * 30,  # cut at a word boundary near the limit
    ],
)
def test_the_excerpt_of_stored_html_is_the_excerpt_of_its_markdown(body):
    for length in (40, 200, 300):
        assert excerpt_of_html(render(body), length) == excerpt(body, length)
