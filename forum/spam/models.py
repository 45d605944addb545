"""Spam tables: admin rules, saved settings and the classifier's counts. Shared by every worker
and host through the database."""

from forum.clock import utcnow
from forum.extensions import db

RULE_KINDS = ("word", "regex", "blocked_domain", "allowed_domain")
RULE_ACTIONS = ("block", "hold", "flag")


class SpamRule(db.Model):
    """A watched word or regex (with an action), a blocked domain or an allowed domain."""

    __tablename__ = "spam_rules"
    __table_args__ = (db.UniqueConstraint("kind", "pattern"),)

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(16), nullable=False)
    pattern = db.Column(db.String(200), nullable=False)
    # Only for words and regexes; domains act by their kind.
    action = db.Column(db.String(8), nullable=True)
    note = db.Column(db.String(200), nullable=False, default="")
    created_by_id = db.Column(db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    created_by = db.relationship("User")


class SpamSetting(db.Model):
    """A threshold or weight saved in the admin UI; it overrides the configured default."""

    __tablename__ = "spam_settings"

    name = db.Column(db.String(40), primary_key=True)
    value = db.Column(db.JSON, nullable=False)
    updated_by_id = db.Column(db.ForeignKey("users.id"), nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class SpamToken(db.Model):
    """How often a token occurred in messages trained as spam and as ham."""

    __tablename__ = "spam_tokens"

    token = db.Column(db.String(64), primary_key=True)
    spam = db.Column(db.Integer, nullable=False, default=0)
    ham = db.Column(db.Integer, nullable=False, default=0)


class SpamModel(db.Model):
    """The classifier's totals (one row, id 1). No row, or no documents, means untrained."""

    __tablename__ = "spam_model"

    id = db.Column(db.Integer, primary_key=True)
    spam_docs = db.Column(db.Integer, nullable=False, default=0)
    ham_docs = db.Column(db.Integer, nullable=False, default=0)
    spam_tokens = db.Column(db.Integer, nullable=False, default=0)
    ham_tokens = db.Column(db.Integer, nullable=False, default=0)
    vocabulary = db.Column(db.Integer, nullable=False, default=0)
    # Digest of the starter corpus last seeded, so `spam seed` runs once per corpus version.
    corpus_digest = db.Column(db.String(64), nullable=True)
    updated_at = db.Column(db.DateTime, nullable=True)
