"""Delivering the outbox outside requests: `flask worker`, the embedded courier, retries, and
several drains at once (exactly once, nothing lost when one dies half-way)."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from forum import jobs, outbox, worker
from forum.categories.models import Category
from forum.clock import utcnow
from forum.extensions import db
from forum.outbox import OutboxEvent, emit
from forum.search import indexer, write_process
from tests.factories import make_thread

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def delivered():
    """Every event delivered to consumers during the test, as (topic, payload) in order."""
    seen, lock = [], threading.Lock()

    def record(events):
        with lock:
            seen.extend((event.topic, event.payload) for event in events)

    outbox.subscribe(record)
    yield seen
    outbox.unsubscribe(record)


@pytest.fixture
def consumer():
    """Subscribe a consumer for the test only (``outside=True``: like the Whoosh index)."""
    added = []

    def add(function=None, outside=False):
        def register(function):
            outbox.subscribe(function, outside=outside)
            added.append(function)
            return function

        return register(function) if function else register

    yield add
    for function in added:
        outbox.unsubscribe(function)


def emit_many(n, topic="test.event"):
    for i in range(n):
        emit(topic, n=i)
    db.session.commit()


def numbers(seen, topic="test.event"):
    return [payload["n"] for t, payload in seen if t == topic]


def search_titles(client, q):
    import re

    page = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    return re.findall(r'class="hit-title"[^>]*>([^<]*)</a>', page)


def test_worker_once_delivers_the_backlog_and_runs_due_jobs(
    app, runner, client, customer, category
):
    make_thread(customer, category, "Tape drive offline", "The tape drive vanished.")
    ran = []

    def send_mail():
        ran.append("mail")
        return 2

    jobs.register(send_mail)
    try:
        result = runner.invoke(args=["worker", "--once"])
    finally:
        jobs._jobs.remove(send_mail)
    assert result.exit_code == 0, result.output
    assert "Delivered 1 event(s), 2 job item(s); 0 event(s) left" in result.output
    assert ran == ["mail"]
    assert outbox.backlog() == 0
    assert search_titles(client, "tape") == ["Tape drive offline"]


def test_a_failing_consumer_undoes_its_batch_and_the_batch_comes_again(app, consumer, delivered):
    """Consumers' database writes commit with the batch's removal from the queue, or not at
    all: a consumer that failed after another one wrote leaves nothing behind."""
    broken = {"on": True}

    @consumer
    def writes_a_category(events):
        for event in events:
            db.session.add(Category(name=f"From {event.payload['n']}", slug=f"from-{event.id}"))

    @consumer
    def sometimes_fails(events):
        if broken["on"]:
            raise RuntimeError("remote said no")

    emit_many(3)
    assert outbox.drain() == 0
    assert db.session.scalar(db.select(db.func.count(Category.id))) == 0
    events = db.session.scalars(db.select(OutboxEvent)).all()
    assert [(e.attempts, e.last_error) for e in events] == [(1, "RuntimeError: remote said no")] * 3
    broken["on"] = False
    assert outbox.drain() == 3
    assert db.session.scalar(db.select(db.func.count(Category.id))) == 3
    assert outbox.backlog() == 0
    # writes_a_category saw the batch twice (once undone), the recorder too: idempotence matters
    assert numbers(delivered) == [0, 1, 2, 0, 1, 2]


def test_retry_delay_doubles_up_to_the_maximum():
    delays = [outbox.retry_delay(attempts) for attempts in range(1, 13)]
    assert delays[:6] == [0, 1, 2, 4, 8, 16]
    assert delays[-1] == outbox.RETRY_MAX == 300
    assert delays == sorted(delays)


def test_a_poisoned_event_does_not_block_the_queue(app, consumer, monkeypatch):
    """Each failure halves the batch the failed events are retried in and pushes their next
    attempt back, so the events that came with the poisoned one get through, and so do the
    events written after it, while it waits longer and longer."""

    @consumer
    def chokes_on_poison(events):
        if any(event.topic == "poison" for event in events):
            raise ValueError("cannot parse")

    emit("poison", n=0)
    emit_many(3)  # n = 0, 1, 2 behind it in the same batch
    clock = [utcnow()]
    monkeypatch.setattr(outbox, "utcnow", lambda: clock[0])

    def later(seconds):
        clock[0] += timedelta(seconds=seconds)

    assert outbox.drain(batch_size=4) == 0  # the whole batch fails: attempts 1, due again now
    assert outbox.drain(batch_size=4) == 0  # retried two at a time: poison + 0 fail again
    assert outbox.drain(batch_size=4) == 2  # 1 and 2 go through
    assert outbox.drain(batch_size=4) == 0  # poison and 0 wait (1 s)
    later(1)
    assert outbox.drain(batch_size=4) == 0  # one at a time now: the poison fails alone...
    assert outbox.drain(batch_size=4) == 1  # ...and 0 goes through
    emit_many(2, topic="fresh")
    assert outbox.drain(batch_size=4) == 2  # new events pass the poisoned one waiting
    poison = db.session.scalars(db.select(OutboxEvent)).one()
    assert poison.topic == "poison" and poison.attempts == 3
    assert poison.next_attempt_at == clock[0] + timedelta(seconds=2)
    later(300)
    assert outbox.drain() == 0 and outbox.failing() == 1  # still poisoned, still retried


def test_concurrent_drains_deliver_every_event_exactly_once(app, consumer):
    """Two drains in two threads (two sessions, two connections) over the same queue. On
    PostgreSQL they take different rows (SKIP LOCKED); on SQLite they take turns."""
    emit_many(200)
    seen, lock = Counter(), threading.Lock()

    @consumer
    def slow(events):
        with lock:
            seen.update(event.payload["n"] for event in events if event.topic == "test.event")
        time.sleep(0.01)  # keep the batch's rows locked a while, so the drains overlap

    start = threading.Barrier(2)
    counts, errors = [], []

    def drain():
        try:
            with app.app_context():
                start.wait()
                counts.append(outbox.drain(batch_size=10))
                db.session.remove()
        except Exception as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(counts) == 200
    assert sorted(seen) == list(range(200)) and set(seen.values()) == {1}
    assert outbox.backlog() == 0
    if db.engine.dialect.name == "postgresql":
        assert min(counts) > 0, f"one drain did everything: {counts}"


@pytest.mark.skipif(
    "postgresql" not in os.environ.get("TEST_DATABASE_URL", ""),
    reason="SKIP LOCKED needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://...",
)
def test_a_drain_skips_the_events_another_drain_holds(app, consumer):
    """While one drain holds its batch, another takes the next events instead of waiting."""
    emit_many(6)
    holding, release = threading.Event(), threading.Event()
    taken = {}

    @consumer
    def record(events):
        name = threading.current_thread().name
        taken.setdefault(name, []).extend(e.payload["n"] for e in events)
        if name == "first":
            holding.set()
            release.wait(10)

    def drain_once(results):
        with app.app_context():
            results.append(outbox.drain(batch_size=3, max_batches=1))
            db.session.remove()

    first_counts, second_counts = [], []
    first = threading.Thread(target=drain_once, args=(first_counts,), name="first")
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=drain_once, args=(second_counts,), name="second")
    second.start()
    second.join(10)  # does not wait for the first drain's rows
    assert second_counts == [3]
    release.set()
    first.join(10)
    assert first_counts == [3]
    assert taken == {"first": [0, 1, 2], "second": [3, 4, 5]}
    assert outbox.backlog() == 0


def write_elsewhere(app, slug):
    """Another request committing a write while a drain runs; returns how long it took."""
    with app.app_context():
        started = time.monotonic()
        db.session.add(Category(name=f"Other {slug}", slug=slug))
        db.session.commit()
        db.session.remove()
        return time.monotonic() - started


def test_writers_do_not_wait_while_consumers_run(app, consumer):
    """The search index's commit can take a while; posting must not queue behind it."""
    emit_many(2)
    inside, release = threading.Event(), threading.Event()

    @consumer(outside=True)
    def slow(events):
        inside.set()
        release.wait(10)

    drained, took = drain_with_a_write_meanwhile(app, inside, release, "meanwhile")
    assert took < 1.0
    assert drained == [2] and outbox.backlog() == 0


