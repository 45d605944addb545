"""Undoing a moderation action from the audit log.

Each reversible action stored what it changed (``before``/``after``); undo puts it back,
takes back what the classifier learned from it, and records an "undo" entry pointing at the
original. An action can be undone once, and only while nothing else has changed the post since.
"""

from datetime import datetime

from forum.extensions import db
from forum.moderation import visibility
from forum.moderation.errors import AlreadyResolved, ModerationError
from forum.moderation.models import Flag, ModerationAction, record
from forum.moderation.training import label_post
from forum.outbox import emit
from forum.threads.models import Post
from forum.users.models import User

UNDOABLE = ("approve", "remove", "hide", "delete_post", "silence", "ban")


def undone_by(entry):
    """The "undo" entry that reversed ``entry``, or None."""
    return db.session.scalar(
        db.select(ModerationAction).where(
            ModerationAction.action == "undo",
            ModerationAction.target_type == "moderationaction",
            ModerationAction.target_id == entry.id,
        )
    )


def can_be_undone(entry):
    return entry.action in UNDOABLE and entry.before is not None


def _reopen_flags(flag_ids):
    flags = db.session.scalars(db.select(Flag).where(Flag.id.in_(flag_ids or []))).all()
    for flag in flags:
        if flag.flagger_id is not None:
            column = User.flags_helpful if flag.resolution == "helpful" else User.flags_declined
            db.session.execute(
                db.update(User).where(User.id == flag.flagger_id).values({column: column - 1})
            )
        flag.resolution, flag.resolved_at, flag.resolved_by_id = None, None, None
    return len(flags)


def _undo_post_decision(entry):
    post = db.session.get(Post, entry.target_id)
    after = entry.after or {}
    if post is None:
        raise ModerationError("The post no longer exists.")
    if "version" in after:
        visibility.claim(post, after["version"])
    elif post.status != after.get("status"):
        raise AlreadyResolved("The post has changed since; there is nothing to undo.")
    visibility.set_status(post, entry.before["status"])
    if entry.action == "delete_post" and post.status == "visible" and not post.author.is_team:
        # The thread services' deletion never took the post off the author's trust count.
        post.author.approved_posts = User.approved_posts - 1
    post.open_flags = Post.open_flags + _reopen_flags(after.get("flags"))
    if "trained" in entry.before:
        label_post(post, entry.before["trained"])
    emit("post.restored", thread_id=post.thread_id, post_id=post.id)


def _undo_silence(entry):
    user = db.session.get(User, entry.target_id)
    current = user.silenced_until.isoformat() if user.silenced_until else None
    if current != entry.after["silenced_until"]:
        raise AlreadyResolved("The account's silence has changed since; nothing to undo.")
    before = entry.before["silenced_until"]
    user.silenced_until = datetime.fromisoformat(before) if before else None


def _undo_ban(entry):
    result = db.session.execute(
        db.update(User)
        .where(User.id == entry.target_id, User.is_banned.is_(True))
        .values(is_banned=entry.before.get("is_banned", False))
    )
    if result.rowcount != 1:
        raise AlreadyResolved("The account is no longer banned; nothing to undo.")
    statuses, trained = entry.before.get("posts", {}), entry.before.get("trained", {})
    posts = db.session.scalars(
        db.select(Post).where(Post.id.in_([int(i) for i in statuses]), Post.status == "removed")
    ).all()
    threads = {}
    for post in posts:
        visibility.set_status(post, statuses[str(post.id)])
        post.review_version = Post.review_version + 1
        label_post(post, trained.get(str(post.id)))
        threads.setdefault(post.thread_id, []).append(post.id)
    for thread_id, post_ids in threads.items():
        emit("post.restored", thread_id=thread_id, post_id=post_ids[0], post_ids=post_ids)


HANDLERS = {
    "approve": _undo_post_decision,
    "remove": _undo_post_decision,
    "hide": _undo_post_decision,
    "delete_post": _undo_post_decision,
    "silence": _undo_silence,
    "ban": _undo_ban,
}


def undo(actor, entry, reason=""):
    """Reverse ``entry``. Refuses actions that cannot be undone, ones already undone, and ones
    whose target has changed since (AlreadyResolved)."""
    if not can_be_undone(entry):
        raise ModerationError("This action can't be undone.")
    earlier = undone_by(entry)
    if earlier is not None:
        who = earlier.actor.username if earlier.actor else "someone"
        raise AlreadyResolved(f"Already undone by {who}.")
    try:
        HANDLERS[entry.action](entry)
    except ModerationError:
        db.session.rollback()
        raise
    after = {"undoes": entry.id, "action": entry.action}
    undo_entry = record(actor, "undo", entry, reason, after=after)
    db.session.commit()
    return undo_entry
