"""Keeping the Whoosh index in step with the database: the outbox consumer and the writer.

The consumer re-reads every thread and article an event batch names (documents.named_ids) and
updates or removes the documents that changed, all in one Whoosh commit per drained batch (none
when nothing changed): in this process, or for the embedded courier in a helper process
(write_process.py), so that a web process's requests do not wait for Whoosh's Python.
"""

import functools
import threading

from forum import worker
from forum.extensions import db
from forum.kb.models import Article
from forum.search import index, write_process
from forum.search.documents import CHUNK, load_articles, load_threads, named_ids
from forum.search.schema import whoosh_document
from forum.search.write_process import commit_changed, write_documents
from forum.threads.models import Thread

# Whoosh's lock file is a POSIX lock, which every thread of one process holds at once: two
# threaded workers draining together corrupted segments. This lock keeps them apart.
_writing = threading.Lock()


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
        ix = _live_index(threads, articles)
        load = functools.partial(_load, threads, articles)
        if worker.in_courier():
            try:
                return write_process.helper().write(index.index_dir(), load)
            except write_process.CannotStart:
                pass  # logged once; this process writes the index itself from now on
        commit_changed(ix, load)
    finally:
        _writing.release()


def _load(threads, articles):
    """What commit_changed writes: the documents of these threads and articles."""
    return [
        ("thread", threads, load_documents(threads) if threads else {}),
        ("article", articles, whoosh_articles(articles) if articles else {}),
    ]


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


def whoosh_articles(ids):
    """``{article_id: Whoosh document}`` for the published articles among ``ids``."""
    return {id: whoosh_document(doc) for id, doc in load_articles(ids).items()}


def write_articles(writer, ids, fresh=False):
    """As ``write_threads``, for KB articles: only published ones are indexed."""
    documents = whoosh_articles(ids) if ids else {}
    write_documents(writer, "article", ids, documents, fresh)
    return len(documents)


def load_documents(ids):
    """``{thread_id: Whoosh document}`` for the threads in ``ids`` that may be indexed at all."""
    return {id: whoosh_document(doc) for id, doc in load_threads(ids).items()}


def write_threads(writer, ids, fresh=False, progress=None):
    """Update the documents of ``ids``, deleting those no longer indexable; ``fresh`` means the
    index is being built from nothing, so there is nothing to replace or delete."""
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        documents = load_documents(chunk)
        write_documents(writer, "thread", chunk, documents, fresh)
        written += len(documents)
        if progress is not None:
            progress(len(chunk))
    return written
