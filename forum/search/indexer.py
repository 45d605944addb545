"""Keeping the Whoosh index in step with the database: the outbox consumer and the writer.

The consumer re-reads every thread and article an event batch names (documents.named_ids) and
updates or removes the documents that changed, all in one Whoosh commit per drained batch (none
when nothing changed).
"""

import threading

from forum.extensions import db
from forum.kb.models import Article
from forum.search import index
from forum.search.documents import CHUNK, load_articles, load_threads, named_ids
from forum.search.schema import doc_key, whoosh_document
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
        writer = index.writer(_live_index(threads, articles))
        try:
            written = _write_changed(writer, threads, articles)
        except BaseException:
            writer.cancel()
            raise
        if written:
            writer.commit()
        else:  # nothing indexed changed (a pin, a held post…): no segment to write
            writer.cancel()
    finally:
        _writing.release()


def _write_changed(writer, threads, articles):
    """Update or delete the documents of ``threads`` and ``articles`` that differ from what
    the index holds (by fingerprint, read with the writer's searcher: the index as committed,
    under the lock); returns how many were written."""
    written = 0
    with writer.searcher() as current:
        for kind, ids, load in (
            ("thread", threads, load_documents),
            ("article", articles, whoosh_articles),
        ):
            documents = load(ids) if ids else {}
            changed = [id for id in ids if _differs(current, doc_key(kind, id), documents.get(id))]
            _write(writer, kind, changed, documents, fresh=False)
            written += len(changed)
    return written


def _differs(searcher, key, document):
    """Whether the index's document under ``key`` differs from ``document`` (None: the
    document should not be there)."""
    stored = searcher.document(key=key)
    if document is None:
        return stored is not None
    return stored is None or stored.get("fingerprint") != document["fingerprint"]


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
    """``{thread_id: Whoosh document}`` for the threads in ``ids`` that may be indexed at all."""
    return {id: whoosh_document(doc) for id, doc in load_threads(ids).items()}


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
