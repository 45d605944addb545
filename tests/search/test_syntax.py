from datetime import date

import pytest

from forum.search.syntax import Clause, Filters, parse, parse_date


def test_plain_words_are_each_required():
    query = parse("sync stops  macOS")
    assert query.groups == [(Clause("sync"),), (Clause("stops"),), (Clause("macOS"),)]
    assert not query.hints and not query.excluded


def test_quoted_phrase_and_excluded_words():
    query = parse('"first backup" -windows -"control panel"')
    assert query.groups == [(Clause("first backup", phrase=True),)]
    assert query.excluded == [Clause("windows"), Clause("control panel", phrase=True)]


def test_curly_quotes_from_phones_work_like_straight_ones():
    assert parse("“first backup”").groups == [(Clause("first backup", phrase=True),)]


def test_or_joins_its_neighbours_into_one_group():
    query = parse("mac OR windows sync")
    assert query.groups == [(Clause("mac"), Clause("windows")), (Clause("sync"),)]
    assert query.explicit_or


def test_lowercase_or_is_an_ordinary_word():
    assert parse("mac or windows").groups == [
        (Clause("mac"),),
        (Clause("or"),),
        (Clause("windows"),),
    ]


def test_operators_set_filters():
    query = parse(
        "backup category:Sync-Backup is:solved in:kb author:@Carol after:2024-05 before:2025"
    )
    assert query.groups == [(Clause("backup"),)]
    assert query.filters == Filters(
        category="sync-backup",
        solved=True,
        type="article",
        author="Carol",
        after=date(2024, 5, 1),
        before=date(2025, 1, 1),
    )


def test_quoted_operator_value():
    assert parse('author:"carol"').filters.author == "carol"


def test_is_unsolved_and_in_forum():
    filters = parse("is:unsolved in:forum").filters
    assert filters.solved is False and filters.type == "thread"


def test_unbalanced_quote_searches_the_words_with_a_hint():
    query = parse('restore "deleted file')
    assert query.groups == [(Clause("restore"),), (Clause("deleted"),), (Clause("file"),)]
    assert "not closed" in query.hints[0]


def test_unknown_operator_becomes_words_with_a_hint():
    query = parse("colour:blue sync")
    assert query.groups == [(Clause("colour"),), (Clause("blue"),), (Clause("sync"),)]
    assert "not a search operator" in query.hints[0]


def test_urls_are_words_without_a_hint():
    query = parse("https://example.com/help")
    assert not query.hints and query.groups


@pytest.mark.parametrize(
    "text, expected",
    [("is:maybe", "solved or unsolved"), ("in:wiki", "kb or forum"), ("before:yesterday", "Dates")],
)
def test_bad_operator_values_are_ignored_with_a_hint(text, expected):
    query = parse(f"sync {text}")
    assert not query.filters
    assert expected in query.hints[0]
    assert query.groups == [(Clause("sync"),)]


def test_long_query_is_truncated():
    query = parse("word " * 200)
    assert query.truncated
    assert len(query.groups) == 100


def test_normalised_query_is_lower_case_canonical_and_scrubbed():
    query = parse(
        '  Sync   "First Backup" is:solved -Mac mail carol@example.com or +44 20 7946 0958'
    )
    assert query.normalized() == ('sync "first backup" mail [email] or [number] -mac is:solved')


def test_empty_and_operator_only_queries():
    assert parse("   ").is_empty
    assert not parse("is:solved").is_empty
    assert parse("is:solved").groups == []


@pytest.mark.parametrize(
    "text", ['"', "-", "OR", "NOT", "::", 'a:"', '"""', '-""', "x" * 2000, "\x00", "category:"]
)
def test_nothing_makes_the_parser_fail(text):
    parse(text).normalized()


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-05-31", date(2024, 5, 31)),
        ("2024-05", date(2024, 5, 1)),
        ("2024", date(2024, 1, 1)),
        ("2024-13-01", None),
        ("2024-02-30", None),
        ("soon", None),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected
