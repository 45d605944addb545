"""`flask search reindex` and `flask search check` for Whoosh: the index rebuilt from, or
compared with, the database."""

import os
import shutil
import time

from whoosh import index as whoosh_index
from whoosh.writing import CLEAR

from forum.search import index
from forum.search.backend import CheckReport
from forum.search.documents import CHUNK, published_article_ids, visible_thread_ids
from forum.search.indexer import load_documents, whoosh_articles, write_articles, write_threads
from forum.search.schema import SCHEMA, parse_key

REBUILD_LOCK_WAIT = 60  # seconds to wait for a running drain before giving up


def rebuild(procs=1, limitmb=256, progress=None):
    """Build a fresh index from the database and swap it in; returns (documents, seconds).

    A readable index is rebuilt under its own write lock and replaced in one commit (CLEAR), so
    searches keep using the old one until then and drains wait with their events queued. A
    missing or damaged index is built in a sibling directory and moved into place."""
    started = time.perf_counter()
    path = os.path.normpath(index.index_dir())
    options = {"procs": procs, "limitmb": limitmb, "compound": index.COMPOUND, "codec": index.CODEC}
    if procs > 1:
        options["multisegment"] = True  # skip the final merge: faster, a few more segments
    try:
        live = index.open_index()
    except index.SearchUnavailable:
        live = None
    if live is not None:
        writer = index.writer(live, timeout=REBUILD_LOCK_WAIT, **options)
        count = _fill(writer, progress)
        writer.commit(mergetype=CLEAR)
    else:
        staging = f"{path}.rebuild"
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(staging)
        writer = whoosh_index.create_in(staging, SCHEMA).writer(**options)
        count = _fill(writer, progress)
        writer.commit()
        _replace_directory(staging, path)
    index.forget()
    return count, time.perf_counter() - started


def _fill(writer, progress):
    try:
        # Read the database only now, under the lock: anything committed later is still in
        # the outbox and reaches the new index through the next drain.
        count = write_threads(writer, visible_thread_ids(), fresh=True, progress=progress)
        return count + write_articles(writer, published_article_ids(), fresh=True)
    except BaseException:
        writer.cancel()
        raise


def _replace_directory(staging, path):
    for _attempt in range(3):
        if os.path.exists(path):
            shutil.rmtree(path)
        try:
            os.rename(staging, path)
            return
        except OSError:
            continue  # a drain created an empty index in the gap; move it aside and retry
    raise RuntimeError(f"could not move the rebuilt index into {path}")


def indexed_fingerprints(wanted="thread"):
    searcher = index.searcher()
    fingerprints = {}
    for stored in searcher.reader().all_stored_fields():
        doc_type, doc_id = parse_key(stored["key"])
        if doc_type == wanted:
            fingerprints[doc_id] = stored.get("fingerprint")
    return fingerprints


def article_problems():
    """Ids of published articles missing or stale in the index, and of indexed ones that are
    no longer published."""
    indexed = indexed_fingerprints("article")
    documents = whoosh_articles(published_article_ids())
    wrong = {i for i, doc in documents.items() if indexed.get(i) != doc["fingerprint"]}
    return sorted(wrong | (set(indexed) - set(documents)))


def check(fix=False, progress=None):
    """Compare every visible thread with its document; with ``fix``, rewrite the ones that
    differ in one commit. Raises SearchUnavailable when there is no readable index."""
    indexed = indexed_fingerprints()
    report = CheckReport()
    ids = visible_thread_ids()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for thread_id, document in load_documents(chunk).items():
            if thread_id not in indexed:
                report.missing.append(thread_id)
            elif indexed[thread_id] != document["fingerprint"]:
                report.stale.append(thread_id)
        report.checked += len(chunk)
        if progress is not None:
            progress(len(chunk))
    report.extra = sorted(set(indexed) - set(ids))
    report.articles = article_problems()
    if fix and (report.problems or report.articles):
        with index.writer(index.open_index(), timeout=REBUILD_LOCK_WAIT) as writer:
            write_threads(writer, report.problems)
            write_articles(writer, report.articles)
    return report
