"""Notices: short in-app messages to one user: moderation decisions about their post or report,
an answer of theirs accepted, an answer the asker suggests (to the team)."""

from forum.clock import utcnow
from forum.extensions import db
from forum.moderation.models import Notice

KEEP = 50


def notify(user_id, text, post=None):
    """Add a notice (about ``post``, if given) to the current transaction; the calling service
    commits."""
    if user_id is not None:
        db.session.add(Notice(user_id=user_id, text=text[:500], post_id=post.id if post else None))


def unread_count(user):
    return db.session.scalar(
        db.select(db.func.count(Notice.id)).where(
            Notice.user_id == user.id, Notice.read_at.is_(None)
        )
    )


def recent(user):
    return db.session.scalars(
        db.select(Notice).where(Notice.user_id == user.id).order_by(Notice.id.desc()).limit(KEEP)
    ).all()


def mark_read(user):
    """Mark every notice of ``user`` read; one commit."""
    db.session.execute(
        db.update(Notice)
        .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
