"""What a search document holds, whichever backend indexes it.

One document per visible thread (its title, question, accepted answer and the start of the
other replies, as text zones) and one per published KB article, plus the columns search filters
and ranks on. Both backends build their documents from these zones, so they index the same
words; how a zone is weighted is each backend's business (see docs/search.md, "Backends").

Documents are lean on purpose (DESIGN, Search). Only visible posts of visible threads are ever
indexed, and email addresses are cut out of the text before it reaches an index.
"""

import html
import re
from dataclasses import dataclass

from whoosh.analysis import STOP_WORDS

from forum.extensions import db
from forum.kb.models import Article
from forum.threads.models import Post, Thread

# Question words are in almost every title ("How do I …?"); requiring them in AND matching
# would only hide answers that are phrased differently.
FORUM_STOP_WORDS = STOP_WORDS | frozenset(
    "how what why where which who whom do does did doing done my me mine our ours im ive "
    "dont doesnt didnt cant get got there here any some so but all was were been has had "
    "would should could just also than then them they their its out about into very".split()
)

# How much a word counts in each zone, relative to the others (both backends).
ZONE_WEIGHTS = {"title": 3.0, "answer": 2.0, "question": 1.0, "replies": 0.6}

# Document-level rank classes; the boost for each comes from configuration at query time.
RANK_OPEN, RANK_SOLVED, RANK_ARTICLE = 0, 1, 2


def thread_rank(solved):
    """The rank of a thread solved or not. The solved filter (is:solved, is:unsolved) matches
    this rank, so it finds threads only: an article is an answer, neither solved nor open."""
    return RANK_SOLVED if solved else RANK_OPEN


QUESTION_CHARS = 6000
ANSWER_CHARS = 6000
REPLY_CHARS = 600
REPLIES_CHARS = 6000
CHUNK = 500  # threads read from the database per query

# Block-level tags separate words; inline ones (<strong>, <a>, <code>) sit inside them.
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|h[1-6]|li|ul|ol|pre|blockquote|table|thead|tbody|tr|th|td)\b[^>]*>"
)
_TAG = re.compile(r"<[^>]*>")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SPACE = re.compile(r"[\s\x00-\x1f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b]")  # the ones above that str.split() keeps
THREAD_COLUMNS = (
    Thread.id,
    Thread.title,
    Thread.category_id,
    Thread.author_id,
    Thread.accepted_post_id,
    Thread.created_at,
)
ARTICLE_COLUMNS = (
    Article.id,
    Article.title,
    Article.summary,
    Article.html,
    Article.category_id,
    Article.credited_user_id,
    Article.updated_at,
)


def plain_text(post_html, limit=None):
    """The text of a post's sanitised HTML (``Post.html``), emails removed, whitespace collapsed.

    Post.html comes out of markup.render, so it is well-formed and a tag pattern is enough."""
    text = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", post_html or "")))
    text = _CONTROL.sub(" ", _without_emails(text))
    text = " ".join(text.split())  # as _SPACE, stripped: several times faster than the regex
    return text[:limit] if limit else text


def clean_line(text):
    """A title or summary as indexed: emails removed, whitespace collapsed."""
    return _SPACE.sub(" ", _without_emails(text or ""))


def _without_emails(text):
    # The pattern tries every position of every word; most texts have no "@" to find.
    return _EMAIL.sub(" ", text) if "@" in text else text


@dataclass(frozen=True)
class Document:
    """One thread or article as both backends index it."""

    kind: str  # "thread" or "article"
    id: int
    zones: dict  # {"title", "question", "answer", "replies"} → plain text
    category_id: int | None
    author_id: int | None
    solved: bool
    created: object  # a datetime
    rank: int  # RANK_OPEN, RANK_SOLVED or RANK_ARTICLE


def thread_document(thread, posts):
    """The document of a visible ``thread`` (a Thread or a row with its columns); ``posts``
    are its visible posts (id, is_question, html) in order."""
    question = next((p.html for p in posts if p.is_question), "")
    answer = next((p.html for p in posts if p.id == thread.accepted_post_id), "")
    replies, budget = [], REPLIES_CHARS
    for post in posts:
        if post.is_question or post.id == thread.accepted_post_id or budget <= 0:
            continue
        text = plain_text(post.html, min(REPLY_CHARS, budget))
        replies.append(text)
        budget -= len(text)
    zones = {
        "title": clean_line(thread.title),
        "question": plain_text(question, QUESTION_CHARS),
        "answer": plain_text(answer, ANSWER_CHARS),
        "replies": " ".join(replies),
    }
    solved = thread.accepted_post_id is not None
    return Document(
        kind="thread",
        id=thread.id,
        zones=zones,
        category_id=thread.category_id,
        author_id=thread.author_id,
        solved=solved,
        created=thread.created_at,
        rank=thread_rank(solved),
    )


def article_document(article):
    """The document of a published ``article`` (an Article or a row with its columns): title,
    summary (weighted as a question) and text (weighted as an accepted answer)."""
    zones = {
        "title": clean_line(article.title),
        "question": clean_line(article.summary),
        "answer": plain_text(article.html, ANSWER_CHARS),
        "replies": "",
    }
    return Document(
        kind="article",
        id=article.id,
        zones=zones,
        category_id=article.category_id,
        author_id=article.credited_user_id,
        solved=False,
        created=article.updated_at,
        rank=RANK_ARTICLE,
    )


def load_threads(ids):
    """``{thread_id: Document}`` for the threads in ``ids`` that may be indexed at all."""
    # Plain rows, not ORM objects: a rebuild reads every thread and must not fill the session.
    threads = db.session.execute(
        db.select(*THREAD_COLUMNS).where(Thread.id.in_(ids), Thread.status == "visible")
    ).all()
    posts = {thread.id: [] for thread in threads}
    rows = db.session.execute(
        db.select(Post.id, Post.thread_id, Post.is_question, Post.html)
        .where(Post.thread_id.in_(list(posts)), Post.status == "visible")
        .order_by(Post.thread_id, Post.id)
    )
    for row in rows:
        posts[row.thread_id].append(row)
    return {thread.id: thread_document(thread, posts[thread.id]) for thread in threads}


def load_articles(ids):
    """``{article_id: Document}`` for the published articles among ``ids``."""
    rows = db.session.execute(
        db.select(*ARTICLE_COLUMNS).where(Article.id.in_(ids), Article.status == "published")
    ).all()
    return {row.id: article_document(row) for row in rows}


def visible_thread_ids():
    return db.session.scalars(
        db.select(Thread.id).where(Thread.status == "visible").order_by(Thread.id)
    ).all()


def published_article_ids():
    return db.session.scalars(
        db.select(Article.id).where(Article.status == "published").order_by(Article.id)
    ).all()


def named_ids(events, name):
    """The distinct ids under ``name`` (thread_id, article_id) in outbox ``events``, in order.

    Any event whose payload carries a ``thread_id`` means "this thread may have changed", and
    one carrying an ``article_id`` the same for a KB article: indexers re-read them instead of
    trusting the event, so every topic works the same way and replays are harmless."""
    ids = set()
    for event in events:
        value = event.payload.get(name) if isinstance(event.payload, dict) else None
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            ids.add(int(value))
    return sorted(ids)