def drain_with_a_write_meanwhile(app, inside, release, slug):
    """Drain in another thread; once a consumer sets ``inside``, commit a write elsewhere, then
    ``release`` the consumer. Returns what the drain returned and how long the write took."""
    drained = []
    thread = threading.Thread(target=lambda: drained.append(drain_in(app)))
    thread.start()
    try:
        assert inside.wait(10)
        took = write_elsewhere(app, slug)
    finally:
        release.set()
        thread.join(10)
    return drained, took


def drain_in(app):
    with app.app_context():
        try:
            return outbox.drain()
        finally:
            db.session.remove()


def test_database_consumers_write_after_the_index_whoever_wrote_meanwhile(app, consumer):
    """A batch goes to the index (outside the database) first, without the write lock; someone
    else writing meanwhile does not fail the consumers that write to the database afterwards
    (on SQLite a read transaction that another writer overtook can no longer write). Delivered
    once, at the first attempt, in order."""
    emit_many(1)
    inside, release, calls = threading.Event(), threading.Event(), []

    @consumer(outside=True)
    def index(events):
        calls.append("index")
        inside.set()
        release.wait(10)

    @consumer
    def writes(events):
        calls.append("database")
        db.session.add(Category(name="From the consumer", slug=f"consumer-{events[0].id}"))
        db.session.flush()

    drained, took = drain_with_a_write_meanwhile(app, inside, release, "in-between")
    assert took < 1.0
    assert drained == [1] and calls == ["index", "database"]
    assert outbox.backlog() == 0
    names = db.session.scalars(db.select(Category.name).order_by(Category.id)).all()
    assert names == ["Other in-between", "From the consumer"]


