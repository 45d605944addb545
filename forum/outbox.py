"""The outbox: events written in the same transaction as the change they describe.

Services call ``emit`` before they commit; after the commit the events are handed to the
subscribed consumers (search index, webhooks, notifications) by ``drain``. A consumer that
fails leaves its events in the table for the next drain, so a crash between the commit and
the consumer loses nothing.
"""

import logging
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from itertools import takewhile

from flask import g
from sqlalchemy.exc import SQLAlchemyError

from forum import sqlite
from forum.clock import utcnow
from forum.extensions import db

log = logging.getLogger(__name__)
_consumers = []
RETRY_BASE = 1.0  # seconds before the second retry of a failed event; doubles each time
RETRY_MAX = 300.0


class OutboxEvent(db.Model):
    __tablename__ = "outbox"

    id = db.Column(db.Integer, primary_key=True)
    topic = db.Column(db.String(40), nullable=False)
    payload = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.String(500), nullable=True)
    # After a failed delivery, not before this time; NULL: due now.
    next_attempt_at = db.Column(db.DateTime, nullable=True)


def subscribe(consumer, outside=False):
    """Register ``consumer(events)``; it receives every drained batch and must be idempotent
    (a batch comes again when any consumer failed). It may write to the session, never commit:
    its writes commit together with the batch's removal from the queue, or not at all.

    ``outside`` (a bool, or a function asked at each drain) says the consumer keeps its data
    outside the database and writes nothing to it (the Whoosh index). On SQLite such consumers
    run before the write lock is taken, so posting never waits for them; the others run after
    them, holding the lock, with the batch's removal."""
    if all(existing is not consumer for existing, _ in _consumers):
        _consumers.append((consumer, outside))


def unsubscribe(consumer):
    _consumers[:] = [(c, outside) for c, outside in _consumers if c is not consumer]


def emit(topic, **payload):
    """Add an event to the current transaction; it is delivered after the commit."""
    if prefix := g.get("outbox_prefix"):
        topic = f"{prefix}.{topic}"
    db.session.add(OutboxEvent(topic=topic, payload=payload))
    g.outbox_pending = True


@contextmanager
def relabelled(prefix):
    """Emit every event inside as ``<prefix>.<topic>`` (imports: ``import.thread.changed``).
    Consumers that act on topics (webhooks, notifications) ignore them; consumers that read
    the ids in the payload (the search index) still apply them."""
    previous = g.get("outbox_prefix")
    g.outbox_prefix = prefix
    try:
        yield
    finally:
        g.outbox_prefix = previous


def backlog():
    return db.session.scalar(db.select(db.func.count(OutboxEvent.id)))


def failing():
    """How many events have failed at least once and wait for another attempt."""
    return db.session.scalar(
        db.select(db.func.count(OutboxEvent.id)).where(OutboxEvent.attempts > 0)
    )


def retry_delay(attempts):
    """Seconds to wait after an event's ``attempts``-th failed delivery: none after the first
    (most failures are a search index busy for a moment), then 1, 2, 4 … up to RETRY_MAX."""
    if attempts <= 1:
        return 0.0
    return min(RETRY_MAX, RETRY_BASE * 2 ** (attempts - 2))


def _due():
    return OutboxEvent.next_attempt_at.is_(None) | (OutboxEvent.next_attempt_at <= utcnow())


