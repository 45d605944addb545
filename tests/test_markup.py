import re
from pathlib import Path

import html5lib
import pytest

from forum.markup import excerpt, render

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

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<script src="https://evil.example/x.js"></script>',
    "<script\n>alert(1)</script\n>",
    "<script/x>alert(1)</script>",
    "<<script>alert(1)//<</script>",
    "<script>alert(1)",
    "before\n\n<script>\nalert(1)\n</script>\n\nafter",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
]
EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x ONERROR=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\n=alert(1)>",
    "<img src=`x`onerror=alert(1)>",
    "<img src=x onerror=&#97;lert(1)>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<details/open/ontoggle=alert(1)><summary>x</summary></details>",
    "<video><source onerror=alert(1)></video>",
    "<video src=x onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<p onpointerenter=alert(1)>x</p>",
    "<x onclick=alert(1)>click",
    "<frameset onload=alert(1)>",
    "Inline <span onclick=alert(1)>html</span> here",
]
LINK_SCHEMES = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](livescript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](data:text/html;charset=utf-8,%3Cscript%3Ealert(1)%3C/script%3E)",
    "[x](DATA:text/html,alert(1))",
    "[x](data:application/x-javascript,alert(1))",
    "[x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:image/png;base64,iVBORw0KGgo=)",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1))",
    '[x](javascript:alert(1) "title")',
    "[x](javascript://%0aalert(1))",
    "[x](javascript:alert%281%29)",
    "[x](file:///etc/passwd)",
    "[x](jar:http://evil.example/x!/)",
    "[x](feed:javascript:alert(1))",
    "[x](javascript\\:alert(1))",
    "[x](\\javascript:alert(1))",
    "[x](java%73cript:alert(1))",
    "[x](javascript%3Aalert(1))",
    "[x](`javascript:alert(1)`)",
    "[x](javascript:alert(1)) and [y](<https://ok.example>)",
    "[![x](javascript:alert(1))](https://ok.example)",
    "[x](mailto:javascript:alert(1))",
    "[x](https:javascript:alert(1))",
    "[x](//evil.example/%0ajavascript:alert(1))",
    "[x](/\\evil.example)",
]
IMAGES = [
    "![x](javascript:alert(1))",
    "![x](vbscript:alert(1))",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](mailto:a@example.com)",
    "![x](MAILTO:a@example.com)",
    "![x](ftp://evil.example/a.png)",
    '![x" onerror="alert(1)](https://ok.example/a.png)',
    '![x](https://ok.example/a.png "t\\" onerror=\\"alert(1)")',
    "![x](https://ok.example/a.png 'a\" onerror=\"alert(1)')",
    '![x](https://ok.example/a.png "onerror=alert(1)")',
    "![x](x onerror=alert(1))",
    "![<img src=x onerror=alert(1)>](https://ok.example/a.png)",
    "![x](<javascript:alert(1)>)",
    "![x](&#106;avascript:alert(1))",
    "![x][ref]\n\n[ref]: javascript:alert(1)",
]
REFERENCES = [
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x]\n\n[x]: javascript:alert(1)",
    "[x][]\n\n[x]: vbscript:msgbox(1)",
    '[x][r]\n\n[r]: <javascript:alert(1)> "t"',
    "[x][r]\n\n[r]: &#106;avascript:alert(1)",
    "[x][r]\n\n[r]: data:text/html,alert(1)",
    '[x][r]\n\n[r]: https://ok.example "\\" onmouseover=\\"alert(1)"',
]
AUTOLINKS = [
    "<javascript:alert(1)>",
    "<JavaScript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,alert(1)>",
    "<javascript:alert(1)//http://ok.example>",
    '<https://ok.example/"onmouseover="alert(1)>',
    "<https://ok.example/><script>alert(1)</script>",
    '<a@example.com?x="onclick=alert(1)>',
]
ENCODED_SCHEMES = [
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#X6a;avascript:alert(1))",
    "[x](&#0000106;avascript:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](java&#x0A;script:alert(1))",
    "[x](java&#13;script:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](javascript&#x3a;alert(1))",
    "[x](javascript&NewLine;:alert(1))",
    "[x](&Tab;javascript:alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
]
CONTROL_CHARACTERS = [
    "[x](java\tscript:alert(1))",
    "[x](java\x00script:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](<\x0bjavascript:alert(1)>)",
    "[x](\x7fjavascript:alert(1))",
    "[x](<java\nscript:alert(1)>)",
    "[x](   javascript:alert(1))",
    "[x](\u200bjavascript:alert(1))",
    "[x](\u00a0javascript:alert(1))",
    "[x](javascript\u2028:alert(1))",
    "[x](%20javascript:alert(1))",
    "[x](%09javascript:alert(1))",
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
]
ATTRIBUTE_BREAKOUTS = [
    '[x](http://a.com" onmouseover="alert(1))',
    '[x](http://a.com"onmouseover="alert(1))',
    "[x](http://a.com'onmouseover='alert(1)')",
    '[x](http://a.com "title\\" onmouseover=\\"alert(1)")',
    "[x](http://a.com 'it\\'s' onclick='alert(1)')",
    '[x](http://a.com (title" onclick="alert(1)))',
    '[x](https://ok.example "a" onclick="alert(1)")',
    '[x" onclick="alert(1)](http://a.com)',
    "[x](http://a.com/<script>)",
    "[x](https://a.com/?q=<img src=x onerror=alert(1)>)",
    '[x](#" onclick="alert(1))',
    '[x](#"onclick="alert(1))',
]
RAW_HTML = [
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<isindex action="javascript:alert(1)" type=image>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="https://ok.example" target="_blank">x</a>',
    '<img src="javascript:alert(1)">',
    '<img srcset="javascript:alert(1) 1x">',
    "<div>\n\n[x](javascript:alert(1))\n\n</div>",
    '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
    '<applet code="x.class">',
    '<portal src="https://evil.example"></portal>',
    "<b>bold</b><i>italic</i>",
]
COMMENTS_AND_CDATA = [
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=alert(1)//"></svg>',
    '<?xml version="1.0"?><script>alert(1)</script>',
    "<!DOCTYPE html><script>alert(1)</script>",
]
UNICODE_ESCAPES = [
    "[x](\\u006aavascript:alert(1))",
    "[x](javascript\\u003aalert(1))",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "[x](\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1))",
    "<img src=x onerror=\\u0061lert(1)>",
]
MARKDOWN_CONTEXTS = [
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '```javascript" onclick="alert(1)\ncode\n```',
    '```" onmouseover="alert(1)\ncode\n```',
    "~~~python onload=alert(1)\ncode\n~~~",
    "    <script>alert(1)</script>",
    "**<script>**alert(1)**</script>**",
    "[<script>alert(1)</script>](https://ok.example)",
    "[x](https://ok.example)<script>alert(1)</script>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "| a |\n|:-:|\n| [x](javascript:alert(1)) |",
    "> <iframe src=javascript:alert(1)>",
    "- [x](javascript:alert(1))\n- <img src=x onerror=alert(1)>",
    "# <svg onload=alert(1)>",
    "Setext <svg/onload=alert(1)>\n===",
    "~~<img src=x onerror=alert(1)>~~",
    "\\<script>alert(1)\\</script>",
    "1. <script>alert(1)</script>",
]

PAYLOAD_GROUPS = {
    "script": SCRIPT_TAGS,
    "event": EVENT_HANDLERS,
    "scheme": LINK_SCHEMES,
    "image": IMAGES,
    "reference": REFERENCES,
    "autolink": AUTOLINKS,
    "entity": ENCODED_SCHEMES,
    "control": CONTROL_CHARACTERS,
    "breakout": ATTRIBUTE_BREAKOUTS,
    "html": RAW_HTML,
    "comment": COMMENTS_AND_CDATA,
    "unicode": UNICODE_ESCAPES,
    "markdown": MARKDOWN_CONTEXTS,
}
PAYLOADS = [
    pytest.param(payload, id=f"{group}-{i:02}")
    for group, payloads in PAYLOAD_GROUPS.items()
    for i, payload in enumerate(payloads)
]

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
    assert len(payloads) >= 120
    assert len(set(payloads)) == len(payloads)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_safely(payload):
    for context in CONTEXTS:
        assert_safe(render(context.format(payload)))


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
