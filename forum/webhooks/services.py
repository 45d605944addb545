"""Webhook actions for admins: register, change, rotate the secret, delete, test, redeliver.
One commit each; sending itself happens in ``delivery``."""

import secrets
from urllib.parse import urlsplit

from sqlalchemy import func

from forum.clock import utcnow
from forum.extensions import db
from forum.moderation.models import record
from forum.webhooks import addresses, delivery, events
from forum.webhooks.models import EVENTS, Webhook, WebhookDelivery

DESCRIPTION_MAX = 200
WEBHOOKS_MAX = 50
RECENT_DELIVERIES = 50


class WebhookError(ValueError):
    """A refused change; ``field`` names the form field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def new_secret():
    return secrets.token_hex(32)


def _clean(url, description, chosen):
    try:
        url = addresses.check_url(url)
    except addresses.AddressError as error:
        raise WebhookError(str(error), "url") from None
    description = " ".join((description or "").replace("\x00", "").split())
    if len(description) > DESCRIPTION_MAX:
        raise WebhookError(
            f"Description must be at most {DESCRIPTION_MAX} characters long.", "description"
        )
    chosen = [name for name in EVENTS if name in set(chosen or ())]
    if not chosen:
        raise WebhookError("Choose at least one event.", "events")
    return url, description, chosen


def create(actor, url, description="", chosen=EVENTS):
    """Register a webhook; returns ``(webhook, secret)``, the secret shown this once. Refuses
    URLs ``addresses.check_url`` refuses, no events, and more than 50 webhooks."""
    url, description, chosen = _clean(url, description, chosen)
    if db.session.scalar(db.select(func.count(Webhook.id))) >= WEBHOOKS_MAX:
        raise WebhookError(f"There are already {WEBHOOKS_MAX} webhooks; delete one first.")
    secret = new_secret()
    webhook = Webhook(
        url=url,
        description=description,
        events=chosen,
        secret=secret,
        enabled=True,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(webhook)
    db.session.flush()
    record(actor, "create_webhook", webhook, after=_audited(webhook))
    db.session.commit()
    return webhook, secret


def update(actor, webhook, url, description, chosen, enabled):
    """Change the URL, description, events or state. Disabling fails the deliveries still
    waiting, so re-enabling does not flood the receiver with stale events."""
    url, description, chosen = _clean(url, description, chosen)
    before = _audited(webhook)
    changed_url = url != webhook.url
    webhook.url, webhook.description, webhook.events = url, description, chosen
    if webhook.enabled and not enabled:
        _fail_pending(webhook, "The webhook was disabled before this delivery was sent.")
    webhook.enabled = bool(enabled)
    after = _audited(webhook)
    if after != before or changed_url:
        record(actor, "update_webhook", webhook, before=before, after=after)
    db.session.commit()
    return webhook


def _audited(webhook):
    """What the audit log (read by moderators too) keeps: the host, never the whole URL,
    whose path or query may itself be a credential (as chat services' webhook URLs are)."""
    host = urlsplit(webhook.url).hostname
    return {"host": host, "events": list(webhook.events), "enabled": webhook.enabled}


def _fail_pending(webhook, reason):
    db.session.execute(
        db.update(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook.id, WebhookDelivery.status == "pending")
        .values(status="failed", next_attempt_at=None, last_error=reason)
        .execution_options(synchronize_session=False)
    )


def rotate_secret(actor, webhook):
    """Give the webhook a new secret (returned, shown once); every delivery from now on,
    retries included, is signed with it."""
    secret = new_secret()
    webhook.secret, webhook.secret_rotated_at = secret, utcnow()
    record(actor, "rotate_webhook_secret", webhook)
    db.session.commit()
    return secret


def delete(actor, webhook):
    """Delete the webhook and its delivery history."""
    record(actor, "delete_webhook", webhook, before=_audited(webhook))
    db.session.execute(
        db.delete(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook.id)
        .execution_options(synchronize_session=False)
    )
    db.session.delete(webhook)
    db.session.commit()


def send_test(actor, webhook):
    """Queue a ``ping`` delivery and send it now, even to a disabled webhook; returns the
    delivery with its outcome."""
    with events.site_context():
        payload = events.ping(webhook)
    ping = WebhookDelivery(webhook_id=webhook.id, event="ping", payload=payload)
    db.session.add(ping)
    db.session.commit()
    return delivery.send_now(ping)


def redeliver(actor, failed):
    """Send a failed delivery again now, with the same id and payload and a fresh count of
    attempts (retried with backoff if it fails again). Refuses one that is not failed."""
    if failed.status != "failed":
        raise WebhookError("Only a failed delivery can be redelivered.")
    failed.status, failed.attempts, failed.next_attempt_at = "pending", 0, utcnow()
    db.session.commit()
    return delivery.send_now(failed)


def listing():
    """Every webhook with its latest delivery (or None), in two queries."""
    hooks = db.session.scalars(db.select(Webhook).order_by(Webhook.id)).all()
    latest = (
        db.select(func.max(WebhookDelivery.id))
        .where(WebhookDelivery.attempts > 0)
        .group_by(WebhookDelivery.webhook_id)
    )
    last = {
        d.webhook_id: d
        for d in db.session.scalars(
            db.select(WebhookDelivery).where(WebhookDelivery.id.in_(latest.scalar_subquery()))
        )
    }
    return [(hook, last.get(hook.id)) for hook in hooks]


def recent_deliveries(webhook, limit=RECENT_DELIVERIES):
    return db.session.scalars(
        db.select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    ).all()


def counts(webhook):
    """``{status: n}`` of the webhook's deliveries."""
    rows = db.session.execute(
        db.select(WebhookDelivery.status, func.count(WebhookDelivery.id))
        .where(WebhookDelivery.webhook_id == webhook.id)
        .group_by(WebhookDelivery.status)
    )
    return dict(rows.all())
