"""Keeping ``search_documents`` in step with the database (PostgreSQL backend).

The same outbox consumer as Whoosh's, not triggers: a document is built from several tables
(thread, question, accepted answer, replies, article) and from the same Python text cleaning
as the Whoosh documents (markup stripped, emails cut out), and the outbox already names every
change that matters, so a drain re-reads those threads and articles and rewrites their rows
in the drain's own transaction: the documents and the deletion of the events commit together.

Writers take one transaction-level advisory lock first. Two drains then never interleave
their reads and writes (which could leave a stale document behind), and a drain that cannot
get the lock within WRITE_LOCK_WAIT (a rebuild holds it for its whole transaction) raises
IndexBusy, which leaves its events queued for the next drain, as with Whoosh.
"""

import hashlib
import json
import re
import time

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from forum.extensions import db
from forum.kb.models import Article
from forum.search.backend import CheckReport, IndexBusy, SearchUnavailable
from forum.search.documents import (
    CHUNK,
    load_articles,
    load_threads,
    named_ids,
    published_article_ids,
    visible_thread_ids,
)
from forum.search.models import SearchDocument
from forum.threads.models import Thread

CONFIG = "english"  # the text search configuration: English Snowball stemming and stop words
LOCK_KEY = 0x5EA2C4  # pg_advisory_xact_lock key held by every writer of search_documents
WRITE_LOCK_WAIT = "500ms"  # a drain's wait for the lock
REBUILD_LOCK_WAIT = "60s"  # a rebuild's or check --fix's wait for a running drain
LOCK_NOT_AVAILABLE = "55P03"
_CONTROL = re.compile(r"[\x00-\x1f]")


def pairs_of(vector):
    """SQL for the array of adjacent lexeme pairs ("sync+stop") of a tsvector expression, in
    position order (a stop word between two words leaves them adjacent). Phrase queries match
    these through a GIN index before PostgreSQL checks the words' positions (pg_query)."""
    return f"""ARRAY(
        SELECT pair FROM (
            SELECT lexeme || '+' || lead(lexeme) OVER (ORDER BY position) AS pair
            FROM (SELECT lexeme, unnest(positions) AS position FROM unnest({vector})) AS words
        ) AS pairs
        WHERE pair IS NOT NULL AND octet_length(pair) < 2000)"""


# Zones as tsvector weights: title A, accepted answer B, question C, other replies D. Word
# pairs only from the first three (as Whoosh's): pairs are nearly all distinct terms, and those
# of the replies more than tripled the table and its indexes.
WRITE = db.text(f"""
INSERT INTO search_documents AS s (kind, doc_id, category_id, author_id, solved, rank,
                                   created_at, fingerprint, tsv, title_tsv, pairs)
SELECT v.kind, v.doc_id, v.category_id, v.author_id, v.solved, v.rank, v.created_at,
       v.fingerprint, v.head || setweight(to_tsvector('{CONFIG}', v.replies), 'D'),
       v.title_tsv, array_to_tsvector({pairs_of("v.head")})
FROM (
    SELECT d.*,
           setweight(to_tsvector('{CONFIG}', d.title), 'A')
           || setweight(to_tsvector('{CONFIG}', d.question), 'C')
           || setweight(to_tsvector('{CONFIG}', d.answer), 'B') AS head,
           to_tsvector('{CONFIG}', d.title) AS title_tsv
    FROM jsonb_to_recordset(CAST(:documents AS jsonb)) AS d(
        kind text, doc_id integer, category_id integer, author_id integer, solved boolean,
        rank smallint, created_at timestamp, fingerprint text,
        title text, question text, answer text, replies text)
) AS v
ON CONFLICT (kind, doc_id) DO UPDATE SET
    category_id = excluded.category_id, author_id = excluded.author_id,
    solved = excluded.solved, rank = excluded.rank, created_at = excluded.created_at,
    fingerprint = excluded.fingerprint, tsv = excluded.tsv, title_tsv = excluded.title_tsv,
    pairs = excluded.pairs
""")
LOADERS = {"thread": load_threads, "article": load_articles}


def pg_text(text):
    """Text as PostgreSQL's parser should read it: ``&``, ``<`` and ``>`` escaped, so that
    ``<script>`` is a word between two entities instead of a tag the parser skips (the same
    escaping lets ts_headline's output be used as HTML), and no control characters."""
    text = _CONTROL.sub(" ", text or "")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fingerprint(document):
    parts = [document.kind, str(document.id), str(document.category_id)]
    parts += [str(document.author_id), str(document.solved), str(document.rank)]
    parts += [document.created.isoformat()] + [document.zones[z] for z in sorted(document.zones)]
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def row(document):
    return {
        "kind": document.kind,
        "doc_id": document.id,
        "category_id": document.category_id,
        "author_id": document.author_id,
        "solved": document.solved,
        "rank": document.rank,
        "created_at": document.created.isoformat(),
        "fingerprint": fingerprint(document),
        **{zone: pg_text(text) for zone, text in document.zones.items()},
    }


def lock(wait):
    """Take the writers' lock for this transaction, waiting at most ``wait``."""
    try:
        db.session.execute(db.text(f"SET LOCAL lock_timeout = '{wait}'"))
        db.session.execute(db.select(db.func.pg_advisory_xact_lock(LOCK_KEY)))
        db.session.execute(db.text("SET LOCAL lock_timeout = DEFAULT"))
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise IndexBusy("the search documents are being written by another process") from error
        raise


