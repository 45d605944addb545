"""Atom feeds (latest activity, a category, a thread, the knowledge base), the sitemap and
robots.txt. Only what a visitor may read appears: visible threads and posts, published
articles. Each feed is a constant number of queries."""

from flask import Blueprint, Response, abort, current_app
from sqlalchemy.orm import selectinload

from forum.categories import services as categories
from forum.clock import utcnow
from forum.extensions import db
from forum.feeds import atom
from forum.kb.models import Article
from forum.site import absolute
from forum.threads.models import Post, Thread
from forum.threads.queries import threads_by_activity

bp = Blueprint("feeds", __name__)
ENTRIES = 20
THREAD_ENTRIES = 50
MAX_AGE = 300  # seconds readers and proxies may keep a feed


def atom_response(body):
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def thread_entries(category=None):
    """The threads with the newest activity and their questions, in one query."""
    rows = db.session.execute(
        threads_by_activity(category)
        .add_columns(Post)
        .join(Post, (Post.thread_id == Thread.id) & Post.is_question.is_(True))
        .where(Post.status == "visible")
        .limit(ENTRIES)
    ).all()
    return [
        atom.Entry(
            id=absolute("threads.detail", id=thread.id),
            title=thread.title + (" [solved]" if thread.solved else ""),
            url=absolute("threads.detail", id=thread.id, slug=thread.slug),
            updated=thread.last_activity_at,
            published=thread.created_at,
            author=thread.author.username,
            html=question.html,
        )
        for thread, question in rows
    ]


def site_name():
    return current_app.config.get("SITE_NAME", "Community forum")


@bp.route("/feeds/latest.atom")
def latest():
    return atom_response(
        atom.document(
            f"{site_name()}: latest questions",
            absolute("feeds.latest"),
            absolute("categories.index"),
            thread_entries(),
            utcnow(),
        )
    )


@bp.route("/feeds/c/<slug>.atom")
def category(slug):
    found = categories.get_by_slug(slug)
    if found is None:
        abort(404)
    return atom_response(
        atom.document(
            f"{site_name()}: {found.name}",
            absolute("feeds.category", slug=found.slug),
            absolute("categories.detail", slug=found.slug),
            thread_entries(found),
            utcnow(),
            subtitle=found.description,
        )
    )


@bp.route("/feeds/threads/<int:id>.atom")
def thread(id):
    """The thread's visible posts, newest first; a thread that is not public is a 404."""
    found = db.session.get(Thread, id)
    if found is None or found.status != "visible":
        abort(404)
    posts = db.session.scalars(
        db.select(Post)
        .where(Post.thread_id == found.id, Post.status == "visible")
        .options(selectinload(Post.author))
        .order_by(Post.id.desc())
        .limit(THREAD_ENTRIES)
    ).all()
    entries = [
        atom.Entry(
            id=absolute("threads.post", id=post.id),
            title=(found.title if post.is_question else f"Reply by {post.author.username}"),
            url=absolute("threads.post", id=post.id),
            updated=post.edited_at or post.created_at,
            published=post.created_at,
            author=post.author.username,
            html=post.html,
        )
        for post in posts
    ]
    return atom_response(
        atom.document(
            found.title,
            absolute("feeds.thread", id=found.id),
            absolute("threads.detail", id=found.id, slug=found.slug),
            entries,
            found.last_activity_at,
        )
    )


@bp.route("/feeds/kb.atom")
def kb():
    articles = db.session.scalars(
        db.select(Article)
        .where(Article.status == "published")
        .options(selectinload(Article.credited_user))
        .order_by(Article.updated_at.desc(), Article.id.desc())
        .limit(ENTRIES)
    ).all()
    entries = [
        atom.Entry(
            id=absolute("kb.article", id=article.id),
            title=article.title,
            url=absolute("kb.article", id=article.id, slug=article.slug),
            updated=article.updated_at,
            published=article.published_at or article.created_at,
            author=article.credited_user.username if article.credited_user else site_name(),
            html=article.html,
            summary=article.summary,
        )
        for article in articles
    ]
    return atom_response(
        atom.document(
            f"{site_name()}: knowledge base",
            absolute("feeds.kb"),
            absolute("kb.index"),
            entries,
            utcnow(),
        )
    )
