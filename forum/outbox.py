"""The outbox: events written in the same transaction as the change they describe.

Services call ``emit`` before they commit; after the commit the events are handed to the
subscribed consumers (search index, webhooks, notifications) by ``drain``. A consumer that
fails leaves its events in the table for the next drain, so a crash between the commit and
the consumer loses nothing.
"""

import logging
from contextlib import contextmanager
from datetime import timedelta
from itertools import takewhile

from flask import g

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


def subscribe(consumer):
    """Register ``consumer(events)``; it receives every drained batch and must be idempotent
    (a batch comes again when any consumer failed). It may write to the session, never commit:
    its writes commit together with the batch's removal from the queue, or not at all."""
    if consumer not in _consumers:
        _consumers.append(consumer)


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


def has_due():
    return db.session.scalar(db.select(OutboxEvent.id).where(_due()).limit(1)) is not None


def claim(batch_size):
    """The oldest due events, locked for this drain until it commits or rolls back.

    On SQLite the drain's transaction takes the database's write lock when it begins
    (``sqlite.writing``), which serialises drains. On PostgreSQL, SKIP LOCKED lets concurrent
    drains take different rows instead of delivering the same events twice.

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
    due = has_due()  # a plain read first: an empty queue never waits for SQLite's write lock
    db.session.commit()  # and ends, so that the claim's transaction begins as a write
    if not due:
        return 0
    with sqlite.writing():
        while max_batches is None or batches < max_batches:
            events = claim(batch_size)
            if not events:
                break
            batches += 1
            try:
                with db.session.begin_nested():
                    for consumer in _consumers:
                        consumer(events)
            except Exception as exc:  # a consumer failure must never break the page
                log.exception(
                    "outbox: delivering %d event(s) failed; they stay queued", len(events)
                )
                _record_failure(events, exc)
                break
            db.session.execute(
                db.delete(OutboxEvent).where(OutboxEvent.id.in_([e.id for e in events]))
            )
            db.session.commit()
            delivered += len(events)
    db.session.commit()
    return delivered


def _record_failure(events, exc):
    now = utcnow()
    for event in events:
        event.attempts += 1
        event.last_error = f"{type(exc).__name__}: {exc}"[:500]
        event.next_attempt_at = now + timedelta(seconds=retry_delay(event.attempts))
    db.session.commit()
