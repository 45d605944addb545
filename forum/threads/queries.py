"""Read paths for threads and posts, each a constant number of queries."""

from flask import abort
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.permissions import can_view_thread, is_team
from forum.threads.models import Post, Thread


def listed_threads(category=None):
    """Visible threads, pinned first, then newest activity first."""
    query = db.select(Thread).where(Thread.status == "visible")
    if category is not None:
        query = query.where(Thread.category_id == category.id)
    return query.order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())


def threads_by_activity(category=None, solved=None, before=None):
    """The threads ``listed_threads`` shows, newest activity first (pins not lifted), for keyset
    pagination: ``before`` is the (last_activity_at, id) of the previous page's last thread."""
    query = listed_threads(category).order_by(None)
    if solved is not None:
        query = query.where(
            Thread.accepted_post_id.is_not(None) if solved else Thread.accepted_post_id.is_(None)
        )
    if before is not None:
        moment, id = before
        query = query.where(
            (Thread.last_activity_at < moment)
            | ((Thread.last_activity_at == moment) & (Thread.id < id))
        )
    return query.order_by(Thread.last_activity_at.desc(), Thread.id.desc())


def public_posts_by(user):
    """The user's posts anyone may read: visible posts in visible threads."""
    return (
        db.select(Post)
        .join(Post.thread)
        .where(Post.author_id == user.id, Post.status == "visible", Thread.status == "visible")
    )


def public_post_count(user):
    return count(public_posts_by(user))


def count(query):
    """How many rows ``query`` returns, in one query."""
    return db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery()))


def get_thread_or_404(id, viewer):
    # Who accepted the answer comes with the thread: the page names them (one query fewer).
    thread = db.session.get(Thread, id, options=[joinedload(Thread.accepted_by)])
    if thread is None or not can_view_thread(viewer, thread):
        abort(404)
    return thread


def get_post_or_404(id, viewer):
    post = db.session.get(Post, id)
    if post is None or not can_view_thread(viewer, post.thread):
        abort(404)
    from forum.permissions import can_view_post

    if not can_view_post(viewer, post):
        abort(404)
    return post


def visible_posts(thread, viewer):
    """The posts of ``thread`` that ``viewer`` may read, oldest first, with authors loaded."""
    return (
        db.select(Post)
        .where(Post.thread_id == thread.id, readable_by(viewer))
        .options(joinedload(Post.author, innerjoin=True), joinedload(Post.edited_by))
        .order_by(Post.id)
    )


def readable_by(viewer):
    """The condition on posts that ``viewer`` may read (the team: all but deleted ones; a
    member: visible ones and their own held ones; a visitor: visible ones)."""
    if is_team(viewer):
        return Post.status != "deleted"
    if viewer is not None and viewer.is_authenticated:
        return (Post.status == "visible") | (
            (Post.status == "held") & (Post.author_id == viewer.id)
        )
    return Post.status == "visible"


def post_position(post, viewer):
    """How many posts precede ``post`` in what ``viewer`` sees, to find its page (counted
    through the thread's posts alone: no author to join for a number)."""
    return db.session.scalar(
        db.select(func.count())
        .select_from(Post)
        .where(Post.thread_id == post.thread_id, Post.id < post.id, readable_by(viewer))
    )
