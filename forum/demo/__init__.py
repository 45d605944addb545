"""Demo data for `flask seed-demo`: created through the same services as real content."""

from datetime import timedelta

from forum.categories import services as categories
from forum.clock import utcnow
from forum.demo.content import CATEGORIES, DEMO_PASSWORD, THREADS, USERS
from forum.extensions import db
from forum.kb import services as kb
from forum.kb import sync as kb_sync
from forum.threads import services as threads
from forum.threads.models import Thread
from forum.users import services as users


def seed():
    """Create whatever demo data is missing; returns a list of lines saying what was created."""
    created = []
    admin = None
    by_username = {}
    for spec in USERS:
        user = users.get_by_username(spec["username"])
        if user is None:
            user = users.create_user(
                spec["username"], spec["email"], spec["password"], spec["role"], allow_reserved=True
            )
            created.append(f"user {user.username} ({user.role})")
        by_username[user.username] = user
        admin = admin or (user if user.role == "admin" else None)
    by_slug = {}
    for spec in CATEGORIES:
        category = categories.get_by_slug(spec["slug"])
        if category is None:
            category = categories.create(admin, spec["name"], spec["slug"], spec["description"])
            created.append(f"category {category.slug}")
        by_slug[category.slug] = category
    drafted = []
    for spec in THREADS:
        if db.session.scalar(db.select(Thread.id).where(Thread.title == spec["title"])):
            continue
        thread = seed_thread(spec, by_username, by_slug, admin)
        created.append(f"thread “{spec['title']}”")
        if thread.accepted_post_id:
            drafted.append(thread)
    created += publish_articles(drafted, admin)
    return created


def publish_articles(threads, admin):
    """Publish the KB articles drafted from the demo's accepted answers, all but the last, which
    stays a draft to show the review flow."""
    lines = []
    for position, thread in enumerate(threads):
        article = kb_sync.article_for_thread(thread.id)
        if article is None:
            continue
        if position < len(threads) - 1:
            kb.set_status(admin, article, "published")
        lines.append(f"KB article “{article.title}” ({article.status})")
    return lines


def seed_thread(spec, by_username, by_slug, admin):
    asked = utcnow() - timedelta(hours=spec["age_hours"])
    thread = threads.create_thread(
        by_username[spec["author"]],
        by_slug[spec["category"]],
        spec["title"],
        spec["body"].strip(),
        at=asked,
    )
    posts = [
        threads.reply(
            by_username[r["author"]],
            thread,
            r["body"].strip(),
            at=asked + timedelta(hours=r["after_hours"]),
        )
        for r in spec["replies"]
    ]
    if spec["accepted"] is not None:
        threads.accept_answer(admin, posts[spec["accepted"]])
    if spec["locked"]:
        threads.set_flag(admin, thread, "locked", True)
    if spec["pinned"]:
        threads.set_flag(admin, thread, "pinned", True)
    return thread


DEMO_LOGINS = [(u["username"], u["role"]) for u in USERS]
__all__ = ["seed", "DEMO_PASSWORD", "DEMO_LOGINS"]
