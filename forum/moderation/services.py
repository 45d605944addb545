"""Moderator decisions on posts: approve and remove (as spam or not). One commit each, with an
audit entry, an outbox event for the thread (from which the author is notified), notices for
the flaggers, and the classifier trained by the decision."""

from forum.clock import utcnow
from forum.extensions import db
from forum.moderation import visibility
from forum.moderation.errors import ModerationError
from forum.moderation.models import record
from forum.moderation.notices import notify
from forum.moderation.training import label_post
from forum.outbox import emit
from forum.users.models import User


def resolve_flags(post, resolution, actor):
    """Close the post's open flags and credit (or debit) each flagger's accuracy."""
    flags = [flag for flag in post.flags if flag.resolution is None]
    column = User.flags_helpful if resolution == "helpful" else User.flags_declined
    for flag in flags:
        flag.resolution, flag.resolved_at, flag.resolved_by_id = resolution, utcnow(), actor.id
        if flag.flagger_id is not None:
            db.session.execute(
                db.update(User).where(User.id == flag.flagger_id).values({column: column + 1})
            )
    post.open_flags = 0
    return flags


def _tell_flaggers(flags, post, outcome):
    title = post.thread.title
    link = post if post.status == "visible" else None
    for flag in flags:
        notify(
            flag.flagger_id,
            f"You reported a post in “{title}”. A moderator reviewed it and {outcome}. "
            "Thank you for helping.",
            link,
        )


def approve(actor, post, reason="", version=None):
    """Publish a held, hidden or flagged post: its flags are declined and it is trained as ham.

    Refuses a post another moderator decided first (AlreadyResolved; with ``version``, any
    change since the moderator saw it) and a removed or deleted post (undo the removal)."""
    visibility.claim(post, version)
    if post.status in ("removed", "deleted") or not (
        post.status in ("held", "hidden") or post.open_flags
    ):
        db.session.rollback()
        raise ModerationError("This post isn't waiting for review; there is nothing to approve.")
    before = {"status": post.status, "open_flags": post.open_flags, "trained": post.trained_as}
    flags = resolve_flags(post, "declined", actor)
    visibility.set_status(post, "visible")
    label_post(post, "ham")
    after = {"status": "visible", "flags": [f.id for f in flags], "version": post.review_version}
    entry = record(actor, "approve", post, reason, before, after)
    _tell_flaggers([f for f in flags if f.flagger_id], post, "left it up")
    emit("post.approved", thread_id=post.thread_id, post_id=post.id)
    db.session.commit()
    return entry


def remove(actor, post, spam=False, reason="", version=None):
    """Remove a post (its thread too, if it is the question); as spam, it trains the classifier.

    Refuses a post already decided (AlreadyResolved) and one that is removed or deleted."""
    visibility.claim(post, version)
    if post.status in ("removed", "deleted"):
        db.session.rollback()
        raise ModerationError("This post has already been removed.")
    before = {"status": post.status, "open_flags": post.open_flags, "trained": post.trained_as}
    flags = resolve_flags(post, "helpful", actor)
    visibility.set_status(post, "removed")
    if spam:
        label_post(post, "spam")
    after = {
        "status": "removed",
        "spam": bool(spam),
        "flags": [f.id for f in flags],
        "version": post.review_version,
    }
    entry = record(actor, "remove", post, reason, before, after)
    _tell_flaggers([f for f in flags if f.flagger_id], post, "removed it")
    emit("post.removed", thread_id=post.thread_id, post_id=post.id)
    db.session.commit()
    return entry


BULK_ACTIONS = ("approve", "spam", "remove")


def bulk(actor, posts, action, reason=""):
    """Apply one decision to several posts, each in its own commit, so one that another
    moderator already took does not stop the rest. Returns (done, [(post, message)])."""
    if action not in BULK_ACTIONS:
        raise ModerationError("Choose approve, spam or remove.")
    done, skipped = 0, []
    for post in posts:
        try:
            if action == "approve":
                approve(actor, post, reason)
            else:
                remove(actor, post, spam=action == "spam", reason=reason)
        except ModerationError as error:
            skipped.append((post, str(error)))
        else:
            done += 1
    return done, skipped
