"""Flags: customers reporting posts. A flag weighs more from a trusted, accurate flagger; a post
whose open flags weigh enough is hidden until a moderator decides."""

from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.moderation import visibility
from forum.moderation.errors import ModerationError
from forum.moderation.models import FLAG_REASONS, Flag, record
from forum.outbox import emit
from forum.spam.policy import load_policy
from forum.spam.trust import user_level

BASE_WEIGHT = {"new": 1.0, "basic": 1.5, "trusted": 2.0, "team": 3.0}
NOTE_MAX = 500
ALREADY = "You have already reported this post. Moderators will look at it."


class FlagError(ModerationError):
    """A refused flag: on one's own post, on a post that isn't public, or without a reason."""


class AlreadyFlagged(FlagError):
    """The same user reported the same post before; nothing is counted twice."""

    status = 409


def accuracy(user):
    """Share of the user's resolved flags that moderators upheld, starting from an even 1/2."""
    return (user.flags_helpful + 1) / (user.flags_helpful + user.flags_declined + 2)


def flag_weight(user, policy):
    """Trust sets the base; past accuracy scales it between 0 and 2 times."""
    return round(BASE_WEIGHT[user_level(user, policy)] * 2 * accuracy(user), 2)


def _already_flagged(user, post):
    return db.session.scalar(
        db.select(Flag.id).where(Flag.post_id == post.id, Flag.flagger_id == user.id)
    )


def flag(user, post, reason, note=""):
    """Report ``post``; returns (flag, hidden: bool). Hides the post when its open flags reach
    the flag_hide_weight setting, or at once when a trusted flagger reports a new user's post
    as spam. Refuses a second flag by the same user (AlreadyFlagged), flagging one's own post,
    unknown reasons and posts that are not visible (FlagError)."""
    if reason not in FLAG_REASONS:
        raise FlagError("Choose why you are reporting this post.")
    if post.author_id == user.id:
        raise FlagError("You can't report your own post. You can edit or delete it instead.")
    if post.status != "visible":
        raise FlagError("This post is already hidden or waiting for review.")
    if _already_flagged(user, post):
        raise AlreadyFlagged(ALREADY)
    note = " ".join((note or "").split())[:NOTE_MAX]
    if reason == "other" and not note:
        raise FlagError("Please say in a few words what is wrong with the post.")
    policy = load_policy()
    entry = Flag(post=post, flagger_id=user.id, reason=reason, note=note)
    entry.weight = flag_weight(user, policy)
    db.session.add(entry)
    post.open_flags = type(post).open_flags + 1
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyFlagged(ALREADY) from None
    hidden = _maybe_hide(post, user, reason, policy)
    db.session.commit()
    return entry, hidden


def _maybe_hide(post, flagger, reason, policy):
    weight = db.session.scalar(
        db.select(db.func.coalesce(db.func.sum(Flag.weight), 0.0)).where(
            Flag.post_id == post.id, Flag.resolution.is_(None)
        )
    )
    author_level = user_level(post.author, policy)
    trusted_spam = (
        reason == "spam"
        and user_level(flagger, policy) in ("trusted", "team")
        and author_level == "new"
    )
    if post.author.is_team or not (trusted_spam or weight >= policy.flag_hide_weight):
        return False
    why = (
        "trusted member reported a new account's post as spam"
        if trusted_spam
        else (f"flag weight {weight:g} reached {policy.flag_hide_weight:g}")
    )
    db.session.refresh(post)
    before = {"status": post.status}
    visibility.set_status(post, "hidden")
    post.review_version = type(post).review_version + 1
    db.session.flush()
    record(None, "hide", post, why, before, {"status": "hidden", "version": post.review_version})
    emit("post.hidden", thread_id=post.thread_id, post_id=post.id)
    return True
