"""Inputs for bench/markup_bench.py: generated post bodies, ordinary and hostile, of a given size,
and a corpus of mixed fragments for checking that two renderers give the same HTML.

Every generator is deterministic for a given size and seed, so a run can be repeated.
"""

import random
from itertools import cycle

from tests.xss import load_payloads  # the repository's root is on sys.path (markup_bench.py)

WORDS = (
    "the sync client stops at 99 percent after the update and the log says permission denied "
    "on a file in the shared folder so I tried to reinstall it but the installer hangs while "
    "the tray icon keeps spinning and the web dashboard shows the device as offline"
).split()


def _fill(pieces, size):
    """Repeat the pieces (an iterable of strings) until ``size`` characters, cut there."""
    out, total = [], 0
    for piece in pieces:
        out.append(piece)
        total += len(piece)
        if total >= size:
            break
    return "".join(out)[:size]


def _sentence(rng, words=12):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def prose(size, rng):
    """What a long, honest support post looks like: headings, paragraphs with inline markup,
    lists, fenced code, a table, links."""

    def blocks():
        while True:
            yield f"## {_sentence(rng, 4).title()}\n\n"
            yield f"{_sentence(rng)} **{rng.choice(WORDS)}** and _{rng.choice(WORDS)}_ with "
            yield f"`sync --verbose` and a [link](https://example.com/kb/{rng.randrange(999)}).\n\n"
            yield "".join(f"- {_sentence(rng, 6)}\n" for _ in range(rng.randint(2, 6))) + "\n"
            yield "1. open the settings\n2. choose *Advanced*\n3. press **Reset**\n\n"
            yield "```python\nif size < limit and name != '':\n    sync(path, force=True)\n```\n\n"
            yield "| setting | value |\n|:--|--:|\n| quota | 5 GB |\n| proxy | off |\n\n"
            yield f"> {_sentence(rng)}\n> {_sentence(rng, 5)}\n\n"

    return _fill(blocks(), size)


def links(size, rng):
    def pieces():
        while True:
            n = rng.randrange(10_000)
            yield f'[doc {n}](https://example.com/docs/{n}?a=1&b=2 "Doc {n}") '
            yield f"<https://example.org/p/{n}> <mailto:help{n}@example.com> "
            yield f"![img](http://img.example/{n}.png) [ref{n}] https://bare.example/{n} "
            yield f"[rel](/threads/{n}) [anchor](#answer-{n})\n"

    return _fill(pieces(), size)


def nested_quotes(size, rng):
    return _fill((">" * depth + f" {_sentence(rng, 3)}\n" for depth in cycle(range(1, 60))), size)


def nested_lists(size, rng):
    return _fill(("  " * depth + f"- {_sentence(rng, 2)}\n" for depth in cycle(range(40))), size)


def nested_emphasis(size, rng):
    return _fill(cycle(["*a _b **c __d ~~e", " f~~ g__ h** i_ j* "]), size)


def deep_quote_one_line(size, rng):
    return ">" * size


def unclosed_emphasis(size, rng):
    return _fill(cycle(["*a **b _c __d "]), size)


def brackets(size, rng):
    return _fill(cycle(["[a](", "[b]", "![c", "[d]: ", "]("]), size)


def backtick_runs(size, rng):
    return _fill((("`" * k) + " x " for k in cycle(range(1, 30))), size)


def table(size, rng):
    header = "| " + " | ".join(f"h{i}" for i in range(8)) + " |\n"
    rule = "|" + ":--|--:|:-:|---|" * 2 + "\n"
    row = "| " + " | ".join(["`a|b`", "**x**", "<td>", "&amp;", "y", "z", "[l](/x)", "w"]) + " |\n"
    return _fill([header, rule, *([row] * size)], size)


def pipes(size, rng):
    return _fill(cycle(["| a | b |\n|---|---|\n| 1 | 2 |\n"]), size)


