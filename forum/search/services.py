"""What search writes: the search log, result clicks and deflection counters.

The log and the clicks are written from GET requests (the results page, a result link) after
they have read. On SQLite each function first ends the request's read transaction, because
SQLite cannot turn a read snapshot into a write once another connection has written (it fails
at once instead of waiting for the lock). On PostgreSQL the write joins the request's
transaction, which has only read (these requests change nothing else), and commits it without
waiting for the WAL to reach the disk (``synchronous_commit = off``): a crash can lose the last
fraction of a second of search statistics, never forum content, and the results page does not
wait ~1-2 ms for a flush. A log write that fails is logged and skipped; the page that triggered
it still answers.
"""

import logging
import secrets

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from forum.extensions import db
from forum.search.models import DEFLECTION_KINDS, Deflection, SearchLog, today

log = logging.getLogger(__name__)


def new_log_key():
    """The random key that ties a results page's links to its log row (not the row id, so the
    page can be rendered before the row is written and ids cannot be guessed)."""
    return secrets.token_urlsafe(12)


def _write(action, *args):
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if not postgres:
        db.session.commit()  # end the read transaction; the write below starts its own
    try:
        if postgres:
            # In the request's transaction, which has only read: ending it first would return
            # the connection to the pool and take it again (a ping, ~0.6 ms per search).
            db.session.execute(db.text("SET LOCAL synchronous_commit = off"))
        action(*args)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("search %s skipped", action.__name__, exc_info=True)


# A plain INSERT into the table: the session's unit of work, and even an INSERT of the model
# (which SQLAlchemy's ORM still processes in bulk), cost more than the write itself here
# (a log write took 1.6 ms with it, 1.1 ms without, commit included).
LOG_INSERT = SearchLog.__table__.insert()


def _log(key, query, result_count):
    db.session.execute(LOG_INSERT, {"key": key, "query": query[:200], "result_count": result_count})


def record_search(key, normalized_query, result_count):
    """Log one search under ``key`` (no user, no time finer than the day)."""
    _write(_log, key, normalized_query, result_count)


def _click(key, rank, doc_type, doc_id):
    db.session.execute(
        db.update(SearchLog)
        .where(SearchLog.key == key, SearchLog.clicked_id.is_(None))
        .values(clicked_rank=rank, clicked_type=doc_type, clicked_id=doc_id)
    )


def record_click(key, rank, doc_type, doc_id):
    """Remember the first result opened from the search logged as ``key``; later clicks and
    unknown keys change nothing."""
    _write(_click, key, rank, doc_type, doc_id)


def _deflection(kind):
    where = (Deflection.day == today(), Deflection.kind == kind)
    bump = db.update(Deflection).where(*where).values(count=Deflection.count + 1)
    if db.session.execute(bump).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(Deflection(day=today(), kind=kind, count=1))
    except IntegrityError:  # another request created today's row first
        db.session.execute(bump)


def count_deflection(kind):
    """Add one to today's counter for ``kind`` (suggestion_opened or answered)."""
    if kind not in DEFLECTION_KINDS:
        raise ValueError(kind)
    _write(_deflection, kind)