def write(kind, ids, fresh=False, progress=None):
    """Rewrite the documents of ``kind`` for ``ids``, deleting those no longer indexable
    (``fresh``: the table holds none of them); returns how many are indexable.

    A document whose row already has its fingerprint is left alone: rewriting a row costs a
    few milliseconds of GIN index upkeep, and many events change nothing indexed (a pin, a
    held post, a reply past the replies' budget of a long thread)."""
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        documents = LOADERS[kind](chunk)
        rows = [row(document) for document in documents.values()]
        if rows and not fresh:
            stored = stored_fingerprints(kind, list(documents))
            rows = [r for r in rows if stored.get(r["doc_id"]) != r["fingerprint"]]
        if rows:
            db.session.execute(WRITE, {"documents": json.dumps(rows)})
        gone = [id for id in chunk if id not in documents]
        if gone and not fresh:
            db.session.execute(
                db.delete(SearchDocument).where(
                    SearchDocument.kind == kind, SearchDocument.doc_id.in_(gone)
                )
            )
        written += len(documents)
        if progress is not None and kind == "thread":
            progress(len(chunk))
    return written


def stored_fingerprints(kind, ids):
    """``{doc_id: fingerprint}`` of the rows of ``kind`` among ``ids``."""
    rows = db.session.execute(
        db.select(SearchDocument.doc_id, SearchDocument.fingerprint).where(
            SearchDocument.kind == kind, SearchDocument.doc_id.in_(ids)
        )
    )
    return dict(rows.all())


def apply_events(events):
    """Outbox consumer: rewrite the documents the events name, in the drain's transaction."""
    threads, articles = named_ids(events, "thread_id"), named_ids(events, "article_id")
    if not threads and not articles:
        return
    lock(WRITE_LOCK_WAIT)
    write("thread", threads)
    write("article", articles)


def rebuild(progress=None):
    """Every document again, in one transaction: searches use the old rows until it commits,
    and drains wait (their events queued) until then. Returns ``(documents, seconds)``."""
    started = time.perf_counter()
    try:
        lock(REBUILD_LOCK_WAIT)
        db.session.execute(db.delete(SearchDocument))
        # Read the database only now, under the lock: anything committed later is still in
        # the outbox and reaches the new rows through the next drain.
        count = write("thread", visible_thread_ids(), fresh=True, progress=progress)
        count += write("article", published_article_ids(), fresh=True)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    # Every row is new: fresh statistics, the old rows' space back, the GIN pending lists
    # merged, and the visibility map set (bitmap scans then check rows without reading them).
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            db.text("VACUUM ANALYZE search_documents")
        )
    return count, time.perf_counter() - started


CACHE_SIZES = db.text(
    "SELECT pg_total_relation_size('search_documents'), "
    "pg_size_bytes(current_setting('shared_buffers'))"
)


def cache_advice():
    """When the search table outgrows PostgreSQL's buffer cache, searches read most of its pages
    through the kernel's cache (a system call and a copy each): at a million posts the table is
    ~1 GB, the default cache 128 MB, and a cache that held it took search p95 from 44-54 to
    33-43 ms (bench/RESULTS.md). None when it fits."""
    try:
        table, buffers = db.session.execute(CACHE_SIZES).one()
    except SQLAlchemyError:  # advice only: a role that may not read the sizes gets none
        db.session.rollback()
        return None
    if table <= buffers:
        return None
    mb = 2**20
    return (
        f"The search table ({table // mb:,} MB) is larger than PostgreSQL's buffer cache "
        f"(shared_buffers, {buffers // mb:,} MB): searches get faster with shared_buffers "
        "set to hold it (README, Operations: PostgreSQL)."
    )


def indexed_fingerprints():
    rows = db.session.execute(
        db.select(SearchDocument.kind, SearchDocument.doc_id, SearchDocument.fingerprint)
    )
    indexed = {"thread": {}, "article": {}}
    for kind, doc_id, stored in rows:
        indexed.setdefault(kind, {})[doc_id] = stored
    return indexed


def differences(kind, ids, indexed, progress=None):
    """``(missing, stale)`` ids of ``kind`` among ``ids`` compared with ``indexed``."""
    missing, stale = [], []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for doc_id, document in LOADERS[kind](chunk).items():
            if doc_id not in indexed:
                missing.append(doc_id)
            elif indexed[doc_id] != fingerprint(document):
                stale.append(doc_id)
        if progress is not None:
            progress(len(chunk))
    return missing, stale


def check(fix=False, progress=None):
    """Compare every visible thread and published article with its row; with ``fix``, rewrite
    the ones that differ in one transaction. Raises SearchUnavailable when nothing was ever
    indexed (run `flask search reindex`)."""
    state = status()["status"]
    if state != "ok":
        raise SearchUnavailable(state)
    indexed = indexed_fingerprints()
    report, threads = CheckReport(), visible_thread_ids()
    report.missing, report.stale = differences("thread", threads, indexed["thread"], progress)
    report.checked = len(threads)
    report.extra = sorted(set(indexed["thread"]) - set(threads))
    articles = published_article_ids()
    missing, stale = differences("article", articles, indexed["article"])
    report.articles = sorted(set(missing + stale) | (set(indexed["article"]) - set(articles)))
    if fix and (report.problems or report.articles):
        lock(REBUILD_LOCK_WAIT)
        write("thread", report.problems)
        write("article", report.articles)
        db.session.commit()
    return report


def status():
    """``ok`` with the number of documents; ``missing`` when none were ever written although
    there is something to find; ``unreadable`` when the table cannot be read."""
    try:
        documents = db.session.scalar(db.select(db.func.count(SearchDocument.id)))
        if documents == 0 and has_content():
            return {"status": "missing", "documents": 0}
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unreadable", "documents": None}
    return {"status": "ok", "documents": documents}


def has_content():
    """Whether any thread or article is there to be found."""
    threads = db.exists().where(Thread.status == "visible")
    articles = db.exists().where(Article.status == "published")
    return db.session.scalar(db.select(db.or_(threads, articles)))
