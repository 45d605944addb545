"""Sending deliveries: the background job, signatures, retries with backoff.

``send_due`` is registered with ``forum.jobs``: it claims the deliveries whose time has come
(one UPDATE, so two workers never send the same one), lets go of the database, POSTs each,
and records the outcome. A failure is retried after ``WEBHOOK_BACKOFF_BASE × 2^(attempts-1)``
seconds (at most ``BACKOFF_CAP``) plus up to a quarter more of random jitter, so receivers
that come back are not hit by every forum at once; after ``WEBHOOK_MAX_ATTEMPTS`` the delivery
is failed for good (an admin can redeliver it).
"""

import hashlib
import hmac
import json
import logging
import random
import time
from datetime import timedelta

from flask import current_app

from forum.clock import utcnow
from forum.extensions import db
from forum.webhooks import transport
from forum.webhooks.models import Webhook, WebhookDelivery

log = logging.getLogger(__name__)
BATCH = 20  # deliveries per run: a worker loop never waits on more than 20 timeouts
BACKOFF_CAP = timedelta(hours=6)
RETENTION_CHECK = timedelta(minutes=10)
USER_AGENT = "forum-webhooks/1"
_last_prune = {"at": None}


def sign(secret, body):
    """The ``X-Forum-Signature`` value: HMAC-SHA256 of the raw body, keyed by the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(delivery):
    """The exact bytes POSTed (and signed); the same on every attempt."""
    document = {
        "id": delivery.id,
        "event": delivery.event,
        "created_at": delivery.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "webhook_id": delivery.webhook_id,
        "data": delivery.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def headers_of(delivery, body, secret):
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Forum-Event": delivery.event,
        "X-Forum-Delivery": str(delivery.id),
        "X-Forum-Signature": sign(secret, body),
    }


def backoff(attempts):
    """How long to wait after the ``attempts``-th failed attempt (1, 2, …), with jitter."""
    base = float(current_app.config["WEBHOOK_BACKOFF_BASE"])
    delay = min(base * 2 ** (attempts - 1), BACKOFF_CAP.total_seconds())
    return timedelta(seconds=delay + random.uniform(0, delay / 4))


def lease():
    """How long a claimed delivery stays with its sender before another may retry it."""
    return timedelta(seconds=float(current_app.config["WEBHOOK_TIMEOUT"]) * 2 + 60)


def claim(limit=BATCH, ids=None):
    """Take up to ``limit`` due deliveries of enabled webhooks (or the pending ones among
    ``ids``, whatever their time) by moving their next attempt past the lease; returns their
    ids."""
    now = utcnow()
    pending = [WebhookDelivery.status == "pending"]
    if ids:  # an admin's explicit send goes out even while the webhook is disabled
        pending.append(WebhookDelivery.id.in_(ids))
    else:
        enabled = db.select(Webhook.id).where(Webhook.enabled.is_(True))
        pending += [WebhookDelivery.next_attempt_at <= now, WebhookDelivery.webhook_id.in_(enabled)]
        # A read first: the job runs after every response, and an UPDATE, even of no row,
        # would take SQLite's write lock each time.
        if db.session.scalar(db.select(WebhookDelivery.id).where(*pending).limit(1)) is None:
            db.session.commit()  # ends the read, as the claim below ends its write
            return []
    due = (
        db.select(WebhookDelivery.id)
        .where(*pending)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    claimed = db.session.scalars(
        db.update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=now + lease())
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(claimed)


def send_due():
    """The background job: send every due delivery (a batch per call); returns how many were
    attempted. Also forgets finished deliveries older than ``WEBHOOK_RETENTION_DAYS``."""
    prune()
    ids = claim()
    for delivery_id in ids:
        attempt(delivery_id)
    return len(ids)


def send_now(delivery):
    """Send one delivery at once (the admin's *Send test* and *Redeliver*); returns it with
    the outcome recorded."""
    for delivery_id in claim(ids=[delivery.id]):
        attempt(delivery_id)
    db.session.refresh(delivery)
    return delivery


def attempt(delivery_id):
    """POST one claimed delivery and record the outcome in its own commit."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:  # its webhook was deleted meanwhile
        return
    webhook = delivery.webhook
    url, secret = webhook.url, webhook.secret
    body = body_of(delivery)
    headers = headers_of(delivery, body, secret)
    db.session.commit()  # no transaction stays open while the remote thinks
    timeout = float(current_app.config["WEBHOOK_TIMEOUT"])
    started = time.monotonic()
    try:
        status, error = transport.post(url, body, headers, timeout), None
    except transport.DeliveryFailed as failure:
        status, error = failure.status, str(failure)
    elapsed = int((time.monotonic() - started) * 1000)
    record(delivery_id, status, error, elapsed)


def record(delivery_id, status, error, elapsed_ms):
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return
    now = utcnow()
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.last_duration_ms = now, elapsed_ms
    delivery.last_status_code, delivery.last_error = status, error[:500] if error else None
    if error is None:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
    elif delivery.attempts >= int(current_app.config["WEBHOOK_MAX_ATTEMPTS"]):
        delivery.status, delivery.next_attempt_at = "failed", None
        log.warning("webhook delivery %s failed for good: %s", delivery_id, error)
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    db.session.commit()


def prune():
    """Delete delivered and failed deliveries past the retention period, at most once every
    ten minutes per process."""
    now = utcnow()
    if _last_prune["at"] is not None and now - _last_prune["at"] < RETENTION_CHECK:
        return
    _last_prune["at"] = now
    days = int(current_app.config["WEBHOOK_RETENTION_DAYS"])
    db.session.execute(
        db.delete(WebhookDelivery)
        .where(
            WebhookDelivery.status != "pending",
            WebhookDelivery.created_at < now - timedelta(days=days),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
