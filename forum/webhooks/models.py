"""Registered webhooks and their delivery queue."""

from forum.clock import utcnow
from forum.extensions import db

EVENTS = ("thread.created", "post.created", "post.held", "answer.accepted", "article.published")
# pending: waiting for its (next) attempt; delivered: a 2xx answer; failed: out of attempts,
# refused before sending (webhook disabled or deleted address), or given up by an admin.
DELIVERY_STATUSES = ("pending", "delivered", "failed")


class Webhook(db.Model):
    """An integration's URL, the secret its deliveries are signed with, and its events.

    The secret is stored as it is: signing needs it (as on GitHub or Stripe). It is shown to
    the admin once, when it is made or rotated."""

    __tablename__ = "webhooks"

    id = db.Column(db.Integer, primary_key=True)
    url = db.Column(db.String(2000), nullable=False)
    description = db.Column(db.String(200), nullable=False, default="")
    secret = db.Column(db.String(128), nullable=False)
    events = db.Column(db.JSON, nullable=False, default=list)
    enabled = db.Column(db.Boolean, nullable=False, default=True)
    created_by_id = db.Column(db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    secret_rotated_at = db.Column(db.DateTime, nullable=True)

    created_by = db.relationship("User")

    def wants(self, event):
        return self.enabled and event in (self.events or ())

    def __repr__(self):
        return f"<Webhook {self.id} {self.url!r}>"


class WebhookDelivery(db.Model):
    """One event for one webhook: the payload to POST and what happened when it was sent.

    ``subject`` ("thread:12", "post:40") lets the consumer send a content's *created* event
    once, even when it becomes visible twice (approved, hidden, approved again)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        db.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        db.Index("ix_webhook_deliveries_webhook", "webhook_id", "id"),
        db.Index("ix_webhook_deliveries_subject", "subject", "webhook_id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    webhook_id = db.Column(db.ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False)
    event = db.Column(db.String(40), nullable=False)
    subject = db.Column(db.String(40), nullable=True)
    payload = db.Column(db.JSON, nullable=False)
    status = db.Column(db.String(16), nullable=False, default="pending")
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=True, default=utcnow)
    last_attempt_at = db.Column(db.DateTime, nullable=True)
    last_status_code = db.Column(db.Integer, nullable=True)
    last_error = db.Column(db.String(500), nullable=True)
    last_duration_ms = db.Column(db.Integer, nullable=True)
    delivered_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    webhook = db.relationship("Webhook")

    def __repr__(self):
        return f"<WebhookDelivery {self.id} {self.event} {self.status}>"
