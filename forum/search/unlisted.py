"""Held, hidden and removed posts matching a search, for the team only.

They are never indexed (DESIGN: hidden means hidden everywhere), so they are found with a plain
database scan instead. The scan only covers posts awaiting or out of moderation, a small set,
and only runs for moderators, staff and admins.
"""

from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.permissions import is_team
from forum.search.documents import plain_text
from forum.threads.models import Post

UNLISTED_STATUSES = ("held", "hidden", "removed")


def unlisted_matches(words, viewer, highlight, limit=10):
    """``[(post, snippet)]`` of non-public posts containing every word in ``words``, newest
    first, with snippets from ``highlight`` (the search backend's ``snippets`` for the query);
    [] for anyone outside the team or without words."""
    words = [word.lower() for word in words if word.strip()]
    if not is_team(viewer) or not words:
        return []
    query = db.select(Post).where(Post.status.in_(UNLISTED_STATUSES))
    for word in words:
        query = query.where(db.func.lower(Post.body).contains(word, autoescape=True))
    posts = db.session.scalars(
        query.options(joinedload(Post.thread, innerjoin=True)).order_by(Post.id.desc()).limit(limit)
    ).all()
    if not posts:
        return []
    snippets = highlight([[plain_text(post.html)] for post in posts])
    return list(zip(posts, snippets, strict=True))
