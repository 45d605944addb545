"""The categories' names and slugs, kept by each process for CATEGORY_CACHE_SECONDS.

Every search page lists the categories to filter by and may look one up by its slug
(``category:slug``): one query each, on the page that is already the busiest in statements.
Categories change a few times a year, so each process keeps the list as plain values (never
ORM objects, which belong to one request's session) and reads it again once it is older than
CATEGORY_CACHE_SECONDS (30 by default; 0 turns the cache off).

A commit that adds, changes or deletes a Category in this process forgets the list at once
(whatever made the change: the admin pages, an import, a test's factory). Other processes and
hosts see the change within CATEGORY_CACHE_SECONDS, and a slug they do not know yet is still
looked up in the database (``by_slug``), so a new category can be searched at once anywhere.
"""

import time
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.categories.models import Category
from forum.categories.services import get_by_slug
from forum.extensions import db

KEY = "category_directory"


@dataclass(frozen=True)
class Entry:
    id: int
    slug: str
    name: str


def listed():
    """``[Entry]`` in the categories' order (position, then id)."""
    seconds = current_app.config["CATEGORY_CACHE_SECONDS"]
    kept = current_app.extensions.get(KEY)
    if kept is not None and time.monotonic() - kept[0] < seconds:
        return kept[1]
    rows = db.session.execute(
        db.select(Category.id, Category.slug, Category.name).order_by(
            Category.position, Category.id
        )
    ).all()
    entries = [Entry(*row) for row in rows]
    if seconds > 0:
        current_app.extensions[KEY] = (time.monotonic(), entries)
    return entries


def by_slug(slug):
    """The Entry with this slug, or None: from the list, or else from the database (a category
    another process created within CATEGORY_CACHE_SECONDS)."""
    for entry in listed():
        if entry.slug == slug:
            return entry
    category = get_by_slug(slug)
    return Entry(category.id, category.slug, category.name) if category else None


def forget():
    if has_app_context():
        current_app.extensions.pop(KEY, None)


@event.listens_for(Session, "after_flush")
def _note_changes(session, _context):
    changed = (session.new, session.dirty, session.deleted)
    if any(isinstance(item, Category) for items in changed for item in items):
        session.info[KEY] = True


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session):
    if session.info.pop(KEY, False):
        forget()


@event.listens_for(Session, "after_rollback")
def _drop_note(session):
    session.info.pop(KEY, None)
