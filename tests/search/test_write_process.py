"""The embedded courier writes the Whoosh index through a helper process (write_process.py)."""

import os
import signal
import time

import pytest

from forum import outbox, worker
from forum.search import index, indexer, write_process
from forum.threads import services
from tests.factories import make_reply, make_thread


@pytest.fixture
def config_overrides():
    return {"SEARCH_BACKEND": "whoosh"}


@pytest.fixture
def helper(app, monkeypatch):
    """Drains in this test write as the courier's do; the helper is stopped afterwards."""
    monkeypatch.setattr(worker, "in_courier", lambda: True)
    yield write_process.helper()
    write_process.helper().stop()


def helper_pid():
    process = write_process.helper().process
    return process.pid if process and process.poll() is None else None


def test_the_courier_writes_the_index_in_another_process(
    customer, staff, category, helper, drain, find
):
    thread = make_thread(customer, category, "Combine harvester stalls", "Cold mornings only.")
    drain()
    assert find("harvester") == ["Combine harvester stalls"]
    assert helper_pid() not in (None, os.getpid())
    generation = index.open_index().latest_generation()

    services.set_flag(staff, thread, "pinned", True)  # nothing indexed changes
    assert drain() == 1
    assert index.open_index().latest_generation() == generation

    make_reply(staff, thread, "Drain the fuel filter's water trap.")
    drain()
    assert find("trap") == ["Combine harvester stalls"]
    assert index.open_index().latest_generation() == generation + 1

    services.delete_post(staff, thread.question)
    drain()
    assert find("harvester") == []
    assert outbox.backlog() == 0


def test_a_busy_index_leaves_the_events_queued(customer, category, helper, drain, find):
    make_thread(customer, category, "Baler knots fail")
    drain()
    lock = index.open_index().lock("WRITELOCK")
    assert lock.acquire()  # another process is writing
    try:
        make_thread(customer, category, "Baler twine snaps")
        assert drain() == 0
        assert outbox.backlog() == 1
    finally:
        lock.release()
    outbox.OutboxEvent.query.update({"next_attempt_at": None})  # due again now
    drain()
    assert sorted(find("baler")) == ["Baler knots fail", "Baler twine snaps"]


def test_a_helper_that_died_is_replaced_and_nothing_is_lost(
    customer, category, helper, drain, find
):
    make_thread(customer, category, "Seed drill clogs")
    drain()
    first = helper_pid()
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while helper_pid() == first and time.monotonic() < deadline:
        time.sleep(0.02)
    make_thread(customer, category, "Seed drill skips rows")
    drain()
    assert helper_pid() not in (None, first)
    assert sorted(find("drill")) == ["Seed drill clogs", "Seed drill skips rows"]


def test_the_documents_are_read_once_the_helper_holds_the_lock(
    customer, category, helper, drain, find, monkeypatch
):
    """So that a document read before another drain's write can never overwrite it."""
    make_thread(customer, category, "Tedder arm loose")
    drain()
    held = []
    real = indexer.load_documents

    def load(ids):
        lock = index.open_index().lock("WRITELOCK")
        held.append(not lock.acquire())
        if not held[-1]:
            lock.release()
        return real(ids)

    monkeypatch.setattr(indexer, "load_documents", load)
    make_thread(customer, category, "Tedder tines worn")
    drain()
    assert held == [True]
    assert sorted(find("tedder")) == ["Tedder arm loose", "Tedder tines worn"]


def test_a_helper_that_dies_mid_write_leaves_the_events_queued(
    customer, category, helper, drain, find, monkeypatch
):
    make_thread(customer, category, "Sprayer nozzle drips")
    drain()
    real = indexer.load_documents

    def dies_meanwhile(ids):
        os.kill(helper_pid(), signal.SIGKILL)
        return real(ids)

    monkeypatch.setattr(indexer, "load_documents", dies_meanwhile)
    make_thread(customer, category, "Sprayer boom bends")
    assert drain() == 0
    assert outbox.backlog() == 1
    assert "helper stopped answering" in outbox.OutboxEvent.query.one().last_error
    monkeypatch.setattr(indexer, "load_documents", real)
    outbox.OutboxEvent.query.update({"next_attempt_at": None})
    drain()
    assert sorted(find("sprayer")) == ["Sprayer boom bends", "Sprayer nozzle drips"]


def test_a_failed_read_cancels_the_helpers_writer(
    customer, category, helper, drain, find, monkeypatch
):
    make_thread(customer, category, "Trailer hitch rusty")
    drain()
    generation = index.open_index().latest_generation()

    def fails(ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(indexer, "load_documents", fails)
    make_thread(customer, category, "Trailer lights flicker")
    assert drain() == 0
    monkeypatch.undo()
    lock = index.open_index().lock("WRITELOCK")
    assert lock.acquire()  # the helper let go of it
    lock.release()
    assert index.open_index().latest_generation() == generation
    outbox.OutboxEvent.query.update({"next_attempt_at": None})
    monkeypatch.setattr(worker, "in_courier", lambda: True)
    drain()
    assert sorted(find("trailer")) == ["Trailer hitch rusty", "Trailer lights flicker"]


def test_the_helper_creates_a_new_forums_index_but_never_a_partial_one(
    app, customer, category, helper, drain, find, tmp_path
):
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "first")
    make_thread(customer, category, "Mower belt slips")
    drain()  # the forum's first question: the index is created with it
    assert find("mower") == ["Mower belt slips"]

    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "lost")  # an index that went missing
    make_thread(customer, category, "Mower blade dull")
    assert drain() == 0
    assert outbox.backlog() == 1
    assert not index.has_index(str(tmp_path / "lost"))


@pytest.mark.parametrize("interpreter", ["/bin/false", "/no/such/python"])
def test_where_no_helper_can_run_the_courier_writes_in_its_own_process(
    customer, category, helper, drain, find, monkeypatch, interpreter
):
    monkeypatch.setattr(write_process.sys, "executable", interpreter)
    starts = []
    real = write_process.subprocess.Popen
    monkeypatch.setattr(
        write_process.subprocess, "Popen", lambda *a, **k: starts.append(a) or real(*a, **k)
    )
    make_thread(customer, category, "Hay rake bent")
    assert drain() == 1
    make_thread(customer, category, "Hay rake tines")
    assert drain() == 1
    assert len(starts) == 1  # not tried again
    assert sorted(find("rake")) == ["Hay rake bent", "Hay rake tines"]


def test_a_write_the_helper_cannot_do_fails_and_the_helper_goes_on(app, helper, tmp_path):
    path = str(tmp_path / "index")
    index.open_at(path, create=True)
    bogus = {1: {"key": "thread:1", "fingerprint": "x", "no_such_field": "y"}}
    with pytest.raises(RuntimeError, match="helper failed"):
        helper.write(path, lambda: [("thread", [1], bogus)])
    assert helper.write(path, lambda: [("thread", [1], {})]) == 0