def claim(batch_size):
    """The oldest due events, locked for this drain until it commits or rolls back.

    On PostgreSQL, SKIP LOCKED lets concurrent drains take different rows instead of delivering
    the same events twice. On SQLite (one host) drains take turns on a lock file.

    Events that failed before are never batched with fresh ones, and each failure halves the
    batch they are retried in: a poisoned event ends up alone, backing off, while the events
    that arrived with it go through."""
    events = db.session.scalars(
        db.select(OutboxEvent)
        .where(_due())
        .order_by(OutboxEvent.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    ).all()
    if not events:
        return events
    tried = events[0].attempts > 0
    size = max(1, batch_size >> min(events[0].attempts, 30))
    return list(takewhile(lambda event: (event.attempts > 0) == tried, events))[:size]


def drain(batch_size=500, max_batches=None):
    """Deliver due events to every consumer, batch by batch, until none is due (or after
    ``max_batches``); returns how many were delivered. A batch whose consumer fails stays queued
    (its consumers' database writes undone) with one more attempt and a time for the next."""
    delivered = batches = 0
    g.pop("outbox_pending", None)  # whatever this context emitted is delivered here
    if next_attempts() is None:  # a plain read: an empty queue waits for no lock
        return 0
    with sqlite.taking_turns(db.engine, "outbox"):
        while max_batches is None or batches < max_batches:
            count = _deliver_batch(batch_size)
            if count is None:
                break
            batches += 1
            delivered += count
    return delivered


def next_attempts():
    """The attempts of the oldest due event (None: nothing is due); ends its read."""
    attempts = db.session.scalar(
        db.select(OutboxEvent.attempts).where(_due()).order_by(OutboxEvent.id).limit(1)
    )
    db.session.commit()
    return attempts


def _deliver_batch(batch_size):
    """Claim and deliver one batch: its size, or None when nothing was due or it failed.

    On SQLite a fresh batch goes first to the consumers that work outside the database (the
    search index's commit), inside a read transaction, so writers do not wait for them; then,
    holding the write lock, to the consumers that write to the database, and the batch is
    deleted in their transaction (milliseconds). A batch that failed before is delivered with
    the write lock held throughout. Elsewhere one transaction does it all (PostgreSQL's row
    locks keep concurrent drains apart)."""
    attempts = next_attempts()
    if attempts is None:
        return None
    sqlite_db = db.engine.dialect.name == "sqlite"
    two_phases = sqlite_db and attempts == 0
    outside = [c for c, is_outside in _consumers if _asked(is_outside)] if two_phases else []
    with nullcontext() if two_phases else sqlite.writing():
        events = claim(batch_size)
        if not events:
            db.session.commit()
            return None
        ids = [event.id for event in events]
        try:
            if two_phases:
                for consumer in outside:
                    consumer(events)
                db.session.commit()  # ends the read
            with sqlite.writing():
                if two_phases:  # the same rows, read again under the lock
                    events = db.session.scalars(
                        db.select(OutboxEvent)
                        .where(OutboxEvent.id.in_(ids))
                        .order_by(OutboxEvent.id)
                    ).all()
                with db.session.begin_nested():
                    for consumer, _ in _consumers:
                        if consumer not in outside:
                            consumer(events)
                db.session.execute(db.delete(OutboxEvent).where(OutboxEvent.id.in_(ids)))
                db.session.commit()
        except Exception as exc:  # a consumer failure must never break the page
            log.exception("outbox: delivering %d event(s) failed; they stay queued", len(ids))
            _record_failure(ids, exc, keep_locks=not sqlite_db)
            return None
    return len(ids)


def _asked(flag):
    return flag() if callable(flag) else flag


def _record_failure(ids, exc, keep_locks):
    """One more attempt and the time of the next for ``ids``. On PostgreSQL in the claiming
    transaction (its consumers' writes were undone to the savepoint), so the rows stay locked;
    on SQLite in a new transaction that holds the write lock."""
    if keep_locks:
        try:
            _count_failure(ids, exc)
            db.session.commit()
            return
        except SQLAlchemyError:  # the transaction itself broke: record it in a new one
            log.warning("outbox: recording the failure in a new transaction", exc_info=True)
    db.session.rollback()
    with sqlite.writing():
        _count_failure(ids, exc)
        db.session.commit()


def _count_failure(ids, exc):
    now = utcnow()
    for event in db.session.scalars(db.select(OutboxEvent).where(OutboxEvent.id.in_(ids))):
        event.attempts += 1
        event.last_error = f"{type(exc).__name__}: {exc}"[:500]
        event.next_attempt_at = now + timedelta(seconds=retry_delay(event.attempts))
