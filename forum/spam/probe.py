"""Scoring a hypothetical post: the ``spam score`` command and the moderators' score endpoint
share this, so both give the verdict a real post would get, without storing anything."""

from forum.spam.scoring import assess
from forum.spam.text import Sample
from forum.spam.trust import Author

TEXT_MAX = 50_000
NUMBER_MAX = 1_000_000_000  # posts or days: enough for anyone, and finite (JSON allows 1e400)
TITLE_MAX = 200
ROLES = ("customer", "moderator", "staff", "admin")
KINDS = ("question", "reply")


class ProbeError(ValueError):
    """Input that cannot be scored; the message says which field is wrong."""


def _number(value, name):
    if value is None:
        return 0
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not 0 <= value <= NUMBER_MAX:  # NaN compares false: refused too
        raise ProbeError(f"author.{name} must be a number from 0 to {NUMBER_MAX:,}.")
    return value


def _optional(data, name, check, problem, default):
    """``data[name]`` if it passes ``check``, ``default`` when absent or null."""
    value = data.get(name)
    if value is None:
        return default
    if not check(value):
        raise ProbeError(problem)
    return value


def parse(data):
    """``{"text", "title"?, "kind"?, "author"?: {"username", "posts", "age_days", "role"}}``
    → (Sample, Author). A title (or kind "question") makes it a question. Null means absent;
    any other value of the wrong type is refused."""
    if not isinstance(data, dict):
        raise ProbeError("Send a JSON object with at least a text.")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
        raise ProbeError(f"text must be a non-empty string of at most {TEXT_MAX:,} characters.")
    title = _optional(
        data,
        "title",
        lambda value: isinstance(value, str) and len(value) <= TITLE_MAX,
        f"title must be a string of at most {TITLE_MAX} characters.",
        "",
    )
    kind = _optional(data, "kind", KINDS.__contains__, "kind must be question or reply.", "")
    author = _optional(
        data, "author", lambda value: isinstance(value, dict), "author must be an object.", {}
    )
    username = _optional(
        author, "username", lambda v: isinstance(v, str), "author.username must be a string.", ""
    )
    role = _optional(
        author,
        "role",
        ROLES.__contains__,
        f"author.role must be one of {', '.join(ROLES)}.",
        "customer",
    )
    profile = Author(
        username[:30] or "someone",
        int(_number(author.get("posts"), "posts")),
        float(_number(author.get("age_days"), "age_days")),
        role,
    )
    return Sample(title, text, bool(title) or kind == "question"), profile


def score(data):
    """The verdict for ``data`` as a JSON-ready dict (action, score, trust, reasons)."""
    sample, author = parse(data)
    return assess(sample, author).as_dict()
