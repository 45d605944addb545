"""Counting the SQL a piece of code sends, for the constant-queries tests."""

import re
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import event

from forum import outbox
from forum.extensions import db
from tests.pages import text

PAGE_BUDGET = 8  # queries per page: the scale-out issue's budget

# Not queries: transaction control, and settings (set_config sets several in one statement).
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET LOCAL", "SELECT SET_CONFIG(")


@contextmanager
def counted_queries():
    """Yields the list of queries sent to the database inside the ``with`` block (transaction
    control, BEGIN and the like, is not a query: as bench/load.py counts)."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(CONTROL):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def get_counted(client, url, **kwargs):
    """GET ``url`` as a request in production would start: the outbox delivered first (or the
    request would be billed for what the setup emitted), the session empty and, for a search,
    its words not searched before (pg_tsquery.Analyses). Returns the response and the queries
    it sent."""
    outbox.drain()
    db.session.remove()
    current_app.extensions.pop("search_analyses", None)  # as for words not searched before
    with counted_queries() as statements:
        response = client.get(url, **kwargs)
    return response, statements


def page_queries(client, url, pattern, **kwargs):
    """``(queries, distinct matches of the regex pattern on the page)`` of a GET of ``url``,
    started as in production (get_counted)."""
    response, statements = get_counted(client, url, **kwargs)
    assert response.status_code == 200
    return len(statements), len(set(re.findall(pattern, text(response))))


def assert_constant_queries(measure, add, steps, budget=PAGE_BUDGET):
    """For each ``(n, listed)`` of ``steps``, ``add(n)`` items, then ``measure()`` (``(queries,
    items shown)``) must show ``listed`` items; the queries are the same at every step (a page
    that reads each item's author or category on its own would grow) and within ``budget``."""
    counts = []
    for n, listed in steps:
        add(n)
        queries, shown = measure()
        assert shown == listed, f"after adding {n}: {shown} shown, {listed} expected"
        counts.append(queries)
    assert len(set(counts)) == 1, f"queries as the page grew: {counts}"
    assert counts[-1] <= budget, f"{counts[-1]} queries, over the budget of {budget}"
