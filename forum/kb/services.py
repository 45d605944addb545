"""Article actions: the only write path for the knowledge base. One commit each; every save
keeps a revision and every change that the public index cares about emits ``article.changed``."""

from flask import current_app
from sqlalchemy import func

from forum import markup
from forum.clock import utcnow
from forum.extensions import db
from forum.kb.models import Article, ArticleRevision
from forum.outbox import emit
from forum.slugs import slugify
from forum.textinput import clean_field
from forum.threads.errors import ContentError, clean_each

TITLE_MIN, TITLE_MAX = 3, 200
SUMMARY_MAX = 1000
BODY_MAX = 50_000


class ArticleError(ContentError):
    """A refused change to an article; ``field`` names the form field it concerns."""


def clean_fields(title, summary, body):
    """``(title, summary, body)`` tidied; refuses a short or long title, an over-long summary
    or body, naming every refused field. An empty body is allowed in a draft (``publish``
    refuses it)."""
    return clean_each((_clean_title, title), (_clean_summary, summary), (_clean_body, body))


def _clean_title(title):
    title = clean_field(title, "title", ArticleError)
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ArticleError(f"Title must be {TITLE_MIN} to {TITLE_MAX} characters long.", "title")
    return title


def _clean_summary(summary):
    summary = clean_field(summary, "summary", ArticleError)
    if len(summary) > SUMMARY_MAX:
        raise ArticleError(f"Summary must be at most {SUMMARY_MAX} characters long.", "summary")
    return summary


def _clean_body(body):
    body = clean_field(body, "body", ArticleError, block=True)
    if len(body) > BODY_MAX:
        raise ArticleError(f"Text must be at most {BODY_MAX:,} characters long.", "body")
    return body


def add_revision(article, actor, note):
    """Record the article as it stands now as its next revision (in the current transaction)."""
    db.session.flush()
    last = db.session.scalar(
        db.select(func.max(ArticleRevision.number)).where(ArticleRevision.article_id == article.id)
    )
    revision = ArticleRevision(
        article_id=article.id,
        number=(last or 0) + 1,
        title=article.title,
        summary=article.summary,
        body=article.body,
        note=note[:200],
        author_id=actor.id if actor else None,
        created_at=utcnow(),
    )
    db.session.add(revision)
    return revision


def _apply(article, title, summary, body):
    article.title, article.slug = title, slugify(title)
    article.summary, article.body, article.html = summary, body, markup.render(body)
    article.updated_at = utcnow()


def _changed(article):
    emit("article.changed", article_id=article.id)


def _check_publishable(body):
    if not body:
        raise ArticleError("An article needs its text before it can be published.", "body")


def create(actor, title, summary, body, category=None, publish=False):
    """Write a new article from scratch, with its first revision: a draft, or published at
    once with ``publish`` (refused, storing nothing, when it has no text)."""
    title, summary, body = clean_fields(title, summary, body)
    if publish:
        _check_publishable(body)
    article = Article(category=category, created_by_id=actor.id, status="draft")
    _apply(article, title, summary, body)
    db.session.add(article)
    add_revision(article, actor, "Written from scratch")
    if publish:
        mark_published(article)
    _changed(article)
    db.session.commit()
    return article


def save(actor, article, title, summary, body, category=None, note="Edited", publish=False):
    """Change an article's text (and category), keeping a revision, and publish it too with
    ``publish``; an unchanged save stores no revision. Refuses, changing nothing, an empty
    text for a published article or one to publish."""
    title, summary, body = clean_fields(title, summary, body)
    if publish or article.status == "published":
        _check_publishable(body)
    same_text = (title, summary, body) == (article.title, article.summary, article.body)
    if not same_text or category != article.category:
        _apply(article, title, summary, body)
        article.category = category
        add_revision(article, actor, note)
        _changed(article)
    if publish and article.status != "published":
        mark_published(article)
        article.updated_at = utcnow()
    db.session.commit()
    return article


def restore(actor, article, revision):
    """Bring back an earlier revision's text as a new revision (history is never rewritten)."""
    return save(
        actor,
        article,
        revision.title,
        revision.summary,
        revision.body,
        article.category,
        note=f"Restored revision {revision.number}",
    )


def mark_published(article):
    """Publish in the current transaction; refuses an article without text. Going from
    draft or archived to published emits ``article.published`` (webhooks) as well."""
    _check_publishable(article.body.strip())
    newly = article.status != "published"
    article.status = "published"
    now = utcnow()
    article.published_at = article.published_at or now
    article.last_verified_at = article.last_verified_at or now
    _changed(article)
    if newly:
        db.session.flush()  # a new article needs its id for the event
        emit("article.published", article_id=article.id)


def set_status(actor, article, status):
    """Publish, unpublish (back to draft) or archive an article. Refuses publishing an empty
    one and unknown statuses."""
    if status not in ("draft", "published", "archived"):
        raise ArticleError("Status must be draft, published or archived.", "status")
    if status == article.status:
        return article
    if status == "published":
        mark_published(article)
    else:
        article.status = status
        _changed(article)
    article.updated_at = utcnow()
    db.session.commit()
    return article


def verify(actor, article):
    """Staff checked the article against its thread: it leaves the needs-review list and its
    last verified date is today."""
    article.needs_review, article.review_reason = False, ""
    article.last_verified_at = utcnow()
    db.session.commit()
    return article


def auto_publish(actor):
    """Whether a draft made by ``actor`` accepting an answer is published at once."""
    return bool(current_app.config["KB_AUTO_PUBLISH"]) and actor is not None and actor.is_staff
