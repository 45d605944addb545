"""The mail queue: every message the forum sends waits here until the sender job delivers it."""

from forum.clock import utcnow
from forum.extensions import db

# queued: waiting for its next attempt; sent; failed: given up (last_error says why).
MAIL_STATUSES = ("queued", "sent", "failed")


class MailMessage(db.Model):
    __tablename__ = "mail_messages"
    __table_args__ = (db.Index("ix_mail_messages_due", "status", "next_attempt_at"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.ForeignKey("users.id"), nullable=True, index=True)
    to_address = db.Column(db.String(254), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    text_body = db.Column(db.Text, nullable=False)
    html_body = db.Column(db.Text, nullable=False)
    # Extra headers (List-Unsubscribe, List-Unsubscribe-Post), as {name: value}.
    headers = db.Column(db.JSON, nullable=False, default=dict)
    status = db.Column(db.String(8), nullable=False, default="queued")
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)
    last_error = db.Column(db.String(500), nullable=True)

    def __repr__(self):
        return f"<MailMessage {self.id} to {self.to_address} {self.status}>"
