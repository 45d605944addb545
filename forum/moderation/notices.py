"""Notices written by the service that takes a decision, in the same transaction: a flagger
told what became of their report, an account silenced, the team told that an asker suggests
an answer. Notices about a post's fate (held, hidden, approved, removed, accepted) follow from
the outbox events instead (forum/notifications/consumer.py). Both show under the bell."""

from forum.extensions import db
from forum.moderation.models import Notice


def notify(user_id, text, post=None):
    """Add a notice (about ``post``, if given) to the current transaction; the calling service
    commits."""
    if user_id is not None:
        db.session.add(
            Notice(
                user_id=user_id,
                text=text[:500],
                post_id=post.id if post else None,
                thread_id=post.thread_id if post else None,
            )
        )
