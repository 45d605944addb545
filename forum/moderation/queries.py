"""Read paths for moderators: the review queue, authors' histories, the audit log."""

from datetime import timedelta

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import joinedload, selectinload

from forum.clock import utcnow
from forum.extensions import db
from forum.moderation.models import Flag, ModerationAction
from forum.moderation.visibility import PENDING
from forum.threads.models import Post
from forum.users.models import User

AUDIT_TARGETS = ("post", "user", "thread", "category", "moderationaction", "webhook")


QUEUE_SCORE = func.coalesce(Post.spam_score, 0)


def _queue_conditions(kind):
    conditions = [PENDING, Post.status.not_in(("removed", "deleted"))]
    if kind == "held":
        conditions.append(Post.status == "held")
    elif kind == "flagged":
        conditions.append(Post.open_flags > 0)
    return conditions


def queue_query(kind=None, after=None):
    """Posts waiting for a moderator, highest spam score first: held, hidden by flags, or
    visible with open flags. ``kind`` narrows to "held" or "flagged"; ``after`` is the
    ``queue_key`` of the last post of the previous page (keyset pagination)."""
    query = db.select(Post).where(*_queue_conditions(kind))
    if after is not None:
        score, flags, post_id = after
        query = query.where(
            or_(
                QUEUE_SCORE < score,
                and_(QUEUE_SCORE == score, Post.open_flags < flags),
                and_(QUEUE_SCORE == score, Post.open_flags == flags, Post.id > post_id),
            )
        )
    # Author and thread joined to the posts, not loaded a query each: the page's budget is 8.
    return query.options(
        joinedload(Post.author, innerjoin=True),
        joinedload(Post.thread, innerjoin=True),
        selectinload(Post.flags).selectinload(Flag.flagger),
    ).order_by(QUEUE_SCORE.desc(), Post.open_flags.desc(), Post.id)


def queue_key(post):
    """Where ``post`` sorts in the queue: (score, open flags, id)."""
    return (post.spam_score or 0.0, post.open_flags, post.id)


def queue_size(kind=None):
    return db.session.scalar(db.select(func.count(Post.id)).where(*_queue_conditions(kind)))


def author_histories(user_ids):
    """user id → {status: count of their posts}, in one query, for the queue's history column."""
    rows = db.session.execute(
        db.select(Post.author_id, Post.status, func.count(Post.id))
        .where(Post.author_id.in_(list(user_ids)))
        .group_by(Post.author_id, Post.status)
    )
    histories = {user_id: {} for user_id in user_ids}
    for user_id, status, count in rows:
        histories[user_id][status] = count
    return histories


def audit_query(action=None, actor=None, target_type=None, target_id=None, days=None):
    """Audit entries, newest first, filtered by action, actor username, target and age."""
    query = db.select(ModerationAction).options(selectinload(ModerationAction.actor))
    if action:
        query = query.where(ModerationAction.action == action)
    if actor == "system":
        query = query.where(ModerationAction.actor_id.is_(None))
    elif actor:
        query = query.join(User, ModerationAction.actor_id == User.id).where(
            User.username_key == actor.casefold()
        )
    if target_type in AUDIT_TARGETS:
        query = query.where(ModerationAction.target_type == target_type)
        if target_id:
            query = query.where(ModerationAction.target_id == target_id)
    if days:
        query = query.where(ModerationAction.created_at >= utcnow() - timedelta(days=days))
    return query.order_by(ModerationAction.id.desc())


def audit_actions():
    """Every action name that occurs in the log, for the filter's choices."""
    return db.session.scalars(
        db.select(ModerationAction.action).distinct().order_by(ModerationAction.action)
    ).all()


def undone_ids(entries):
    """Which of ``entries`` have been undone, in one query."""
    ids = [entry.id for entry in entries]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            db.select(ModerationAction.target_id).where(
                ModerationAction.action == "undo",
                ModerationAction.target_type == "moderationaction",
                ModerationAction.target_id.in_(ids),
            )
        )
    )