def html_tags(size, rng):
    tags = cycle(
        [
            '<div onclick="x()">',
            "<script>alert(1)</script>",
            "<b>bold</b> ",
            '<img src=x onerror="alert(1)">',
            "<!-- comment -->",
            "</p></div>",
            "<a href='javascript:alert(1)'>x</a>\n",
        ]
    )
    return _fill(tags, size)


def long_line(size, rng):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(size))


def long_url(size, rng):
    return "https://example.com/" + "a/b-c_d.e?f=g&h=" * (size // 16 + 1)


def entities(size, rng):
    return _fill(
        cycle(["&amp;", "&lt;", "&#x41;", "&nbsp;", "&#99999999;", "&bogus;", "&", "&#"]), size
    )


def xss(size, rng):
    payloads = load_payloads()

    def pieces():
        while True:
            yield rng.choice(payloads) + "\n\n"

    return _fill(pieces(), size)


def run(char):
    def generate(size, rng):
        return char * size

    generate.__name__ = f"run {char!r}"
    return generate


FAMILIES = {
    "prose": prose,
    "links": links,
    "nested quotes": nested_quotes,
    "nested lists": nested_lists,
    "nested emphasis": nested_emphasis,
    "quote one line": deep_quote_one_line,
    "unclosed emphasis": unclosed_emphasis,
    "brackets": brackets,
    "backtick runs": backtick_runs,
    "table": table,
    "pipes": pipes,
    "html tags": html_tags,
    "long line": long_line,
    "long url": long_url,
    "entities": entities,
    "xss payloads": xss,
    **{f"run {char}": run(char) for char in ("*", "_", "[", "![", "`", "<", "&", "|", "]", "\\")},
}


def generate(family, size, seed=0):
    text = FAMILIES[family](size, random.Random(f"{family}-{size}-{seed}"))
    return text[:size]


FRAGMENTS = [
    "*", "**", "_", "__", "~~", "`", "```", "[", "]", "(", ")", "![", "<", ">", "&", "&amp;",
    "&lt;", "&#", "&#x", ";", "|", "\\", "#", "-", "+", "1.", "2)", " ", "  ", "\n", "\n\n",
    "\t", "    ", "> ", "- ", "* ", "---", "===", ":", "http://", "https://x.example/a?b=1&c=2",
    "mailto:a@b.example", "javascript:", "data:", "<https://a.example>", "<a@b.example>", '"',
    "'", "word", "two words", "é", "\u202e", "\u200b", "\x00", "\r", "\r\n", "<b>", "</b>",
    "<script>", "<!--", "-->", "<div>", "</div>", "<img src=x>", "[x]: /url", "[x]", "[x][]",
    '"title"', "{{7*7}}", "```js\n", "\n```\n", "|---|", ":--", "--:", "\\|", "&nbsp;",
]  # fmt: skip


def random_mixes(count=400, seed=0):
    """``count`` random strings of Markdown and HTML fragments, short and long."""
    rng = random.Random(seed)
    payloads = load_payloads()
    mixes = []
    for _ in range(count):
        pieces = rng.choices(FRAGMENTS, k=rng.choice([3, 10, 40, 200]))
        if rng.random() < 0.3:
            pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(payloads))
        mixes.append("".join(pieces))
    return mixes


def corpus(sizes=(300, 2_000, 5_000)):
    """Named inputs for an output comparison: every family at each size, the XSS payloads alone
    and inside other blocks, and the random mixes."""
    items = {f"{family} {size}": generate(family, size) for family in FAMILIES for size in sizes}
    contexts = ["{}", "> {}", "- {}", "| a |\n|---|\n| {} |", "**{}**", "Text before {} after."]
    for i, payload in enumerate(load_payloads()):
        for j, context in enumerate(contexts):
            items[f"xss {i} context {j}"] = context.format(payload)
    items.update({f"mix {i}": mix for i, mix in enumerate(random_mixes())})
    return items