def test_a_failing_database_consumer_brings_the_batch_back_to_every_consumer(app, consumer):
    emit_many(1)
    calls = []
    consumer(lambda events: calls.append("index"), outside=True)

    @consumer
    def broken(events):
        calls.append("database")
        db.session.add(Category(name="Undone", slug="undone"))
        db.session.flush()
        if calls.count("database") == 1:
            raise RuntimeError("database consumer failed")

    assert outbox.drain() == 0
    event = db.session.scalars(db.select(OutboxEvent)).one()
    assert event.attempts == 1
    assert db.session.scalar(db.select(Category).where(Category.slug == "undone")) is None
    assert outbox.drain() == 1
    assert calls == ["index", "database", "index", "database"]
    assert db.session.scalar(db.select(Category).where(Category.slug == "undone")) is not None


CRASHING_DRAIN = """
import os, sys
from config import TestingConfig
from forum import create_app, outbox

class Config(TestingConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]
    SEARCH_INDEX_DIR = sys.argv[2]

def crash(events):
    print(len(events), flush=True)
    os._exit(9)  # killed half-way: no rollback, no commit, no cleanup

outbox.subscribe(crash)
with create_app(Config).app_context():
    outbox.drain(batch_size=4)
"""


def test_a_drain_that_dies_half_way_loses_nothing(app, delivered, tmp_path):
    emit_many(6)
    url = db.engine.url.render_as_string(hide_password=False)
    db.session.remove()
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_DRAIN, url, str(tmp_path / "index")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crashed.returncode == 9, crashed.stderr
    assert crashed.stdout.strip() == "4"  # it had claimed a batch of 4 when it died
    assert outbox.backlog() == 6
    assert outbox.drain() == 6
    assert numbers(delivered) == [0, 1, 2, 3, 4, 5]
    assert outbox.backlog() == 0


class StopAfter:
    """Stands in for the worker's stop event: records each sleep instead of sleeping."""

    def __init__(self, sleeps):
        self.sleeps, self.limit = [], sleeps

    def is_set(self):
        return len(self.sleeps) >= self.limit

    def wait(self, seconds):
        self.sleeps.append(seconds)

    def set(self):
        self.limit = 0


