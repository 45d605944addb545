"""The embedded courier's Whoosh writes, done in a helper process.

The embedded courier delivers the outbox in a thread of each web process. Writing the index is
pure Python: analysing each changed thread's whole text, writing a segment, now and then
merging, ~14 ms of CPU per reply at a million posts. In the web process that work holds the
interpreter lock, and every request of the process waited on it: flooded with replies at two
connections, p95 129–306 ms at 31–36 replies/s, whether merges ran or not (bench/RESULTS.md).
So the courier hands the writing to a helper process: the helper takes Whoosh's lock and says
so, the courier then reads the changed documents from the database (indexer.load_documents;
under the lock, as a drain in one process does, so a document read earlier can never overwrite
one written meanwhile by another drain) and sends them, and the helper compares fingerprints,
writes, commits and answers how many it wrote. The courier waits in pipe reads, which release
the interpreter lock.

Each process that needs a helper starts its own at its first write, again after a fork, and
again when it has died (the events of a write it did not answer stay queued). One that does not
say it is ready within START_TIMEOUT means no helper can run here: that process writes in the
courier's thread from then on. The helper reads its stdin and exits when that closes, as it
does when its process ends; it ignores Ctrl-C, which reaches a terminal's whole process group,
so a commit is never cut short. It creates no application and opens no database; messages are
pickles (multiprocessing.connection) through the two pipes between the processes.
"""

import logging
import os
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from forum.search import index
from forum.search.backend import IndexBusy, SearchUnavailable
from forum.search.schema import doc_key

log = logging.getLogger(__name__)
START_TIMEOUT = 30  # seconds for a new helper to import what it needs and say so
ANSWER_TIMEOUT = 600  # a merge at a million posts takes 3-16 s of CPU; far beyond that, it hangs
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


class CannotStart(Exception):
    """No helper can run here (no Python at ``sys.executable``, say): write in-process."""


class Cancelled(Exception):
    """The courier could not read the documents; the helper cancels its writer."""


class HelperDied(Exception):
    """The helper ended, or stopped answering, in the middle of a write."""


class Helper:
    """A process's helper: started on first use, and again when it has died. When one does not
    say it is ready within START_TIMEOUT, this process never starts another (CannotStart)."""

    def __init__(self):
        self.process = self.pid = self.requests = self.answers = None
        self.lock = threading.Lock()
        self.broken = False

    def alive(self):
        return self.pid == os.getpid() and self.process and self.process.poll() is None

    def start(self):
        """Start a helper and wait for it to say it is ready; CannotStart if it does not."""
        self._close()  # a dead helper's pipes, or those a fork inherited
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_ROOT, env.get("PYTHONPATH")]))
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        try:
            self.process = subprocess.Popen(  # this interpreter, a fixed module, no shell
                [sys.executable, "-m", "forum.search.write_process"],
                stdin=to_child,
                stdout=from_child,
                env=env,
            )
        except OSError as error:
            for fd in (to_child, from_parent, to_parent, from_child):
                os.close(fd)
            raise CannotStart(f"cannot start: {error!r}") from error
        os.close(to_child)
        os.close(from_child)
        self.pid = os.getpid()
        self.requests = Connection(from_parent, readable=False)
        self.answers = Connection(to_parent, writable=False)
        try:
            self._answer(START_TIMEOUT)  # ("ready", None) once it has imported what it needs
        except HelperDied as error:
            raise CannotStart(str(error)) from error
        log.info("search index helper ready (pid %d)", self.process.pid)

    def stop(self):
        """End the helper (it finishes a write in hand) and forget it; tests."""
        if self.pid == os.getpid() and self.process:
            self._close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = self.pid = self.requests = self.answers = None
        self.broken = False

    def _close(self):
        for connection in (self.requests, self.answers):
            if connection is not None and not connection.closed:
                connection.close()

    def _answer(self, timeout):
        """The helper's next answer; HelperDied (after ending it) if none comes in time."""
        try:
            if self.answers.poll(timeout):
                return self.answers.recv()
            problem = f"no answer within {timeout} s"
        except (EOFError, OSError):
            problem = "it ended"
        self._close()
        self.process.kill()
        status = self.process.wait()
        log.error(
            "search index helper (pid %d): %s, exit status %s", self.process.pid, problem, status
        )
        raise HelperDied(f"the search index helper stopped answering: {problem}")

    def write(self, path, load):
        """As ``commit_changed`` on the index at ``path``: the helper takes Whoosh's lock, then
        ``load()`` is called here and its documents sent. Raises what commit_changed raises,
        HelperDied, or CannotStart when this process cannot run a helper."""
        with self.lock:
            if self.broken:
                raise CannotStart("no helper in this process")
            if not self.alive():
                try:
                    self.start()
                except CannotStart:
                    self.broken = True
                    log.exception("search index helper: writing in the courier's thread instead")
                    raise
            outcome, value = self._ask(path)
            if outcome == "locked":
                try:
                    documents = load()
                except BaseException:
                    self._ask(None)  # the helper cancels its writer
                    raise
                outcome, value = self._ask(documents)
        return _result(outcome, value)

    def _ask(self, message):
        try:
            self.requests.send(message)
        except OSError:
            self._answer(0)  # it has ended: raises HelperDied
        return self._answer(ANSWER_TIMEOUT)


def _result(outcome, value):
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


def _write(path, requests, answers, opened):
    """Answer one write: take the lock, say so, write what comes back. ``opened`` keeps the
    index between writes: [path, inode, index]."""

    def documents():
        answers.send(("locked", None))
        batches = requests.recv()
        if batches is None:
            raise Cancelled()
        return batches

    try:
        inode = os.stat(path).st_ino if os.path.isdir(path) else None
        if opened[:2] != [path, inode]:  # another forum's, or replaced by a rebuild
            ix = index.open_at(path)
            opened[:] = [path, os.stat(path).st_ino, ix]
        return "done", commit_changed(opened[2], documents)
    except Cancelled:
        return "cancelled", None
    except IndexBusy as error:
        return "busy", str(error)
    except SearchUnavailable as error:
        opened[:] = []
        return "unavailable", error.reason
    except EOFError:
        raise
    except Exception as error:
        log.exception("search index helper: a write failed")
        opened[:] = []
        return "failed", repr(error)


def serve(requests, answers):
    """The helper's loop: answer each write until ``requests`` closes."""
    opened = []
    answers.send(("ready", None))
    try:
        while True:
            answers.send(_write(requests.recv(), requests, answers, opened))
    except (EOFError, BrokenPipeError):  # the parent went away (while this write went on)
        return


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s search helper: %(message)s")
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # whatever prints goes to stderr, not into the answers
    serve(Connection(os.dup(0), writable=False), answers)
