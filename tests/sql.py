"""Counting the SQL a piece of code sends, for the constant-queries tests."""

from contextlib import contextmanager

from sqlalchemy import event

from forum import outbox
from forum.extensions import db

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
    request would be billed for what the setup emitted) and the session empty. Returns the
    response and the queries it sent."""
    outbox.drain()
    db.session.remove()
    with counted_queries() as statements:
        response = client.get(url, **kwargs)
    return response, statements
