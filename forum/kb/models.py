"""Knowledge-base articles, their revisions and readers' "Was this helpful?" votes."""

from flask import url_for

from forum.clock import utcnow
from forum.extensions import db

# draft: staff only; published: everyone; archived: kept for the record, shown to nobody but staff.
ARTICLE_STATUSES = ("draft", "published", "archived")


class Article(db.Model):
    __tablename__ = "articles"
    __table_args__ = (db.Index("ix_articles_status_updated", "status", "updated_at"),)

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    slug = db.Column(db.String(80), nullable=False)
    summary = db.Column(db.String(1000), nullable=False, default="")
    body = db.Column(db.Text, nullable=False, default="")
    html = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(16), nullable=False, default="draft")
    category_id = db.Column(db.ForeignKey("categories.id", ondelete="SET NULL"), nullable=True)
    # The community thread it was drafted from (one article per thread) and its accepted answer.
    source_thread_id = db.Column(db.ForeignKey("threads.id"), nullable=True, unique=True)
    source_post_id = db.Column(db.ForeignKey("posts.id"), nullable=True)
    credited_user_id = db.Column(db.ForeignKey("users.id"), nullable=True)
    # Set when its source changed under it (answer edited, changed, unmarked; new replies).
    needs_review = db.Column(db.Boolean, nullable=False, default=False)
    review_reason = db.Column(db.String(200), nullable=False, default="")
    helpful_yes = db.Column(db.Integer, nullable=False, default=0)
    helpful_no = db.Column(db.Integer, nullable=False, default=0)
    created_by_id = db.Column(db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    published_at = db.Column(db.DateTime, nullable=True)
    last_verified_at = db.Column(db.DateTime, nullable=True)

    category = db.relationship("Category")
    source_thread = db.relationship("Thread", foreign_keys=[source_thread_id])
    source_post = db.relationship("Post", foreign_keys=[source_post_id])
    credited_user = db.relationship("User", foreign_keys=[credited_user_id])

    @property
    def url(self):
        return url_for("kb.article", id=self.id, slug=self.slug)

    @property
    def votes(self):
        return self.helpful_yes + self.helpful_no

    @property
    def helpful_share(self):
        """Share of "Yes" answers, or None before the first vote."""
        return self.helpful_yes / self.votes if self.votes else None

    def __repr__(self):
        return f"<Article {self.id} {self.title!r}>"


class ArticleRevision(db.Model):
    """The article as one save left it; ``number`` counts from 1 per article."""

    __tablename__ = "article_revisions"
    __table_args__ = (db.UniqueConstraint("article_id", "number"),)

    id = db.Column(db.Integer, primary_key=True)
    article_id = db.Column(db.ForeignKey("articles.id"), nullable=False)
    number = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.String(1000), nullable=False)
    body = db.Column(db.Text, nullable=False)
    note = db.Column(db.String(200), nullable=False, default="")
    author_id = db.Column(db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    author = db.relationship("User")


class ArticleVote(db.Model):
    """One reader's answer to "Was this helpful?". ``voter`` is an HMAC of the article id and a
    random per-browser id (or the account, for signed-in readers) under the app's secret key:
    it deduplicates votes and says nothing about who voted (see docs/kb.md)."""

    __tablename__ = "article_votes"
    __table_args__ = (db.UniqueConstraint("article_id", "voter"),)

    id = db.Column(db.Integer, primary_key=True)
    article_id = db.Column(db.ForeignKey("articles.id"), nullable=False)
    voter = db.Column(db.String(64), nullable=False)
    helpful = db.Column(db.Boolean, nullable=False)
    day = db.Column(db.Date, nullable=False, default=lambda: utcnow().date(), index=True)
