"""Changing who can see a post, and keeping everything that depends on it in step: the thread
(a question's status is its thread's), the thread's reply count and activity, the author's
trust counter. Also the guard that lets only one moderator decide a post."""

from sqlalchemy import or_

from forum.extensions import db
from forum.kb import sync as kb_sync
from forum.moderation.errors import AlreadyResolved
from forum.moderation.models import ModerationAction
from forum.threads.models import Post, Thread
from forum.users.models import User

PENDING = or_(Post.status.in_(("held", "hidden")), Post.open_flags > 0)


def count_reply(thread, post):
    """A reply became visible: count it and let it move the thread's activity forward."""
    if thread.last_activity_at is None or post.created_at > thread.last_activity_at:
        thread.last_activity_at = post.created_at
    if thread.first_reply_at is None and post.author_id != thread.author_id:
        thread.first_reply_at = post.created_at
    if thread.first_staff_reply_at is None and post.author.is_staff:
        thread.first_staff_reply_at = post.created_at
    kb_sync.reply_added(thread, post)
    # Last: reading an attribute after this assignment would flush it on its own.
    thread.reply_count = Thread.reply_count + 1


def set_status(post, status):
    """Move ``post`` to ``status``; returns the old status. Flushes, so several posts of one
    thread can change in one transaction."""
    old = post.status
    if old == status:
        return old
    was, now = old == "visible", status == "visible"
    post.status = status
    if post.is_question:
        post.thread.status = status
    elif now:
        count_reply(post.thread, post)
    elif was:
        kb_sync.answer_hidden(post)
        post.thread.reply_count = Thread.reply_count - 1
    if was != now and not post.author.is_team:
        post.author.approved_posts = User.approved_posts + (1 if now else -1)
    db.session.flush()
    return old


def claim(post, version=None):
    """Take the decision on ``post`` for this transaction, or raise AlreadyResolved.

    Without ``version`` the post must still be waiting (held, hidden or flagged); with it, it
    must be unchanged since the moderator saw it. One conditional UPDATE decides, so of two
    moderators acting at once exactly one wins, on SQLite and PostgreSQL alike."""
    condition = PENDING if version is None else Post.review_version == version
    result = db.session.execute(
        db.update(Post)
        .where(Post.id == post.id, condition)
        .values(review_version=Post.review_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise AlreadyResolved(resolved_message(post))
    db.session.refresh(post)


def resolved_message(post):
    last = db.session.scalar(
        db.select(ModerationAction)
        .where(ModerationAction.target_type == "post", ModerationAction.target_id == post.id)
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )
    if last is None:
        return "This post is no longer waiting for review."
    who = last.actor.username if last.actor else "The system"
    return f"Already handled: {who} did “{last.action.replace('_', ' ')}” on this post."
