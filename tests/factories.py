"""Plain factory functions: real rows through the real services."""

from itertools import count

from forum.categories import services as categories
from forum.categories.models import Category
from forum.extensions import db
from forum.moderation import flags
from forum.threads import services as threads
from forum.users import services as users

PASSWORD = "correct horse battery"
_sequence = count(1)


def make_user(role="customer", username=None, password=PASSWORD):
    n = next(_sequence)
    username = username or f"{role}{n}"
    return users.create_user(username, f"{username}@example.com", password, role)


def make_category(name=None, slug=None, actor=None):
    n = next(_sequence)
    return categories.create(actor, name or f"Category {n}", slug or f"category-{n}")


def make_thread(author, category, title=None, body="How do I restore a deleted file?"):
    n = next(_sequence)
    return threads.create_thread(author, category, title or f"Question number {n}", body)


def make_reply(author, thread, body="Open the web dashboard and choose Restore."):
    return threads.reply(author, thread, body)


# Spam moderation scenarios.
LINKY_BODY = (
    "Great offers at https://cheap-deals.example.net/a, https://cheap-deals.example.net/b "
    "and https://cheap-deals.example.net/c today."
)


def make_trusted_user(username=None, posts=40, age_days=90):
    """A customer with the approved posts and account age that earn the trusted level."""
    from datetime import timedelta

    from forum.clock import utcnow
    from forum.extensions import db

    user = make_user("customer", username)
    user.approved_posts = posts
    user.created_at = utcnow() - timedelta(days=age_days)
    db.session.commit()
    return user


def make_held_reply(author, thread, body=LINKY_BODY):
    """A reply the spam layers hold: a new account's first post with three unknown links."""
    post = threads.reply(author, thread, body)
    assert post.status == "held", post.spam_reasons
    return post


def make_queue_items(n, category_id):
    """``n`` threads in the category, each with a held reply by a new account and a reply by a
    trusted one flagged by its own reporter: the moderation queue's two kinds, by many people."""
    place = db.session.get(Category, category_id)
    for i in range(n):
        thread = make_thread(make_user(), place, f"Mirror stalls {n}-{i}")
        make_held_reply(make_user(), thread)
        reply = make_reply(make_trusted_user(), thread, f"Try {n}-{i}.")
        flags.flag(make_user(), reply, "offensive", "Rude.")
