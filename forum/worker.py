"""Delivering the outbox and running background jobs outside the requests that caused them.

Two ways, one pass (``run_pass``: drain the outbox, then ``jobs.run_due``):

- ``flask worker`` (``Worker``): a loop in its own process. After a pass with work it goes again
  at once; after an idle one it sleeps, 0.2 s doubling to 5 s, back to 0.2 s at the first work.
  SIGTERM or SIGINT stops it after the batch in hand. Any number may run, on any host: on
  PostgreSQL drains take different events (SKIP LOCKED), on SQLite they take turns.
- the embedded setup (no worker; ``OUTBOX_DRAIN_INLINE`` on): one ``Courier`` thread per web
  process. A request that wrote events pokes it once its response has been sent; it waits
  COALESCE_SECONDS for other requests' events, takes its turn among the host's couriers and
  delivers; it also wakes every ``OUTBOX_POLL_SECONDS`` for due jobs and failed events' retries.
  Pages never wait for the search index's commit or for a mail server, nor for the interpreter
  lock while Whoosh writes: the courier hands that to a helper process (search/write_process.py).
"""

import logging
import os
import signal
import threading

from flask import current_app, g

from forum import jobs, outbox, sqlite
from forum.extensions import db

log = logging.getLogger(__name__)
_creating = threading.Lock()
_here = threading.local()
COALESCE_SECONDS = 0.5


def run_pass(batch_size=500, max_batches=None):
    """Deliver due outbox events, then run the due jobs: (events delivered, job items handled)."""
    try:
        delivered = outbox.drain(batch_size, max_batches)
    except Exception:
        db.session.rollback()
        raise
    return delivered, jobs.run_due()


class Worker:
    """The loop of ``flask worker``."""

    def __init__(self, app, batch_size=500, min_idle=0.2, max_idle=5.0):
        self.app, self.batch_size = app, batch_size
        self.min_idle, self.max_idle = min_idle, max_idle
        self.stopping = threading.Event()

    def stop(self, signum=None, _frame=None):
        name = signal.Signals(signum).name if signum else "request"
        log.info("worker: %s received, stopping after the current batch", name)
        self.stopping.set()

    def step(self, max_batches=1):
        """One pass in a fresh application context; a failing pass is logged and counts as idle."""
        with self.app.app_context():
            try:
                return run_pass(self.batch_size, max_batches)
            except Exception:
                log.exception("worker: pass failed; retrying after a pause")
                return 0, 0
            finally:
                db.session.remove()

    def run(self):
        """Loop until stopped; returns the totals (events delivered, job items handled)."""
        totals, idle = [0, 0], self.min_idle
        log.info("worker: started (pid %d)", os.getpid())
        while not self.stopping.is_set():
            delivered, handled = self.step()
            totals[0] += delivered
            totals[1] += handled
            if delivered or handled:
                log.info("worker: delivered %d event(s), %d job item(s)", delivered, handled)
                idle = self.min_idle
                continue
            self.stopping.wait(idle)
            idle = min(self.max_idle, idle * 2)
        log.info("worker: stopped; %d event(s), %d job item(s) in all", *totals)
        return tuple(totals)

    def once(self):
        """Everything due now, once: the whole outbox backlog, then the jobs."""
        return self.step(max_batches=None)


class Courier:
    """The embedded setup's delivery thread, one per process (started lazily, and again in a
    process forked from one that had it: threads do not survive a fork)."""

    def __init__(self, app, interval):
        self.app, self.interval = app, interval
        self.wake, self.stopping = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        self.thread, self.pid = None, None

    def running(self):
        return self.pid == os.getpid() and self.thread is not None and self.thread.is_alive()

    def start(self):
        if self.running():
            return
        with self.lock:
            if not self.running():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self.loop, name="courier", daemon=True)
                self.thread.start()

    def poke(self):
        """Deliver soon: called once a writing request's response has been sent."""
        self.start()
        self.wake.set()

    def stop(self, timeout=10):
        """End the thread after its current pass (tests; a web process simply exits)."""
        self.stopping.set()
        self.wake.set()
        if self.running():
            self.thread.join(timeout)

    def loop(self):
        worker = Worker(self.app)
        _here.courier = True
        while True:
            if self.wake.wait(self.interval):
                # A moment for the writes of other requests to join the batch: under load,
                # one search index commit for several posts instead of one each.
                self.stopping.wait(COALESCE_SECONDS)
            if self.stopping.is_set():
                return
            self.wake.clear()  # a poke during the pass below makes the next pass start at once
            # The couriers of one host take turns: two at once would only queue for the search
            # index's writer (on PostgreSQL both could claim events; on SQLite drains take
            # turns anyway).
            try:
                with sqlite.file_lock(os.path.join(self.app.instance_path, "courier.lock")):
                    worker.step(max_batches=None)
            except OSError:  # the lock file: retried at the next wake
                log.exception("courier: cannot take the host's turn")


def in_courier():
    """Whether this is a courier's thread (which hands Whoosh's writes to a helper process)."""
    return getattr(_here, "courier", False)


def courier(app):
    """This application's courier."""
    if "courier" not in app.extensions:
        with _creating:
            app.extensions.setdefault("courier", Courier(app, app.config["OUTBOX_POLL_SECONDS"]))
    return app.extensions["courier"]


def deliver_after_request(response):
    """After-request hook. Under TESTING the events a request wrote are delivered before it
    returns, so a test sees the search index up to date; otherwise the courier delivers them once
    the response has been sent. Nothing when OUTBOX_DRAIN_INLINE is off: `flask worker` does."""
    pending = g.pop("outbox_pending", False)
    app = current_app._get_current_object()
    if not app.config["OUTBOX_DRAIN_INLINE"]:
        return response
    if app.testing:
        if pending:
            try:
                outbox.drain()
            except Exception:
                log.exception("outbox drain failed")
                db.session.rollback()
        return response
    delivery = courier(app)
    delivery.start()  # at the first request: due jobs run even when nobody writes
    if pending:
        response.call_on_close(delivery.poke)
    return response
