"""Search results re-read from the database, filtered by what the reader may see, with snippets.

The index only says which documents matched; titles, badges, links and snippet text always come
from the database, so a thread hidden a moment ago never shows, whatever the index still holds.
"""

import base64
import binascii
import functools
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import bindparam, func
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
    snippet: Markup  # escaped text with <mark> around matched words
    score: float
    category: object
    solved: bool
    date: datetime
    item: object  # the Thread (or Article)

    @property
    def url(self):
        return self.item.url  # built when asked: the results page links through search.go

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


@functools.cache
def by_ids(model, *joined):
    """The ``model`` rows whose ids are in the parameter ``ids``, with the ``joined``
    relationships. Built once per model."""
    statement = db.select(model).where(model.id.in_(bindparam("ids", expanding=True)))
    return statement.options(*map(joinedload, joined))


@functools.cache
def snippet_posts():
    """The visible posts a snippet may come from, of the threads in the parameter ``threads``:
    the first SNIPPET_POSTS and the accepted answers (``accepted``). Built once."""
    numbered = (
        db.select(
            Post.id,
            Post.thread_id,
            Post.is_question,
            Post.html,
            func.row_number().over(partition_by=Post.thread_id, order_by=Post.id).label("n"),
        )
        .where(Post.thread_id.in_(bindparam("threads", expanding=True)), Post.status == "visible")
        .subquery()
    )
    accepted = numbered.c.id.in_(bindparam("accepted", expanding=True))
    return db.select(numbered).where((numbered.c.n <= SNIPPET_POSTS) | accepted)


def snippet_texts(threads):
    """``{thread_id: [plain text, …]}``: question, accepted answer, then the first replies."""
    accepted = [t.accepted_post_id for t in threads if t.accepted_post_id]
    rows = db.session.execute(
        snippet_posts(), {"threads": [t.id for t in threads], "accepted": accepted}
    ).all()
    order = {t.id: t.accepted_post_id for t in threads}
    texts = {t.id: [] for t in threads}
    for row in sorted(rows, key=lambda r: (not r.is_question, r.id != order[r.thread_id], r.id)):
        texts[row.thread_id].append(plain_text(row.html, SNIPPET_SOURCE_CHARS))
    return texts


def visible_threads(ids, viewer):
    """``{id: (thread, snippet texts)}`` for the threads among ``ids`` that ``viewer`` may see."""
    threads = db.session.scalars(by_ids(Thread), {"ids": ids}).all()
    visible = [thread for thread in threads if can_view_thread(viewer, thread)]
    texts = snippet_texts(visible) if visible else {}
    return {thread.id: (thread, texts[thread.id]) for thread in visible}


def thread_hit(thread, snippet, score):
    return Hit(
        type="thread",
        id=thread.id,
        title=thread.title,
        snippet=snippet,
        score=score,
        category=thread.category,
        solved=thread.solved,
        date=thread.created_at,
        item=thread,
    )


def visible_articles(ids, viewer):
    """``{id: (article, snippet texts)}`` for the published articles among ``ids`` that
    ``viewer`` may see (an article may have been unpublished since it was indexed)."""
    articles = db.session.scalars(by_ids(Article, Article.category), {"ids": ids}).all()
    return {
        article.id: (article, [article.summary, plain_text(article.html, SNIPPET_SOURCE_CHARS)])
        for article in articles
        if can_view_article(viewer, article) and article.status == "published"
    }


def article_hit(article, snippet, score):
    return Hit(
        type="article",
        id=article.id,
        title=article.title,
        snippet=snippet,
        score=score,
        category=article.category,
        solved=False,
        date=article.updated_at,
        item=article,
    )


# How each document type is read back, and made a hit.
LOADERS = {"thread": (visible_threads, thread_hit), "article": (visible_articles, article_hit)}


def load_hits(found, viewer, highlight):
    """Hits for ``found`` ([(type, id, score)]), keeping the index's order and leaving out what
    ``viewer`` may not see; ``highlight`` (the backend's ``snippets``) turns the lists of texts
    of the whole page into snippets at once."""
    ids = {}
    for doc_type, doc_id, _score in found:
        ids.setdefault(doc_type, []).append(doc_id)
    loaded = {}
    for doc_type, some in ids.items():
        if doc_type in LOADERS:
            visible = LOADERS[doc_type][0](some, viewer)
            loaded.update(((doc_type, doc_id), entry) for doc_id, entry in visible.items())
    shown = [(t, i, score) for t, i, score in found if (t, i) in loaded]
    snippets = highlight([loaded[t, i][1] for t, i, _score in shown]) if shown else []
    return [
        LOADERS[t][1](loaded[t, i][0], snippet, score)
        for (t, i, score), snippet in zip(shown, snippets, strict=True)
    ]
