"""Reading and marking notifications. Each read is one query (the list page adds its count),
and none shows a line about content its reader may no longer see."""

from sqlalchemy import and_, or_
from sqlalchemy.orm import joinedload, selectinload

from forum.clock import utcnow
from forum.extensions import db
from forum.notifications.models import EMAIL_CHOICES, Notification
from forum.threads.models import Post, Thread


def readable():
    """SQL condition (over notifications outer-joined to their thread and post): the line
    may be shown to a reader who is not on the team. Notices are about the reader's own post
    or account and always show; lines about others' content show while the thread (and, for
    a single reply, that reply) is visible."""
    return or_(
        Notification.kind == "notice",
        and_(Notification.kind == "threads", Notification.count > 1),
        and_(
            Thread.status == "visible",
            or_(Notification.kind == "threads", Notification.count > 1, Post.status == "visible"),
        ),
    )


def with_content(query):
    return query.outerjoin(Thread, Notification.thread_id == Thread.id).outerjoin(
        Post, Notification.post_id == Post.id
    )


def _readable(query, user):
    """``user``'s notifications about what they may still see (the team sees everything)."""
    query = with_content(query.where(Notification.user_id == user.id))
    return query if user.is_team else query.where(readable())


def unread_count(user):
    """How many unread notifications ``user`` may see: one query, for the bell."""
    query = db.select(db.func.count(Notification.id)).where(Notification.read_at.is_(None))
    return db.session.scalar(_readable(query, user))


def listing(user):
    """``user``'s notifications, latest activity first, with what their sentences name."""
    return (
        _readable(db.select(Notification), user)
        .order_by(Notification.updated_at.desc(), Notification.id.desc())
        .options(
            selectinload(Notification.thread),
            selectinload(Notification.post),
            joinedload(Notification.actor),
            joinedload(Notification.category),
        )
    )


def get_own(user, id):
    """``user``'s notification ``id``, or None (someone else's is None too)."""
    notification = db.session.get(Notification, id)
    return notification if notification and notification.user_id == user.id else None


def _mark(condition):
    result = db.session.execute(
        db.update(Notification)
        .where(condition, Notification.read_at.is_(None))
        .values(read_at=utcnow(), open_key=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def mark_read(notification):
    """Mark one notification read; the next event about its subject starts a new one."""
    _mark(Notification.id == notification.id)


def mark_all_read(user):
    """Mark every notification of ``user`` read; one commit. Returns how many were unread."""
    return _mark(Notification.user_id == user.id)


def set_email_preference(user, choice):
    """How ``user`` wants notification email: immediately, daily (a digest) or never.
    Refuses anything else with ValueError."""
    if choice not in EMAIL_CHOICES:
        raise ValueError(f"Choose one of {', '.join(EMAIL_CHOICES)}.")
    user.email_notifications = choice
    db.session.commit()


def mark_read_ids(user, ids):
    """Mark those of ``ids`` that are ``user``'s notifications read; returns how many were
    unread."""
    return _mark((Notification.user_id == user.id) & Notification.id.in_(ids))
