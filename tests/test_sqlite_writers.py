"""SQLite's writers queue on ``<database>.write-lock`` (forum/sqlite.py): held from BEGIN
IMMEDIATE until the transaction ends, whichever way it ends."""

import fcntl
import threading
import time

import pytest
import sqlalchemy as sa

from forum import sqlite
from forum.extensions import db


@pytest.fixture
def queue_path(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite-only: the suite runs on another database (TEST_DATABASE_URL)")
    return f"{db.engine.url.database}.write-lock"


def queue_taken(path):
    """Whether some connection holds the writers' queue (probed through a file of our own)."""
    with open(path, "a") as probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(probe, fcntl.LOCK_UN)
        return False


def test_a_write_request_holds_the_queue_until_it_commits(app, queue_path):
    db.session.commit()
    with app.test_request_context("/threads/1/reply", method="POST"):
        db.session.execute(sa.text("select 1"))
        assert queue_taken(queue_path)
        db.session.commit()
        assert not queue_taken(queue_path)


def test_rolling_back_or_closing_leaves_the_queue(app, queue_path):
    db.session.commit()
    with sqlite.writing():
        db.session.execute(sa.text("select 1"))
        assert queue_taken(queue_path)
        db.session.rollback()
        assert not queue_taken(queue_path)
        db.session.execute(sa.text("select 1"))
        assert queue_taken(queue_path)
        db.session.close()  # the pool rolls the connection back
        assert not queue_taken(queue_path)


def test_readers_never_queue(app, client, queue_path):
    with sqlite.writing():
        db.session.execute(sa.text("select 1"))
        # A page read by someone else meanwhile (its own connection, a plain BEGIN).
        assert client.get("/").status_code == 200
        db.session.commit()


def test_a_waiting_writer_goes_in_once_the_holder_commits(app, queue_path):
    db.session.commit()
    got_in, done = threading.Event(), threading.Event()

    def second_writer():
        with app.app_context(), sqlite.writing():
            db.session.execute(sa.text("select 1"))
            got_in.set()
            db.session.commit()
            db.session.remove()
            done.set()

    with sqlite.writing():
        db.session.execute(sa.text("create table if not exists marks (n int)"))
        thread = threading.Thread(target=second_writer)
        thread.start()
        assert not got_in.wait(0.3), "the second writer went in while the first held the lock"
        released = time.monotonic()
        db.session.commit()
    assert got_in.wait(5)
    assert time.monotonic() - released < 1.0
    assert done.wait(5)
    thread.join(5)
    assert not queue_taken(queue_path)


def test_a_second_connection_of_the_same_thread_does_not_wait_for_itself(app, queue_path):
    """It would wait for a lock its own thread holds; instead SQLite's busy timeout applies
    and it fails as it always did ("database is locked")."""
    db.session.commit()
    with sqlite.writing():
        db.session.execute(sa.text("select 1"))
        with db.engine.connect() as other:
            other.connection.dbapi_connection.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(sa.exc.OperationalError, match="locked"):
                other.begin()
        db.session.commit()
    assert not queue_taken(queue_path)


def test_writes_go_on_when_the_lock_file_cannot_be_locked(
    app, client, auth, customer, category, queue_path, monkeypatch, caplog
):
    """A filesystem without locks (or a lock file that cannot be created) leaves the waiting
    to SQLite's busy timeout, as before the queue; it is logged once."""
    from forum.categories.models import Category

    def refuse(*_args):
        raise OSError("no locks here")

    monkeypatch.setattr(sqlite.fcntl, "flock", refuse)
    monkeypatch.setattr(sqlite, "_unlockable", set())
    db.engine.dispose()  # new connections, which have not opened the lock file yet
    auth.login(customer)
    response = client.post(
        "/threads/new",
        data={"category": category.slug, "title": "Locks refused", "body": "Still posted."},
    )
    assert response.status_code == 302
    assert "Still posted." in client.get(response.headers["Location"]).get_data(as_text=True)
    with sqlite.writing():
        db.session.add(Category(name="Also written", slug="also-written", description=""))
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Category)) == 2
    warnings = [r for r in caplog.records if "writers' queue" in r.getMessage()]
    assert len(warnings) == 1


def test_a_writer_stops_waiting_in_the_queue_after_the_busy_timeout(
    app, queue_path, monkeypatch, caplog
):
    """Someone holding the queue for longer than SQLite's busy timeout would have waited does
    not hold the writers up for ever: they go on without it (SQLite's own lock still keeps
    them apart), and the queue is free again once the holder leaves."""
    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT_MS", 300)
    db.session.commit()
    with open(queue_path, "a") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        started = time.monotonic()
        with sqlite.writing():
            db.session.execute(sa.text("create table if not exists marks (n int)"))
            db.session.commit()
        waited = time.monotonic() - started
        assert 0.3 <= waited < 5
        assert any("going on without it" in r.getMessage() for r in caplog.records)
    deadline = time.monotonic() + 5
    while queue_taken(queue_path) and time.monotonic() < deadline:
        time.sleep(0.01)  # the abandoned wait takes the lock and lets go at once
    assert not queue_taken(queue_path)


def test_a_failed_commit_left_open_does_not_keep_the_queue(app, queue_path):
    """A COMMIT that fails leaves SQLite's transaction open; a session closed without a
    rollback hands the connection back to the pool, which must end it (and leave the queue)."""
    db.session.execute(sa.text("create table if not exists parents (id integer primary key)"))
    db.session.execute(
        sa.text(
            "create table if not exists children (parent integer references parents(id)"
            " deferrable initially deferred)"
        )
    )
    db.session.commit()
    with sqlite.writing():
        db.session.execute(sa.text("insert into children values (42)"))
        assert queue_taken(queue_path)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()  # the deferred foreign key fails at COMMIT
        db.session.close()
    assert not queue_taken(queue_path)
    db.session.execute(sa.text("select 1"))  # the pooled connection works again
    db.session.rollback()
