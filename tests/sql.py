"""Counting the SQL a piece of code sends, for the constant-queries tests."""

from contextlib import contextmanager

from sqlalchemy import event

from forum.extensions import db


@contextmanager
def counted_queries():
    """Yields the list of statements sent to the database inside the ``with`` block."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
