"""Test-database housekeeping shared by conftest and the migration tests."""

from forum.extensions import db


def reset_postgres_schema(engine):
    """Drop everything in the ``public`` schema, whatever built it. ``drop_all`` only knows
    today's models: a table left by an older layout (an earlier CI run on the same server, a
    migration test stopped half-way) makes it fail, and every later test with it."""
    with engine.begin() as connection:
        connection.execute(db.text("DROP SCHEMA public CASCADE"))
        connection.execute(db.text("CREATE SCHEMA public"))
