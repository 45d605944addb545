"""Category administration. One commit per action."""

import re

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from forum.categories.models import Category
from forum.extensions import db
from forum.kb.models import Article
from forum.moderation.models import record
from forum.outbox import emit
from forum.slugs import slugify
from forum.textinput import clean_field
from forum.threads.models import Thread

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CategoryError(ValueError):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def ordered():
    return db.session.scalars(db.select(Category).order_by(Category.position, Category.id)).all()


def get_by_slug(slug):
    """The category with this slug, or None; a value no slug could be (a NUL byte, which
    PostgreSQL refuses in a query, or over-long text) is None without asking the database."""
    if not isinstance(slug, str) or "\x00" in slug or len(slug) > 60:
        return None
    return db.session.scalar(db.select(Category).where(Category.slug == slug))


def _clean(name, slug, description, category=None):
    name = clean_field(name, "name", CategoryError)
    if not 2 <= len(name) <= 60:
        raise CategoryError("Name must be 2 to 60 characters long.", "name")
    slug = (slug or "").strip().lower() or slugify(name, 60)
    if not SLUG_RE.match(slug) or len(slug) > 60:
        raise CategoryError("Slug may contain only lowercase letters, digits and dashes.", "slug")
    same_name = db.select(Category.id).where(func.lower(Category.name) == name.lower())
    if category is not None:
        same_name = same_name.where(Category.id != category.id)
    if db.session.scalar(same_name.limit(1)) is not None:
        raise CategoryError("Another category already has that name.", "name")
    clash = get_by_slug(slug)
    if clash is not None and clash is not category:
        raise CategoryError("Another category already uses that slug.", "slug")
    description = clean_field(description, "description", CategoryError)
    if len(description) > 300:
        raise CategoryError("Description must be at most 300 characters long.", "description")
    return name, slug, description


def create(actor, name, slug="", description=""):
    """Add a category at the end of the list; refuses a taken slug."""
    name, slug, description = _clean(name, slug, description)
    last = db.session.scalar(db.select(func.max(Category.position))) or 0
    category = Category(name=name, slug=slug, description=description, position=last + 1)
    db.session.add(category)
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin took the slug since _clean looked
        db.session.rollback()
        raise CategoryError("Another category already uses that slug.", "slug") from error
    record(actor, "create_category", category, after={"name": name, "slug": slug})
    db.session.commit()
    return category


def update(actor, category, name, slug, description):
    before = {"name": category.name, "slug": category.slug}
    category.name, category.slug, category.description = _clean(name, slug, description, category)
    record(
        actor,
        "update_category",
        category,
        before=before,
        after={"name": category.name, "slug": category.slug},
    )
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise CategoryError("Another category already uses that slug.", "slug") from error


def move(actor, category, direction):
    """Swap the category with its neighbour above (-1) or below (+1)."""
    categories = ordered()
    index = categories.index(category)
    other = index + direction
    if not 0 <= other < len(categories):
        return
    categories[index], categories[other] = categories[other], categories[index]
    for position, item in enumerate(categories, start=1):
        item.position = position
    record(actor, "move_category", category, after={"position": category.position})
    db.session.commit()


def thread_count(category):
    return db.session.scalar(
        db.select(func.count(Thread.id)).where(Thread.category_id == category.id)
    )


def thread_counts():
    """Threads in any status per category id, in one query (visible ones: each category's
    ``visible_threads``, kept by forum/categories/counts.py)."""
    query = db.select(Thread.category_id, func.count(Thread.id)).group_by(Thread.category_id)
    return dict(db.session.execute(query).all())


def delete(actor, category, move_to=None):
    """Delete a category. One that holds threads or KB articles (even deleted ones) needs
    ``move_to``, another category that receives them all; refuses otherwise."""
    if move_to is not None:
        if move_to.id == category.id:
            raise CategoryError("Choose another category to move the threads to.", "move_to")
        _move_contents(actor, category, move_to)
    elif count := thread_count(category):
        raise CategoryError(
            f"“{category.name}” still holds {count} thread(s); choose a category to move them to.",
            "move_to",
        )
    record(
        actor, "delete_category", category, before={"name": category.name, "slug": category.slug}
    )
    db.session.delete(category)
    db.session.commit()


def _move_contents(actor, category, move_to):
    """Move every thread and KB article of ``category`` into ``move_to`` (in bulk: the
    visible-thread counts follow through the triggers in counts.py) and tell the search index
    about each one, whose category filter and facets name the category."""
    threads = db.session.scalars(db.select(Thread.id).where(Thread.category_id == category.id))
    threads = threads.all()
    articles = db.session.scalars(db.select(Article.id).where(Article.category_id == category.id))
    articles = articles.all()
    for model, ids in ((Thread, threads), (Article, articles)):
        if ids:
            db.session.execute(
                db.update(model)
                .where(model.category_id == category.id)
                .values(category_id=move_to.id)
            )
    for id in threads:
        emit("thread.changed", thread_id=id)
    for id in articles:
        emit("article.changed", article_id=id)
    record(
        actor,
        "move_category_threads",
        category,
        before={"category": category.slug},
        after={"category": move_to.slug, "threads": len(threads), "articles": len(articles)},
    )
