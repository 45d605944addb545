"""The embedded courier's Whoosh writes, done in a helper process.

The embedded courier delivers the outbox in a thread of each web process. Writing the index is
pure Python: analysing each changed thread's whole text, writing a segment, now and then
merging, ~14 ms of CPU per reply at a million posts. In the web process that work holds the
interpreter lock, and every request of the process waited on it: flooded with replies at two
connections, p95 129–306 ms at 31–36 replies/s, whether merges ran or not (bench/RESULTS.md).
So the courier still reads what changed from the database (indexer.load_documents) but hands
the documents to a helper, which compares fingerprints, writes and commits under Whoosh's lock
and answers how many it wrote. The courier thread waits for the answer in a read from a pipe,
which releases the interpreter lock.

Each process that needs a helper starts its own at its first write (again after a fork, and
when it has died: the events of a write it did not answer stay queued). The helper reads
requests on its stdin and exits when that closes, as it does when its process ends; it ignores
Ctrl-C, which reaches the whole terminal's process group, so a commit is never cut short. It
creates no application and opens no database. Requests and answers are pickles, each after its
length, through the two pipes between the processes.
"""

import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading

from forum.search import index
from forum.search.backend import IndexBusy, SearchUnavailable
from forum.search.schema import doc_key

log = logging.getLogger(__name__)
LENGTH = struct.Struct("!Q")
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def commit_changed(ix, load):
    """Write to ``ix`` the documents that differ from what it holds, in one commit (none when
    nothing differs); returns how many were written. ``load()``, called once the writer holds
    Whoosh's lock, gives ``[(kind, ids, {id: document})]``: an id without a document is one
    that should not be indexed. Fingerprints are compared with the writer's own searcher."""
    writer = index.writer(ix)
    try:
        written = 0
        with writer.searcher() as current:
            for kind, ids, documents in load():
                changed = [i for i in ids if _differs(current, doc_key(kind, i), documents.get(i))]
                write_documents(writer, kind, changed, documents, fresh=False)
                written += len(changed)
    except BaseException:
        writer.cancel()
        raise
    if written:
        writer.commit()
    else:  # nothing indexed changed (a pin, a held post…): no segment to write
        writer.cancel()
    return written


def _differs(searcher, key, document):
    """Whether the index's document under ``key`` differs from ``document`` (None: the
    document should not be there)."""
    stored = searcher.document(key=key)
    if document is None:
        return stored is not None
    return stored is None or stored.get("fingerprint") != document["fingerprint"]


def write_documents(writer, kind, ids, documents, fresh):
    """Add, replace or delete the document of each id; ``documents`` holds the indexable ones;
    ``fresh``: the index is being built from nothing, so there is nothing to replace or delete."""
    for id in ids:
        document = documents.get(id)
        if document is None:
            if not fresh:
                writer.delete_by_term("key", doc_key(kind, id))
        elif fresh:
            writer.add_document(**document)
        else:
            writer.update_document(**document)


def send(stream, message):
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(LENGTH.pack(len(data)) + data)
    stream.flush()


def receive(stream):
    """The next message on ``stream``, or None once it has closed."""
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    data = stream.read(LENGTH.unpack(head)[0])
    return pickle.loads(data)  # from our own parent or child, through a pipe only they hold


class CannotStart(Exception):
    """The helper cannot run here (no Python at ``sys.executable``, say): write in-process."""


class Helper:
    """A process's helper: started on first use, and again when it has died. One that dies
    before its first answer is not started again by this process (``CannotStart``)."""

    def __init__(self):
        self.process, self.pid = None, None
        self.lock = threading.Lock()
        self.broken = False

    def alive(self):
        return self.pid == os.getpid() and self.process and self.process.poll() is None

    def start(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_ROOT, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(  # this interpreter, a fixed module, no shell
            [sys.executable, "-m", "forum.search.write_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.pid = os.getpid()
        log.info("search index helper started (pid %d)", self.process.pid)

    def stop(self):
        if self.pid == os.getpid() and self.process:
            self.process.stdin.close()
            self.process.wait(10)
        self.process, self.pid, self.broken = None, None, False

    def write(self, path, batches, create):
        """As ``commit_changed`` on the index at ``path`` (created there if missing and
        ``create``); raises what it raises, SearchUnavailable if the helper died, CannotStart
        if this process cannot run one."""
        with self.lock:
            fresh = not self.alive()
            if fresh and not self.broken:
                try:
                    self.start()
                except OSError as error:
                    self.broken = True
                    log.error("the search index helper cannot start: %r", error)
            if self.broken:
                raise CannotStart()
            try:
                send(self.process.stdin, (path, batches, create))
                answer = receive(self.process.stdout)
            except OSError:
                answer = None
            if answer is None:
                self.process.kill()
                self.process.wait()
                if fresh:
                    self.broken = True
                    log.error("the search index helper died before its first answer")
                    raise CannotStart()
                raise SearchUnavailable("unreadable")  # the events stay queued for a new helper
        outcome, value = answer
        if outcome == "busy":
            raise IndexBusy(value)
        if outcome == "unavailable":
            raise SearchUnavailable(value)
        if outcome == "failed":
            raise RuntimeError(f"the search index helper failed: {value}")
        return value


_helper = Helper()


def helper():
    return _helper


def _answer(request, opened):
    """Do one request; ``opened`` keeps the index between requests: [path, inode, index]."""
    path, batches, create = request
    try:
        inode = os.stat(path).st_ino if os.path.isdir(path) else None
        if opened[:2] != [path, inode]:  # another forum's, or replaced by a rebuild
            ix = index.open_at(path, create)
            opened[:] = [path, os.stat(path).st_ino, ix]
        return "done", commit_changed(opened[2], lambda: batches)
    except IndexBusy as error:
        return "busy", str(error)
    except SearchUnavailable as error:
        opened[:] = []
        return "unavailable", error.reason
    except Exception as error:
        log.exception("search index helper: a write failed")
        opened[:] = []
        return "failed", repr(error)


def serve(requests, answers):
    """The helper's loop: answer each request until ``requests`` closes."""
    opened = []
    try:
        while (request := receive(requests)) is not None:
            send(answers, _answer(request, opened))
    except BrokenPipeError:  # the parent went away while this write went on
        return


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s search helper: %(message)s")
    serve(sys.stdin.buffer, sys.stdout.buffer)
