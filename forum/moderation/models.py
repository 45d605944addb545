from forum.clock import utcnow
from forum.extensions import db
from forum.notifications.models import Notification


class ModerationAction(db.Model):
    """The audit log: who did what to which object, why, and what it was before."""

    __tablename__ = "moderation_actions"
    # The decisions on a batch's posts (notifications) and an object's history.
    __table_args__ = (db.Index("ix_moderation_actions_target", "target_type", "target_id"),)

    id = db.Column(db.Integer, primary_key=True)
    actor_id = db.Column(db.ForeignKey("users.id"), nullable=True, index=True)
    action = db.Column(db.String(40), nullable=False)
    target_type = db.Column(db.String(20), nullable=False)
    target_id = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.String(500), nullable=False, default="")
    before = db.Column(db.JSON, nullable=True)
    after = db.Column(db.JSON, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    actor = db.relationship("User")


def unproxied(instance):
    """The object behind Flask-Login's ``current_user`` (or the object itself)."""
    unwrap = getattr(instance, "_get_current_object", None)
    return unwrap() if unwrap is not None else instance


def record(actor, action, target, reason="", before=None, after=None):
    """Add an audit entry about ``target`` (a stored model object; ``current_user`` is
    unwrapped) to the session; the calling service commits it. Refuses (TypeError) anything
    else: its class name would file the entry under a type no filter asks for."""
    target = unproxied(target)
    if not isinstance(target, db.Model) or target.id is None:
        raise TypeError(f"audit target must be a stored model object, not {target!r}")
    entry = ModerationAction(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=target.id,
        reason=reason,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


FLAG_REASONS = {
    "spam": "Spam or advertising",
    "offensive": "Rude or offensive",
    "off_topic": "Off-topic",
    "other": "Something else",
}


class Flag(db.Model):
    """A report that a post needs a moderator. ``flagger_id`` is empty for flags raised by an
    admin rule whose action is "flag"."""

    __tablename__ = "flags"
    __table_args__ = (db.UniqueConstraint("post_id", "flagger_id"),)

    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.ForeignKey("posts.id"), nullable=False, index=True)
    flagger_id = db.Column(db.ForeignKey("users.id"), nullable=True, index=True)
    reason = db.Column(db.String(16), nullable=False)
    note = db.Column(db.String(500), nullable=False, default="")
    weight = db.Column(db.Float, nullable=False, default=1.0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # helpful: the post was removed; declined: a moderator left it up.
    resolution = db.Column(db.String(16), nullable=True)
    resolved_at = db.Column(db.DateTime, nullable=True)
    resolved_by_id = db.Column(db.ForeignKey("users.id"), nullable=True)

    post = db.relationship("Post", backref=db.backref("flags", lazy="select"))
    flagger = db.relationship("User", foreign_keys=[flagger_id])

    @property
    def label(self):
        return FLAG_REASONS.get(self.reason, "Matched a moderation rule")


class Notice(Notification):
    """A sentence to one user about something that concerns them: a moderation decision on
    their post or report, an accepted or suggested answer. One kind of notification (shown
    under the bell with the others); ``text`` is the sentence."""

    __mapper_args__ = {"polymorphic_identity": "notice"}

    @property
    def sentence(self):
        return self.text
