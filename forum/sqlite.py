"""SQLite tuned for several gunicorn workers: WAL, a busy timeout, and write requests that take
the write lock when their transaction begins (a deferred transaction that reads and then writes
fails at once with "database is locked" instead of waiting for the lock).

Writers of a database file queue on a lock file (``<database>.write-lock``) before they ask
SQLite for its write lock, and leave it once their transaction has ended. SQLite's own wait
sleeps and retries, up to 100 ms at a time, so a writer that has waited loses the lock again
and again to writers that just arrived: with several processes posting, a few writes waited
seconds. The kernel wakes the next writer as soon as the lock file is released.
"""

import fcntl
import logging
import sqlite3
import threading
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event

BUSY_TIMEOUT_MS = 15_000
_writing = ContextVar("sqlite_writing", default=False)
_turns = threading.Lock()  # for a database without a file
_holds = threading.local()  # the write queues (lock file paths) this thread holds
_unlockable = set()  # lock files that could not be locked (warned about once)
log = logging.getLogger(__name__)


def _thread_holds():
    if not hasattr(_holds, "paths"):
        _holds.paths = set()
    return _holds.paths


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

    path = _file_of(engine)
    if path:
        factory = type("QueuedWriters", (QueuedWriters,), {"queue_path": f"{path}.write-lock"})

        @event.listens_for(engine, "do_connect")
        def queued_writers(_dialect, _record, _cargs, cparams):
            cparams["factory"] = factory

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

    @event.listens_for(engine, "reset")
    def on_reset(dbapi_connection, _record, _state):
        # A connection whose COMMIT failed goes back to the pool with its transaction still
        # open when the session is closed without a rollback: end it (and leave the queue).
        if dbapi_connection.in_transaction:
            dbapi_connection.rollback()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        writes = _writing.get() or (
            has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        )
        if not writes:
            connection.exec_driver_sql("BEGIN")
            return
        raw = connection.connection.dbapi_connection
        queue = raw.queued() if isinstance(raw, QueuedWriters) else nullcontext()
        with queue:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


class QueuedWriters(sqlite3.Connection):
    """A connection whose write transactions queue on ``<database>.write-lock`` first: taken
    before BEGIN IMMEDIATE, released once COMMIT or ROLLBACK has run (or the connection has
    closed). A thread that already holds the queue through another connection does not queue
    again (it would wait for itself). After BUSY_TIMEOUT_MS in the queue, or when the lock file
    cannot be opened or locked (logged), a writer goes on without it and SQLite's busy timeout
    decides, as before the queue."""

    queue_path = None  # set by configure(), per database

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held = None  # the locked file while this connection holds the queue
        self._holders = None  # ... and the set of queues its thread holds

    @contextmanager
    def queued(self):
        """Hold the queue for the transaction about to begin; give it up if it fails to."""
        holding = _thread_holds()
        if self._held is not None or self.queue_path in holding:
            yield
            return
        self._held = _take(self.queue_path, BUSY_TIMEOUT_MS / 1000)
        if self._held is None:
            yield
            return
        self._holders = holding
        holding.add(self.queue_path)
        try:
            yield
        except BaseException:
            self._leave()
            raise

    def _leave(self):
        if self._held is not None:
            self._holders.discard(self.queue_path)
            held, self._held, self._holders = self._held, None, None
            held.close()  # closing the file releases its lock

    def commit(self):
        try:
            super().commit()
        finally:
            if not self.in_transaction:
                self._leave()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._leave()

    def close(self):
        try:
            self._leave()
        finally:
            super().close()


def _take(path, timeout):
    """``path`` opened and locked, waiting at most ``timeout`` seconds; None if that failed.

    Each holder locks a file of its own (an open file description: what flock locks). The
    wait happens in a helper thread, because a blocking flock cannot time out; if the caller
    gives up, the helper unlocks as soon as it gets the lock."""
    try:
        handle = open(path, "a")  # noqa: SIM115  (returned open, or closed below)
    except OSError:
        _warn(path, "cannot be opened")
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return handle
    except BlockingIOError:
        pass  # someone writes: wait in line
    except OSError:
        handle.close()
        _warn(path, "cannot be locked")
        return None
    got, settled = threading.Event(), threading.Lock()
    outcome = {}

    def wait():
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            outcome["failed"] = True
        with settled:
            if outcome.get("abandoned") or outcome.get("failed"):
                handle.close()
            got.set()

    threading.Thread(target=wait, name="sqlite-write-queue", daemon=True).start()
    got.wait(timeout)
    with settled:
        if got.is_set():
            return None if outcome.get("failed") else handle
        outcome["abandoned"] = True
    log.warning("waited %.0f s in the writers' queue (%s); going on without it", timeout, path)
    return None


def _warn(path, problem):
    if path not in _unlockable:
        _unlockable.add(path)
        log.warning("the writers' queue %s %s", path, problem, exc_info=True)


def _file_of(engine):
    """The path of the engine's database file; None for a database in memory."""
    path = engine.url.database
    if not path or path == ":memory:" or "mode=memory" in str(engine.url):
        return None
    return path


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
    path = _file_of(engine)
    return file_lock(f"{path}.{name}-lock") if path else _turns


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
