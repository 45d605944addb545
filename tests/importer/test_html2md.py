"""The HTML → Markdown converter: what the reader sees after our renderer is what the
Stack Exchange page showed, and nothing in the text turns into markup."""

import pytest

from forum import markup
from forum.importer.html2md import convert


def rendered(html):
    return markup.render(convert(html))


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>Hello <b>bold</b> and <em>em</em></p>", "Hello **bold** and *em*"),
        ("<p>a<br>b</p>", "a\\\nb"),
        ("<h2>Title <code>x</code></h2>", "## Title `x`"),
        ("<p>Use <code>a `b` c</code></p>", "Use ``a `b` c``"),
        (
            '<p><a href="https://example.com/x" title="T">site</a></p>',
            '[site](https://example.com/x "T")',
        ),
        (
            '<p><img src="https://i.example.com/a.png" alt="shot"></p>',
            "![shot](https://i.example.com/a.png)",
        ),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ('<ol start="3"><li>three</li><li>four</li></ol>', "3. three\n4. four"),
        ("<blockquote><p>quoted</p><p>more</p></blockquote>", "> quoted\n>\n> more"),
        ("<p>x</p><hr><p>y</p>", "x\n\n* * *\n\ny"),
        ("<p>del <s>old</s></p>", "del ~~old~~"),
    ],
)
def test_elements(html, markdown):
    assert convert(html) == markdown


def test_code_block_keeps_its_text_language_and_backticks():
    html = (
        '<pre class="lang-py prettyprint-override"><code>def f():\n    return "```"\n</code></pre>'
    )
    assert convert(html) == '````py\ndef f():\n    return "```"\n````'
    assert 'class="language-py"' in rendered(html)
    assert "return &quot;```&quot;" in rendered(html)


def test_nested_lists_stay_tight_and_paragraph_items_loose():
    tight = "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>"
    assert convert(tight) == "- one\n- two\n  - nested"
    assert rendered(tight) == (
        "<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n"
    )
    loose = "<ol><li><p>para</p><p>two</p></li><li><p>x</p></li></ol>"
    assert "<p>para</p>\n<p>two</p>" in rendered(loose)


@pytest.mark.parametrize(
    "text",
    [
        "2 * 3 * 4",
        "_not emphasis_",
        "[not a link](http://x)",
        "# not a heading",
        "1. not a list",
        "12) nor this",
        "- nor this",
        "> nor a quote",
        "| a | b |",
        "~~not struck~~",
        "`not code`",
        "&copy; stays literal",
        "<script>alert(1)</script>",
        "back\\slash",
    ],
)
def test_text_that_looks_like_markdown_stays_text(text):
    from html import escape

    html = f"<p>{escape(text)}</p>"
    assert rendered(html) == f"<p>{escape(text, quote=False)}</p>\n"


def test_snake_case_is_left_alone():
    assert convert("<p>snake_case_name</p>") == "snake_case_name"


def test_unsafe_links_and_images_keep_only_their_text():
    html = '<p><a href="javascript:alert(1)">click</a> <img src="data:x" alt="pic"></p>'
    assert convert(html) == "click pic"


def test_link_with_parentheses_and_spaces():
    html = '<p><a href="https://en.example.org/wiki/A_(b) c">wiki</a></p>'
    assert '<a href="https://en.example.org/wiki/A_(b)%20c"' in rendered(html)


def test_table():
    html = "<table><tr><th>a</th><th>b|c</th></tr><tr><td>1</td><td>2</td></tr></table>"
    assert convert(html) == "| a | b\\|c |\n| --- | --- |\n| 1 | 2 |"
    assert "<th>b|c</th>" in rendered(html)


def test_scripts_and_styles_are_dropped_unknown_tags_keep_their_text():
    html = "<div><script>x()</script><style>p{}</style><span>kept</span> <sup>2</sup></div>"
    assert convert(html) == "kept 2"


def test_unicode_and_entities():
    assert convert("<p>Ça &amp; 日本語 &lt;3 👍</p>") == "Ça & 日本語 \\<3 👍"


def test_badly_nested_html_does_not_lose_text():
    html = "<p>one <b>two <i>three</b> four</i><p>five"
    assert markup.excerpt(convert(html)) == "one two three four five"
