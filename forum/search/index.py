"""The Whoosh index on disk: opening it, one cached searcher per worker thread, the single writer.

Several gunicorn workers share the directory. Whoosh lets one writer in at a time (a lock file);
writers here wait only briefly for it and raise ``IndexBusy`` otherwise, so a request never
queues behind a long write and the outbox keeps the events for the next drain.
"""

import logging
import os
import threading

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from forum.search.backend import IndexBusy, SearchUnavailable
from forum.search.ranking import weighting
from forum.search.schema import SCHEMA

log = logging.getLogger(__name__)
WRITE_LOCK_WAIT = 0.5  # seconds a drain waits for another process's writer
# Segments as separate files, not one compound file: Whoosh copies each file of a compound
# segment into memory when it opens a reader (BytesIO over the mmap), which cost every worker
# and every writer ~140 MB and 100-400 ms per open at 100,000 posts (bench/RESULTS.md).
COMPOUND = False
# Posting blocks without zlib: each commit of the courier writes a segment of thousands of small
# blocks, and compressing them took ~30 % of its CPU per document (15.3 → 11.0 ms at 1M posts);
# the index grows ~14 % and reads a little faster. Each block records whether it is compressed,
# so segments written before stay readable, and merges rewrite them uncompressed.
CODEC = W3Codec(compression=0)
_local = threading.local()
__all__ = ["IndexBusy", "SearchUnavailable"]  # raised here, defined with the interface


def index_dir():
    return current_app.config["SEARCH_INDEX_DIR"]


def has_index(path):
    return os.path.isdir(path) and any(name.endswith(".toc") for name in os.listdir(path))


def _open(path):
    if not has_index(path):
        raise SearchUnavailable("missing")
    try:
        ix = whoosh_index.open_dir(path)
    except Exception as error:  # Whoosh reports a damaged index with many exception types
        log.warning("search index at %s is unreadable: %r", path, error)
        raise SearchUnavailable("unreadable") from error
    if set(ix.schema.names()) != set(SCHEMA.names()):
        raise SearchUnavailable("outdated")
    return ix


def _cached():
    """This thread's (path, inode, index, searcher); reopened when the directory is replaced."""
    path = index_dir()
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        inode = None
    entry = getattr(_local, "entry", None)
    if entry is not None and entry[:2] == (path, inode):
        return entry
    forget()
    entry = (path, inode, _open(path), None)
    _local.entry = entry
    return entry


def forget():
    """Drop this thread's cached index and searcher (after a rebuild, or to free files)."""
    entry = getattr(_local, "entry", None)
    _local.entry = None
    if entry is not None and entry[3] is not None:
        entry[3].close()


def open_index(create=False):
    """The live index; with ``create``, a missing one is created empty. Raises SearchUnavailable."""
    if create and not has_index(index_dir()):
        open_at(index_dir(), create=True)
    return _cached()[2]


def open_at(path, create=False):
    """The index at ``path``, uncached (the search index helper's); as open_index otherwise."""
    if create and not has_index(path):
        os.makedirs(path, exist_ok=True)
        return whoosh_index.create_in(path, SCHEMA)
    return _open(path)


def searcher():
    """A searcher on the latest committed state of the index, reused between requests."""
    path, inode, ix, current = _cached()
    # Not Searcher.refresh(): it reuses segment readers whose segment gained deletions since,
    # and so keeps finding documents that were replaced or removed.
    if current is not None and ix.latest_generation() != current.reader().generation():
        current.close()
        current = None
    if current is None:
        current = ix.searcher(weighting=weighting(current_app.config))
        _local.entry = (path, inode, ix, current)
    return current


def writer(ix, **kwargs):
    """A writer on ``ix`` after waiting at most WRITE_LOCK_WAIT; raises IndexBusy otherwise."""
    kwargs.setdefault("timeout", WRITE_LOCK_WAIT)
    kwargs.setdefault("compound", COMPOUND)
    kwargs.setdefault("codec", CODEC)
    try:
        return ix.writer(**kwargs)
    except whoosh_index.LockError as error:
        raise IndexBusy("the search index is being written by another process") from error


def status():
    """``{"status": ok|missing|unreadable|outdated, "documents": n}`` for /healthz."""
    try:
        return {"status": "ok", "documents": searcher().doc_count()}
    except SearchUnavailable as error:
        return {"status": error.reason, "documents": None}
    except Exception:  # a damaged segment may only show when it is read
        log.exception("search index status check failed")
        return {"status": "unreadable", "documents": None}
