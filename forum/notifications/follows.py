"""Following threads and categories. Asking a question and replying follow the thread
(forum/notifications/consumer.py does it from the events); an explicit unfollow is kept, so
that replying again does not follow the thread again."""

from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.notifications.models import Follow


def _set(user, active, thread=None, category=None, retry=True):
    column, target = (
        (Follow.thread_id, thread.id) if thread is not None else (Follow.category_id, category.id)
    )
    follow = db.session.scalar(db.select(Follow).where(Follow.user_id == user.id, column == target))
    if follow is None:
        follow = Follow(
            user_id=user.id,
            thread_id=thread.id if thread is not None else None,
            category_id=category.id if category is not None else None,
        )
        db.session.add(follow)
    follow.active = active
    try:
        db.session.commit()
    except IntegrityError:
        # A double click, or the outbox following the thread for a reply at the same moment:
        # the row exists now, so set it.
        db.session.rollback()
        if not retry:
            raise
        _set(user, active, thread, category, retry=False)


def follow_thread(user, thread, active=True):
    """Follow (or, with ``active`` false, unfollow) ``thread``: its new replies notify
    ``user``. The caller has checked ``can_follow_thread``."""
    _set(user, active, thread=thread)


def follow_category(user, category, active=True):
    """Follow (or unfollow) ``category``: each new question in it notifies ``user``."""
    _set(user, active, category=category)


def is_following_thread(user, thread):
    """Whether ``user`` hears about new replies in ``thread``: a follow says so; without
    one, the asker does and everyone else does not."""
    active = db.session.scalar(
        db.select(Follow.active).where(Follow.user_id == user.id, Follow.thread_id == thread.id)
    )
    return thread.author_id == user.id if active is None else active


def is_following_category(user, category):
    return bool(
        db.session.scalar(
            db.select(Follow.active).where(
                Follow.user_id == user.id, Follow.category_id == category.id
            )
        )
    )


def followed(user, limit=100):
    """``(threads, categories)`` that ``user`` follows explicitly, newest follow first."""
    from forum.categories.models import Category
    from forum.threads.models import Thread

    def targets(model, column):
        return db.session.scalars(
            db.select(model)
            .join(Follow, column == model.id)
            .where(Follow.user_id == user.id, Follow.active.is_(True))
            .order_by(Follow.id.desc())
            .limit(limit)
        ).all()

    threads = targets(Thread, Follow.thread_id)
    return [t for t in threads if t.status == "visible"], targets(Category, Follow.category_id)
