"""The search box's query language, parsed without Whoosh so that no input can make it fail.

``"exact phrase"``, ``-word``, ``-"phrase"``, ``a OR b``, ``category:<slug>``, ``is:solved``,
``is:unsolved``, ``in:kb``, ``in:forum``, ``author:<username>``, ``before:<date>`` and
``after:<date>`` (dates as 2024-05-31, 2024-05 or 2024). Anything malformed (an unclosed quote,
an unknown operator, a bad value) is searched as plain words and explained in ``hints``.
"""

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date

MAX_QUERY_CHARS = 500
LOGGED_QUERY_CHARS = 200
OPERATORS = ("category", "is", "in", "author", "before", "after")
OPERATOR_LIST = ", ".join(f"{name}:" for name in OPERATORS)

_TOKEN = re.compile(
    r"""(?P<key>[A-Za-z]+):"(?P<qvalue>[^"]*)"?
      | (?P<neg>-)?"(?P<phrase>[^"]*)(?P<close>"?)
      | (?P<word>[^\s"]+)""",
    re.X,
)
_OPERATOR = re.compile(r"([A-Za-z]+):(.*)")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"\+?\d[\d ().-]{7,}\d")


@dataclass(frozen=True)
class Clause:
    text: str
    phrase: bool = False

    def __str__(self):
        return f'"{self.text.lower()}"' if self.phrase else self.text.lower()


@dataclass(frozen=True)
class Filters:
    category: str | None = None  # a category slug
    solved: bool | None = None
    type: str | None = None  # "thread" or "article"
    author: str | None = None  # a username
    after: date | None = None  # created on or after
    before: date | None = None  # created before

    def merged(self, other):
        """These filters with every filter that ``other`` sets taking precedence."""
        changes = {f.name: getattr(other, f.name) for f in fields(other)}
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def tokens(self):
        out = []
        if self.category:
            out.append(f"category:{self.category}")
        if self.solved is not None:
            out.append("is:solved" if self.solved else "is:unsolved")
        if self.type:
            out.append("in:kb" if self.type == "article" else "in:forum")
        if self.author:
            out.append(f"author:{self.author}")
        out += [f"after:{self.after}"] if self.after else []
        out += [f"before:{self.before}"] if self.before else []
        return out

    def __bool__(self):
        return any(getattr(self, f.name) is not None for f in fields(self))


@dataclass
class ParsedQuery:
    groups: list = field(default_factory=list)  # tuples of Clauses; every group must match one
    excluded: list = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    hints: list = field(default_factory=list)
    truncated: bool = False

    @property
    def explicit_or(self):
        return any(len(group) > 1 for group in self.groups)

    @property
    def is_empty(self):
        return not self.groups and not self.excluded and not self.filters

    def words(self):
        """Every positive word and phrase, for highlighting."""
        return [clause.text for group in self.groups for clause in group]

    def normalized(self):
        """The query as logged: lower case, canonical operators, no emails or long numbers."""
        parts = [" OR ".join(str(c) for c in group) for group in self.groups]
        parts += [f"-{c}" for c in self.excluded] + self.filters.tokens()
        text = _LONG_NUMBER.sub("[number]", _EMAIL.sub("[email]", " ".join(parts)))
        return text[:LOGGED_QUERY_CHARS]


def parse(text):
    """Parse the search box's text; never raises."""
    query = ParsedQuery()
    text = _CONTROL.sub(" ", (text or "").translate(_QUOTES))
    if len(text) > MAX_QUERY_CHARS:
        text, query.truncated = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0], True
    state = {"or": False, "not": False}
    for match in _TOKEN.finditer(text):
        if match["key"] is not None:
            _operator(query, match["key"], match["qvalue"], state)
        elif match["phrase"] is not None:
            _phrase(query, match, state)
        else:
            _word(query, match["word"], state)
    return query


def _add(query, clause, state, negated=False):
    if negated or state["not"]:
        query.excluded.append(clause)
    elif state["or"] and query.groups:
        query.groups[-1] = (*query.groups[-1], clause)
    else:
        query.groups.append((clause,))
    state["or"] = state["not"] = False


def _phrase(query, match, state):
    words = match["phrase"].split()
    if not match["close"]:
        query.hints.append(
            "A quotation mark was not closed, so the words after it were searched separately."
        )
        for word in words:
            _word(query, word, state)
        return
    if words:
        _add(query, Clause(" ".join(words), phrase=len(words) > 1), state, bool(match["neg"]))


def _word(query, word, state):
    if word == "OR":
        state["or"] = True
    elif word == "NOT":
        state["not"] = True
    elif word == "AND" or word == "-":
        pass
    elif word.startswith("-"):
        _add(query, Clause(word[1:]), state, negated=True)
    elif (operator := _OPERATOR.fullmatch(word)) and operator[2]:
        _operator(query, *operator.groups(), state)
    else:
        _add(query, Clause(word), state)


def _operator(query, key, value, state):
    name, value = key.lower(), value.strip()
    if name not in OPERATORS:
        if not value.startswith("//"):  # a URL is not a typo of an operator
            query.hints.append(
                f"“{key}:” is not a search operator, so it was searched as words. "
                f"Operators: {OPERATOR_LIST}"
            )
        for word in (key, value):
            if word:
                _add(query, Clause(word), state)
        return
    setting, problem = _filter_value(name, value)
    if problem:
        query.hints.append(problem)
    else:
        query.filters = replace(query.filters, **setting)


def _filter_value(name, value):
    """``({filter: value}, None)`` or ``(None, hint)`` for one operator."""
    lowered = value.lower()
    if name == "category" and value:
        return {"category": lowered}, None
    if name == "author" and value.lstrip("@"):
        return {"author": value.lstrip("@")}, None
    if name == "is" and lowered in ("solved", "unsolved", "open"):
        return {"solved": lowered == "solved"}, None
    if name == "in" and lowered in ("kb", "articles", "forum", "threads"):
        return {"type": "article" if lowered in ("kb", "articles") else "thread"}, None
    if name in ("before", "after") and (day := parse_date(value)):
        return {name: day}, None
    expected = {
        "is": "“is:” takes solved or unsolved.",
        "in": "“in:” takes kb or forum.",
        "before": "Dates look like 2024-05-31, 2024-05 or 2024.",
        "after": "Dates look like 2024-05-31, 2024-05 or 2024.",
    }
    return None, expected.get(name, f"“{name}:” needs a value, e.g. {name}:something.")


def parse_date(value):
    """2024-05-31, 2024-05 or 2024 as the first day it names; None if it is not a date."""
    match = _DATE.fullmatch((value or "").strip())
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
