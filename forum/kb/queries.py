"""Read paths for the knowledge base, each a constant number of queries."""

from flask import abort
from sqlalchemy import case, func
from sqlalchemy.orm import joinedload, selectinload

from forum.categories.models import Category
from forum.extensions import db
from forum.kb.models import Article, ArticleRevision
from forum.permissions import can_view_article

MANAGE_VIEWS = ("draft", "needs_review", "published", "archived", "all")


def get_article_or_404(id, viewer):
    article = db.session.get(Article, id)
    if article is None or not can_view_article(viewer, article):
        abort(404)
    return article


def published():
    return db.select(Article).where(Article.status == "published")


def helpfulness():
    """Share of "Yes" answers as a SQL expression (0 before any vote)."""
    votes = Article.helpful_yes + Article.helpful_no
    return case((votes > 0, Article.helpful_yes * 1.0 / votes), else_=0.0)


def most_helpful(limit=5):
    """Published articles with votes, the highest share of "Yes" first, more votes first."""
    return db.session.scalars(
        published()
        .where(Article.helpful_yes + Article.helpful_no > 0)
        .order_by(helpfulness().desc(), Article.helpful_yes.desc(), Article.id)
        .limit(limit)
    ).all()


def recently_updated(limit=5):
    return db.session.scalars(
        published().order_by(Article.updated_at.desc(), Article.id.desc()).limit(limit)
    ).all()


def by_category():
    """``[(category or None, [articles])]`` of published articles, categories in display order."""
    rows = db.session.execute(
        db.select(Article, Category)
        .outerjoin(Category, Article.category_id == Category.id)
        .where(Article.status == "published")
        .order_by(Category.position.is_(None), Category.position, Article.title)
    ).all()
    groups = {}
    for article, category in rows:
        groups.setdefault(category, []).append(article)
    return list(groups.items())


def related(article, limit=5):
    """Other published articles of the same category, most helpful first."""
    if article.category_id is None:
        return []
    return db.session.scalars(
        published()
        .where(Article.category_id == article.category_id, Article.id != article.id)
        .order_by(Article.helpful_yes.desc(), Article.updated_at.desc())
        .limit(limit)
    ).all()


def manage_query(view):
    """Articles for the staff list: by status, or those needing review (any status but
    archived), newest change first."""
    query = db.select(Article).options(
        selectinload(Article.source_thread),
        selectinload(Article.category),
        selectinload(Article.credited_user),
    )
    if view == "needs_review":
        query = query.where(Article.needs_review.is_(True), Article.status != "archived")
    elif view in ("draft", "published", "archived"):
        query = query.where(Article.status == view)
    return query.order_by(Article.updated_at.desc(), Article.id.desc())


def counts():
    """``{view: n}`` for the staff list's tabs, in one query."""
    row = db.session.execute(
        db.select(
            func.count(Article.id),
            *(
                func.coalesce(func.sum(case((Article.status == s, 1), else_=0)), 0)
                for s in ("draft", "published", "archived")
            ),
            func.coalesce(
                func.sum(
                    case(
                        ((Article.needs_review.is_(True)) & (Article.status != "archived"), 1),
                        else_=0,
                    )
                ),
                0,
            ),
        )
    ).one()
    return dict(zip(("all", "draft", "published", "archived", "needs_review"), row, strict=True))


def revisions(article):
    """The article's revisions, newest first, with their authors (the history names them)."""
    return db.session.scalars(
        db.select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .options(joinedload(ArticleRevision.author))
        .order_by(ArticleRevision.number.desc())
    ).all()


def get_revision_or_404(article, number):
    revision = db.session.scalar(
        db.select(ArticleRevision).where(
            ArticleRevision.article_id == article.id, ArticleRevision.number == number
        )
    )
    return revision or abort(404)


def previous_revision(revision):
    return db.session.scalar(
        db.select(ArticleRevision).where(
            ArticleRevision.article_id == revision.article_id,
            ArticleRevision.number == revision.number - 1,
        )
    )
