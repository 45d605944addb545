"""The PostgreSQL backend: full-text search over the ``search_documents`` table, in the same
database and transactions as the forum itself (pg_index.py writes it, pg_query.py reads it).

A failed statement aborts PostgreSQL's whole transaction, and the page still has to render
after a search failed; so every read here rolls back on a database error and reports the
search as unavailable (or, for snippets, falls back to unhighlighted text).
"""

import logging

from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db
from forum.search import pg_index, pg_query
from forum.search.backend import SearchBackend, SearchUnavailable

log = logging.getLogger(__name__)


def guarded(function, *args):
    try:
        return function(*args)
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("PostgreSQL search failed", exc_info=True)
        raise SearchUnavailable("unreadable") from error


class PostgresBackend(SearchBackend):
    name = "postgres"

    def prepare(self, parsed, match_any=False):
        return guarded(pg_query.prepare, parsed, match_any)

    def run(self, query, restrict, offset=0, limit=20, newest=False, count=True):
        return guarded(pg_query.run, query, restrict, offset, limit, newest, count)

    def snippets(self, query, texts):
        try:
            return pg_query.snippets(query, texts)
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("ts_headline failed; snippets without highlighting", exc_info=True)
            return pg_query.plain_snippets(query, texts)

    def apply_events(self, events):
        pg_index.apply_events(events)

    def rebuild(self, procs=1, limitmb=256, progress=None):
        return pg_index.rebuild(progress=progress)

    def check(self, fix=False, progress=None):
        return pg_index.check(fix=fix, progress=progress)

    def status(self):
        return pg_index.status()

    def advice(self):
        return pg_index.cache_advice()
