""" "Was this helpful?": one vote per reader and article, without storing who voted.

A reader is the signed-in account or, for visitors, a random id kept in the signed session
cookie (made on the first vote, never on a page view). What is stored is an HMAC-SHA256 of the
article id and that reader under the app's secret key: it tells a second vote from the same
reader apart from a first one, and without the key it cannot be tied to a person, nor two
votes of one reader on different articles to each other. The day is kept for the dashboard;
no time, IP address or user id.
"""

import hashlib
import hmac
import secrets

from flask import current_app, session
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.kb.models import Article, ArticleVote

SESSION_KEY = "kb_reader"


def reader(user, create=False):
    """The reader's key: the account for signed-in users, otherwise the session's random id
    (created only when ``create``); None for a visitor who never voted."""
    if user is not None and user.is_authenticated:
        return f"user:{user.id}"
    if SESSION_KEY not in session and create:
        session[SESSION_KEY] = secrets.token_urlsafe(16)
    key = session.get(SESSION_KEY)
    return f"visitor:{key}" if isinstance(key, str) else None


def voter_hash(article_id, reader_key):
    secret = current_app.config["SECRET_KEY"].encode()
    message = f"kb-vote:{article_id}:{reader_key}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def existing_vote(article, reader_key):
    """The reader's earlier answer (True/False), or None."""
    if reader_key is None:
        return None
    return db.session.scalar(
        db.select(ArticleVote.helpful).where(
            ArticleVote.article_id == article.id,
            ArticleVote.voter == voter_hash(article.id, reader_key),
        )
    )


def vote(article, reader_key, helpful):
    """Count the reader's answer once; returns False (and changes nothing) for a second vote,
    including one racing the first (the unique constraint decides)."""
    if existing_vote(article, reader_key) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                ArticleVote(
                    article_id=article.id,
                    voter=voter_hash(article.id, reader_key),
                    helpful=bool(helpful),
                )
            )
    except IntegrityError:
        db.session.rollback()
        return False
    column = "helpful_yes" if helpful else "helpful_no"
    db.session.execute(
        db.update(Article)
        .where(Article.id == article.id)
        .values({column: getattr(Article, column) + 1})
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(article)
    return True
