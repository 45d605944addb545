"""Keeping the index in step with the database: the outbox consumer and the document writer.

Any outbox event whose payload carries a ``thread_id`` means "this thread may have changed",
and one carrying an ``article_id`` the same for a KB article: the consumer re-reads them and
updates or removes their documents, all in one Whoosh commit per drained batch. Re-reading
instead of trusting the event makes every topic (created, edited, moved, hidden, restored,
purged, published, …) work the same way, and makes replays harmless.
"""

import threading

from forum.extensions import db
from forum.kb.models import Article
from forum.search import index
from forum.search.schema import article_document, doc_key, thread_document
from forum.threads.models import Post, Thread

CHUNK = 500  # threads read from the database per query
# Whoosh's lock file is a POSIX lock, which every thread of one process holds at once: two
# threaded workers draining together corrupted segments. This lock keeps them apart.
_writing = threading.Lock()
THREAD_COLUMNS = (
    Thread.id,
    Thread.title,
    Thread.category_id,
    Thread.author_id,
    Thread.accepted_post_id,
    Thread.created_at,
)


def named_ids(events, name):
    """The distinct ids under ``name`` (thread_id, article_id) in ``events``, in order."""
    ids = set()
    for event in events:
        value = event.payload.get(name) if isinstance(event.payload, dict) else None
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            ids.add(int(value))
    return sorted(ids)


def thread_ids(events):
    """The distinct thread ids named by ``events``, in order."""
    return named_ids(events, "thread_id")


def apply_events(events):
    """Outbox consumer. Raises IndexBusy or SearchUnavailable to leave the events queued."""
    threads, articles = thread_ids(events), named_ids(events, "article_id")
    if not threads and not articles:
        return
    if not _writing.acquire(timeout=index.WRITE_LOCK_WAIT):
        raise index.IndexBusy("another thread of this process is writing the search index")
    try:
        with index.writer(_live_index(threads, articles)) as writer:
            write_threads(writer, threads)
            write_articles(writer, articles)
    finally:
        _writing.release()


def _live_index(threads, articles):
    """The index to write to. A missing one is created only when these events name everything
    there is to index (a new forum's first question): on a forum that has lost its index, an
    index of just the latest changes would look complete and hide every older thread, so the
    events wait, queued, for `flask search reindex`."""
    try:
        return index.open_index()
    except index.SearchUnavailable as error:
        if error.reason != "missing" or _indexable_beyond(threads, articles):
            raise
    return index.open_index(create=True)


def _indexable_beyond(threads, articles):
    """Whether any visible thread or published article is not among these ids."""
    thread = db.session.scalar(
        db.select(Thread.id).where(Thread.status == "visible", Thread.id.not_in(threads)).limit(1)
    )
    article = db.session.scalar(
        db.select(Article.id)
        .where(Article.status == "published", Article.id.not_in(articles))
        .limit(1)
    )
    return thread is not None or article is not None


ARTICLE_COLUMNS = (
    Article.id,
    Article.title,
    Article.summary,
    Article.html,
    Article.category_id,
    Article.credited_user_id,
    Article.updated_at,
)


def load_articles(ids):
    """``{article_id: document}`` for the published articles among ``ids``."""
    rows = db.session.execute(
        db.select(*ARTICLE_COLUMNS).where(Article.id.in_(ids), Article.status == "published")
    ).all()
    return {row.id: article_document(row) for row in rows}


def write_articles(writer, ids, fresh=False):
    """As ``write_threads``, for KB articles: only published ones are indexed."""
    documents = load_articles(ids) if ids else {}
    _write(writer, "article", ids, documents, fresh)
    return len(documents)


def _write(writer, kind, ids, documents, fresh):
    """Add, replace or delete the document of each id; ``documents`` holds the indexable ones."""
    for id in ids:
        document = documents.get(id)
        if document is None:
            if not fresh:
                writer.delete_by_term("key", doc_key(kind, id))
        elif fresh:
            writer.add_document(**document)
        else:
            writer.update_document(**document)


def load_documents(ids):
    """``{thread_id: document}`` for the threads in ``ids`` that may be indexed at all."""
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


def write_threads(writer, ids, fresh=False, progress=None):
    """Update the documents of ``ids``, deleting those no longer indexable; ``fresh`` means the
    index is being built from nothing, so there is nothing to replace or delete."""
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        documents = load_documents(chunk)
        _write(writer, "thread", chunk, documents, fresh)
        written += len(documents)
        if progress is not None:
            progress(len(chunk))
    return written