def test_idle_worker_backs_off_and_work_resets_the_pause(app, monkeypatch):
    passes = iter([(0, 0), (0, 0), (3, 0), (0, 0)] + [(0, 0)] * 10)
    monkeypatch.setattr(worker, "run_pass", lambda *args: next(passes))
    loop = worker.Worker(app, min_idle=0.2, max_idle=1.0)
    loop.stopping = StopAfter(sleeps=8)
    assert loop.run() == (3, 0)
    assert loop.stopping.sleeps == [0.2, 0.4, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]


def test_a_failing_pass_is_logged_and_the_worker_goes_on(app, monkeypatch, caplog):
    def broken(*args):
        raise ConnectionError("database went away")

    monkeypatch.setattr(worker, "run_pass", broken)
    loop = worker.Worker(app)
    loop.stopping = StopAfter(sleeps=2)
    assert loop.run() == (0, 0)
    assert "pass failed" in caplog.text and "database went away" in caplog.text


def worker_env(tmp_path):
    return {
        **os.environ,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "SECRET_KEY": "worker-test",
    }


def test_flask_worker_delivers_while_running_and_stops_on_sigterm(
    app, client, customer, category, tmp_path
):
    make_thread(customer, category, "Modem offline", "The modem blinks red.")
    db.session.remove()
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "forum", "worker", "--max-idle", "0.5"],
        cwd=ROOT,
        env=worker_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while outbox.backlog() and time.monotonic() < deadline:
            db.session.remove()
            time.sleep(0.1)
        assert outbox.backlog() == 0
        emit_many(2)  # arrives while it idles
        while outbox.backlog() and time.monotonic() < deadline:
            db.session.remove()
            time.sleep(0.1)
        assert outbox.backlog() == 0
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "SIGTERM received" in err and "worker: stopped; 3 event(s)" in err
    assert "Delivered 3 event(s)" in out
    assert search_titles(client, "modem") == ["Modem offline"]


@pytest.fixture
def config_overrides(request):
    """The courier tests run the app as production does (not TESTING)."""
    if "courier" not in request.node.name:
        return {}
    # Only a poke wakes the courier. The slow step the first test injects stands in for a
    # Whoosh commit, so they ask for Whoosh on both databases.
    return {"TESTING": False, "OUTBOX_POLL_SECONDS": 600, "SEARCH_BACKEND": "whoosh"}


def test_courier_delivers_after_the_response_without_delaying_it(
    app, client, auth, customer, category, monkeypatch
):
    entered, release = threading.Event(), threading.Event()
    real = indexer.load_documents

    def slow_index(*args, **kwargs):
        entered.set()
        release.wait(10)  # a search index write that takes a long time
        return real(*args, **kwargs)

    monkeypatch.setattr(indexer, "load_documents", slow_index)
    auth.login(customer)
    try:
        response = client.post(
            "/threads/new",
            data={"category": category.slug, "title": "Router offline", "body": "It reboots."},
        )
        assert response.status_code == 302
        db.session.remove()  # the end of the request's app context, which the fixture keeps
        assert not entered.wait(0.3)  # nothing happens before the response is sent...
        response.close()  # ...which a WSGI server says by closing it (the test client does not)
        assert entered.wait(10), "the courier never started delivering"
        assert outbox.backlog() == 1
        release.set()
        deadline = time.monotonic() + 10
        while outbox.backlog() and time.monotonic() < deadline:
            db.session.remove()
            time.sleep(0.05)
        assert outbox.backlog() == 0
        assert search_titles(client, "router") == ["Router offline"]
        helper = write_process.helper().process  # Whoosh was written in a process of its own
        assert helper.poll() is None and helper.pid != os.getpid()
    finally:
        release.set()
        worker.courier(app).stop()
        write_process.helper().stop()


def test_courier_is_not_used_when_a_worker_delivers(app, client, auth, customer, category):
    app.config["OUTBOX_DRAIN_INLINE"] = False
    auth.login(customer)
    response = client.post(
        "/threads/new",
        data={"category": category.slug, "title": "Switch offline", "body": "All ports dark."},
    )
    assert response.status_code == 302
    assert "courier" not in app.extensions
    assert outbox.backlog() == 1  # waits for `flask worker`
