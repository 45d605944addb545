"""Moderator actions on accounts: silence for a while, ban, ban and purge every post."""

from collections import defaultdict
from datetime import timedelta

from forum.clock import utcnow
from forum.extensions import db
from forum.moderation import visibility
from forum.moderation.errors import ModerationError
from forum.moderation.models import record
from forum.moderation.notices import notify
from forum.moderation.services import resolve_flags
from forum.moderation.training import label_post
from forum.outbox import emit
from forum.permissions import can_ban
from forum.threads.models import Post
from forum.users.models import new_session_token

SILENCE_DAYS = (1, 3, 7, 30, 365)


def _check_target(actor, user):
    if not can_ban(actor, user):
        raise ModerationError("Only customers' accounts can be silenced or banned, never your own.")


def silence(actor, user, days, reason=""):
    """Stop ``user`` posting for ``days`` days (they can still read and sign in). Refuses team
    accounts and unusual lengths."""
    _check_target(actor, user)
    if days not in SILENCE_DAYS:
        raise ModerationError(f"Choose one of {', '.join(map(str, SILENCE_DAYS))} days.")
    before = {"silenced_until": user.silenced_until.isoformat() if user.silenced_until else None}
    user.silenced_until = utcnow() + timedelta(days=days)
    after = {"silenced_until": user.silenced_until.isoformat()}
    entry = record(actor, "silence", user, reason, before, after)
    notify(
        user.id,
        f"A moderator silenced your account for {days} day(s): you can read but not post."
        + (f" Reason: {reason}" if reason else ""),
    )
    db.session.commit()
    return entry


def _purge(actor, user, spam):
    """Remove every live post of ``user``; returns what each was before, for undo."""
    posts = db.session.scalars(
        db.select(Post)
        .where(Post.author_id == user.id, Post.status.not_in(("removed", "deleted")))
        .order_by(Post.id)
    ).all()
    statuses, trained, by_thread = {}, {}, defaultdict(list)
    for post in posts:
        statuses[str(post.id)], trained[str(post.id)] = post.status, post.trained_as
        resolve_flags(post, "helpful", actor)
        visibility.set_status(post, "removed")
        post.review_version = Post.review_version + 1
        if spam:
            label_post(post, "spam")
        by_thread[post.thread_id].append(post.id)
    for thread_id, post_ids in by_thread.items():
        emit("post.removed", thread_id=thread_id, post_id=post_ids[0], post_ids=post_ids)
    return statuses, trained


def ban(actor, user, purge=False, spam=None, reason=""):
    """Ban ``user`` (signed out everywhere, cannot sign in). With ``purge``, every post of the
    user is removed in the same step, and a purged question takes its thread with it; ``spam``
    (default: same as ``purge``) trains the classifier on the purged posts. Reversible from the
    audit log. Refuses team accounts, oneself, and banning an already banned user without
    purging."""
    _check_target(actor, user)
    spam = purge if spam is None else bool(spam)
    if user.is_banned and not purge:
        raise ModerationError(f"{user.username} is already banned.")
    before = {"is_banned": user.is_banned, "posts": {}, "trained": {}}
    user.is_banned = True
    user.session_token = new_session_token()
    if purge:
        before["posts"], before["trained"] = _purge(actor, user, spam)
    after = {"is_banned": True, "purged": len(before["posts"]), "spam": spam and purge}
    entry = record(actor, "ban", user, reason, before, after)
    db.session.commit()
    return entry
