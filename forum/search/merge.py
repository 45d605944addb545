"""Merging the Whoosh index's small segments in a process of their own.

Every drain writes a new segment, and Whoosh merges the small ones into bigger ones when a
writer commits, in the committing process. Inside a web process (the embedded setup's courier
thread) such a merge held the interpreter for 2-2.5 s at a million posts, once every ten or so
drains, and the requests that worker was serving waited behind it (posting p95 80 ms at four
posts a second, bench/RESULTS.md). So the courier commits without merging and, once the index
has MERGE_AT segments, starts ``python -m forum.search.merge DIR``, which merges them as a
commit would, holding Whoosh's writer lock meanwhile (drains wait, their events queued).
`flask worker`, `search reindex` and the tests merge in their own commits, as before. Should
merging in the background fail, the courier merges in its commit once the segments reach
MERGE_ANYWAY.
"""

import logging
import os
import subprocess
import sys
import threading
from contextlib import contextmanager

log = logging.getLogger(__name__)
MERGE_AT = 8
MERGE_ANYWAY = 32
MERGE_LOCK_WAIT = 30.0  # seconds the merger waits for a drain's writer
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_local = threading.local()
_merger = None  # this process's merging process (subprocess.Popen), while it runs
_starting = threading.Lock()


@contextmanager
def elsewhere():
    """Commits made inside leave merging to a background process (the courier's drains)."""
    previous = getattr(_local, "elsewhere", False)
    _local.elsewhere = True
    try:
        yield
    finally:
        _local.elsewhere = previous


def commit(writer, path):
    """Commit ``writer`` (a Whoosh writer on the index at ``path``): merging as usual, or, in
    a courier's drain, without merging and then starting the merger when it is time."""
    segments = len(writer.segments) + 1
    if not getattr(_local, "elsewhere", False) or segments >= MERGE_ANYWAY:
        writer.commit()
        return
    writer.commit(merge=False)
    if segments >= MERGE_AT:
        start(path)


def start(path):
    """Start merging the index at ``path`` in another process, unless ours still runs."""
    global _merger
    with _starting:
        if _merger is not None and _merger.poll() is None:
            return
        try:
            _merger = subprocess.Popen(
                [sys.executable, "-m", "forum.search.merge", path],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # not killed with a request's process group
            )
        except OSError:
            log.exception("search index: cannot start the merging process")
            _merger = None


def merge(path, wait=MERGE_LOCK_WAIT):
    """Merge the small segments of the index at ``path``; False when the writer was busy."""
    from whoosh import index as whoosh_index

    from forum.search.index import COMPOUND

    ix = whoosh_index.open_dir(path)
    try:
        writer = ix.writer(timeout=wait, compound=COMPOUND)
    except whoosh_index.LockError:
        return False
    writer.commit()  # nothing added: merges the small segments (Whoosh's MERGE_SMALL)
    return True


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(0 if merge(sys.argv[1]) else 1)
