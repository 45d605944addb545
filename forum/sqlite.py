"""SQLite tuned for several gunicorn workers: WAL, a busy timeout, and write requests that take
the write lock when their transaction begins (a deferred transaction that reads and then writes
fails at once with "database is locked" instead of waiting for the lock)."""

import fcntl
import sqlite3
import threading
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event

BUSY_TIMEOUT_MS = 15_000
_writing = ContextVar("sqlite_writing", default=False)
_turns = threading.Lock()  # for a database without a file


@contextmanager
def writing():
    """Transactions begun inside take the write lock up front, as a write request's do. For
    work outside requests that reads and then writes (an outbox drain): a deferred
    transaction would find another writer's commit in its way and fail instead of waiting."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def configure(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Take transaction control from the driver so "begin" below decides how to begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not _in_memory(dbapi_connection):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        writes = _writing.get() or (
            has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _in_memory(dbapi_connection):
    try:
        row = dbapi_connection.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return True
    return not row or not row[2]


def taking_turns(engine, name):
    """On SQLite, one holder at a time across the processes of this host (a lock file next to
    the database; in-memory databases have one process); elsewhere, nothing to do."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    path = engine.url.database
    if not path or path == ":memory:":
        return _turns
    return file_lock(f"{path}.{name}-lock")


@contextmanager
def file_lock(path):
    """An exclusive lock on ``path`` (created if missing), held by one process, or one thread
    of a process, at a time."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
