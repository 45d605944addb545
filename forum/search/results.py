"""Search results re-read from the database, filtered by what the reader may see, with snippets.

The index only says which documents matched; titles, badges, links and snippet text always come
from the database, so a thread hidden a moment ago never shows, whatever the index still holds.
"""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.kb.models import Article
from forum.permissions import can_view_article, can_view_thread
from forum.search.documents import plain_text
from forum.threads.models import Post, Thread

SNIPPET_POSTS = 6  # posts per thread considered for the snippet (plus the accepted answer)
SNIPPET_SOURCE_CHARS = 4000
MAX_PAGE = 100  # deeper pages help nobody and make Whoosh collect needlessly many hits


@dataclass
class Hit:
    type: str  # "thread" or "article"
    id: int
    title: str
    url: str
    snippet: Markup  # escaped text with <mark> around matched words
    score: float
    category: object
    solved: bool
    date: datetime
    item: object  # the Thread (or Article)

    def to_dict(self):
        """The API's view of a hit: ``type, id, title, url, snippet, score``."""
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "snippet": str(self.snippet),
            "score": round(self.score, 4),
        }


@dataclass
class Results:
    query: object  # the ParsedQuery
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    hits: list = field(default_factory=list)
    total: int = 0
    notices: list = field(default_factory=list)
    matched_any: bool = False  # no document had every word; these match some of them
    more: bool = False  # the backend stopped counting at ``total``
    unavailable: bool = False  # the index is missing or being rebuilt
    unlisted: list = field(default_factory=list)  # [(post, snippet)] held/hidden, team only

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        # search() serves no page past MAX_PAGE: a link (or cursor) to it would repeat this one.
        return self.page < min(self.pages, MAX_PAGE)

    @property
    def next_cursor(self):
        return encode_cursor(self.page + 1) if self.has_next else None


def encode_cursor(page):
    return base64.urlsafe_b64encode(f"p{page}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """The page a cursor from ``Results.next_cursor`` points at; 1 for anything unreadable."""
    try:
        text = base64.urlsafe_b64decode((cursor or "") + "=" * (-len(cursor or "") % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return 1
    return int(text[1:]) if text[:1] == "p" and text[1:].isdigit() and int(text[1:]) > 0 else 1


def snippet_texts(threads):
    """``{thread_id: [plain text, …]}``: question, accepted answer, then the first replies."""
    accepted = [t.accepted_post_id for t in threads if t.accepted_post_id]
    numbered = (
        db.select(
            Post.id,
            Post.thread_id,
            Post.is_question,
            Post.html,
            func.row_number().over(partition_by=Post.thread_id, order_by=Post.id).label("n"),
        )
        .where(Post.thread_id.in_([t.id for t in threads]), Post.status == "visible")
        .subquery()
    )
    rows = db.session.execute(
        db.select(numbered).where((numbered.c.n <= SNIPPET_POSTS) | numbered.c.id.in_(accepted))
    ).all()
    order = {t.id: t.accepted_post_id for t in threads}
    texts = {t.id: [] for t in threads}
    for row in sorted(rows, key=lambda r: (not r.is_question, r.id != order[r.thread_id], r.id)):
        texts[row.thread_id].append(plain_text(row.html, SNIPPET_SOURCE_CHARS))
    return texts


def thread_hits(found, viewer, highlight):
    """Hits for ``found`` ([(id, score)]) in order, leaving out threads ``viewer`` may not see;
    ``highlight`` turns lists of texts into snippets (the backend's ``snippets``)."""
    ids = [doc_id for doc_id, _score in found]
    threads = db.session.scalars(db.select(Thread).where(Thread.id.in_(ids))).all()
    visible = {t.id: t for t in threads if can_view_thread(viewer, t)}
    texts = snippet_texts(list(visible.values())) if visible else {}
    snippets = dict(zip(texts, highlight(list(texts.values())), strict=True))
    return [
        Hit(
            type="thread",
            id=thread.id,
            title=thread.title,
            url=thread.url,
            snippet=snippets[thread.id],
            score=score,
            category=thread.category,
            solved=thread.solved,
            date=thread.created_at,
            item=thread,
        )
        for doc_id, score in found
        if (thread := visible.get(doc_id)) is not None
    ]


def article_hits(found, viewer, highlight):
    """Hits for ``found`` ([(id, score)]) KB articles, leaving out those ``viewer`` may not see
    (an article unpublished since it was indexed)."""
    ids = [doc_id for doc_id, _score in found]
    articles = db.session.scalars(
        db.select(Article).options(joinedload(Article.category)).where(Article.id.in_(ids))
    ).all()
    visible = {a.id: a for a in articles if can_view_article(viewer, a) and a.status == "published"}
    texts = {a.id: [a.summary, plain_text(a.html, SNIPPET_SOURCE_CHARS)] for a in visible.values()}
    snippets = dict(zip(texts, highlight(list(texts.values())), strict=True))
    return [
        Hit(
            type="article",
            id=article.id,
            title=article.title,
            url=article.url,
            snippet=snippets[article.id],
            score=score,
            category=article.category,
            solved=False,
            date=article.updated_at,
            item=article,
        )
        for doc_id, score in found
        if (article := visible.get(doc_id)) is not None
    ]


# How each document type is read back.
LOADERS = {"thread": thread_hits, "article": article_hits}


def load_hits(found, viewer, highlight):
    """Hits for ``found`` ([(type, id, score)]), keeping the index's order; ``highlight`` makes
    the snippets (see thread_hits)."""
    by_type = {}
    for doc_type, doc_id, score in found:
        by_type.setdefault(doc_type, []).append((doc_id, score))
    loaded = {}
    for doc_type, items in by_type.items():
        loader = LOADERS.get(doc_type)
        for hit in loader(items, viewer, highlight) if loader else ():
            loaded[doc_type, hit.id] = hit
    return [loaded[t, i] for t, i, _ in found if (t, i) in loaded]
