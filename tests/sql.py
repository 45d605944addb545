"""Counting the SQL a piece of code sends, for the constant-queries tests."""

from contextlib import contextmanager

from sqlalchemy import event

from forum.extensions import db

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
