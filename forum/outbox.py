"""The outbox: events written in the same transaction as the change they describe.

Services call ``emit`` before they commit; after the commit the events are handed to the
subscribed consumers (search index, webhooks, notifications) by ``drain``. A consumer that
fails leaves its events in the table for the next drain, so a crash between the commit and
the consumer loses nothing.
"""

import logging
from contextlib import contextmanager

from flask import current_app, g

from forum.clock import utcnow
from forum.extensions import db

log = logging.getLogger(__name__)
_consumers = []


class OutboxEvent(db.Model):
    __tablename__ = "outbox"

    id = db.Column(db.Integer, primary_key=True)
    topic = db.Column(db.String(40), nullable=False)
    payload = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.String(500), nullable=True)


def subscribe(consumer):
    """Register ``consumer(events)``; it receives every drained batch and must be idempotent."""
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


def claim(batch_size):
    """The oldest pending events, locked for this drain until it commits or rolls back.

    On SQLite a drain's first write takes the database's write lock, which serialises drains
    (and SQLite ignores FOR UPDATE). On PostgreSQL, SKIP LOCKED lets concurrent drains take
    different rows instead of delivering the same events twice."""
    return db.session.scalars(
        db.select(OutboxEvent)
        .order_by(OutboxEvent.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    ).all()


def drain(batch_size=500):
    """Deliver pending events to every consumer; returns how many were delivered."""
    delivered = 0
    while True:
        events = claim(batch_size)
        if not events:
            return delivered
        try:
            for consumer in _consumers:
                consumer(events)
        except Exception as exc:  # a consumer failure must never break the page
            db.session.rollback()
            log.exception("outbox drain failed; events stay queued")
            _record_failure([e.id for e in events], exc)
            return delivered
        for event in events:
            db.session.delete(event)
        db.session.commit()
        delivered += len(events)


def _record_failure(ids, exc):
    db.session.execute(
        db.update(OutboxEvent)
        .where(OutboxEvent.id.in_(ids))
        .values(attempts=OutboxEvent.attempts + 1, last_error=str(exc)[:500])
    )
    db.session.commit()


def drain_after_request(response):
    if g.pop("outbox_pending", False) and current_app.config.get("OUTBOX_DRAIN_INLINE", True):
        try:
            drain()
        except Exception:
            log.exception("outbox drain failed")
            db.session.rollback()
    return response
