"""The parts of a post the spam checks read: its prose (code left out) and its links."""

from forum.spam.text import Sample


def sample(body):
    return Sample("", body, False, None)


def test_code_fences_leave_the_prose_whatever_closes_them():
    body = "Before\n````\nhttps://in-code.example\n`````\nAfter https://shop.example"
    assert [link.domain for link in sample(body).links] == ["shop.example"]
    assert "in-code" not in sample("~~~ sh\ncurl https://in-code.example\n").prose


def test_a_fence_that_never_closes_runs_to_the_end():
    assert "in-code" not in sample("```\nhttps://in-code.example\nmore").prose


def test_markdown_link_text_may_hold_brackets():
    links = sample("See [the [official] guide](https://docs.example/x).").links
    assert [(link.text, link.domain) for link in links] == [
        ("the [official] guide", "docs.example")
    ]


def test_a_host_no_resolver_accepts_is_no_link():
    host = "www." * 70 + "example.com"  # 291 characters, over DNS's 253
    assert sample(f"go to https://{host}/x").links == []
    assert [link.domain for link in sample("go to https://www.example.com/x").links] == [
        "example.com"
    ]


def test_pathological_runs_are_read_without_links_or_errors():
    for char in ("`", "~", "[", "www.", "!["):
        text = sample(char * (50_000 // len(char)))
        assert text.links == [] and text.prose is not None
