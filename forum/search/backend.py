"""One search interface, two implementations, chosen once per application.

``SEARCH_BACKEND=whoosh`` keeps a Whoosh index on the web host's disk; ``postgres`` keeps a
``search_documents`` table with weighted ``tsvector``s in the database itself. Unset, it is
``postgres`` when the database is PostgreSQL and ``whoosh`` otherwise. Everything else in the
forum (the results page, the API, similar questions, `flask search`, /healthz) talks to
``current()`` and never to an engine directly.
"""

from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from flask import current_app

from forum.extensions import db
from forum.outbox import subscribe

IMPLEMENTATIONS = {
    "whoosh": "forum.search.whoosh_backend:WhooshBackend",
    "postgres": "forum.search.pg_backend:PostgresBackend",
}


class SearchUnavailable(Exception):
    """The index is missing, unreadable or built with another schema; ``reason`` says which."""

    def __init__(self, reason):
        super().__init__(f"search index {reason}")
        self.reason = reason


class IndexBusy(Exception):
    """Another process (or thread) is writing the index; the events stay queued."""


@dataclass(frozen=True)
class Restrict:
    """What a search is narrowed to, with names resolved to ids (queries.restrictions)."""

    category_id: int | None = None
    solved: bool | None = None
    doc_type: str | None = None  # "thread" or "article"
    author_id: int | None = None
    after: date | None = None  # created on or after
    before: date | None = None  # created before
    solved_or_article: bool = False  # similar questions: solved threads and KB articles


@dataclass
class Found:
    hits: list  # [(type, id, score)] for the page, best (or newest) first
    total: int
    more: bool = False  # counting stopped at ``total``: there are more matches


@dataclass
class CheckReport:
    checked: int = 0
    missing: list = field(default_factory=list)  # visible in the database, absent from the index
    stale: list = field(default_factory=list)  # indexed with different content
    extra: list = field(default_factory=list)  # indexed but no longer visible
    articles: list = field(default_factory=list)  # KB article ids missing, stale or extra

    @property
    def problems(self):
        return sorted(self.missing + self.stale + self.extra)


class SearchBackend:
    """What a backend provides. Queries come from ``forum.search.syntax.parse``; filters as a
    ``Restrict``; hits are ``(type, id, score)`` that the caller re-reads from the database."""

    name = ""
    # Whether the index lives in the forum's database (its outbox consumer writes there) or
    # outside it (files: the consumer only reads the database).
    in_database = True

    def prepare(self, parsed, match_any=False):
        """The backend's query for a ParsedQuery (groups ANDed, or ORed with ``match_any``),
        or None when every word given is too common to search for."""
        raise NotImplementedError

    def run(self, query, restrict, offset=0, limit=20, newest=False, count=True):
        """A ``Found`` for one page, best first (newest first with ``newest``); raises
        SearchUnavailable when there is no usable index. ``count=False`` says the caller only
        wants the best few (suggestions): the backend may skip counting and rank fewer."""
        raise NotImplementedError

    def snippets(self, query, texts):
        """For each list of plain texts in ``texts`` (in order of preference), an escaped
        snippet (Markup) from the best-matching text with ``<mark>`` around matched words."""
        raise NotImplementedError

    def apply_events(self, events):
        """Outbox consumer: bring the documents named by ``events`` in step with the database.
        Raises (IndexBusy, SearchUnavailable, …) to leave the events queued."""
        raise NotImplementedError

    def rebuild(self, procs=1, limitmb=256, progress=None):
        """Rebuild every document from the database; returns ``(documents, seconds)``."""
        raise NotImplementedError

    def check(self, fix=False, progress=None):
        """Compare the index with the database (and rewrite what differs with ``fix``); a
        ``CheckReport``. Raises SearchUnavailable when there is no usable index."""
        raise NotImplementedError

    def status(self):
        """``{"status": ok|missing|unreadable|outdated, "documents": n or None}``."""
        raise NotImplementedError

    def advice(self):
        """A sentence for the operator when the index is set up in a way that slows searches
        (`flask search reindex` prints it), or None."""
        return None


def choose(configured, dialect):
    """The backend's name for a SEARCH_BACKEND value (None: by database) and a dialect."""
    name = (configured or ("postgres" if dialect == "postgresql" else "whoosh")).strip().lower()
    if name not in IMPLEMENTATIONS:
        raise RuntimeError(
            f"SEARCH_BACKEND={configured!r} is not a search backend; use "
            + " or ".join(IMPLEMENTATIONS)
        )
    if name == "postgres" and dialect != "postgresql":
        raise RuntimeError("SEARCH_BACKEND=postgres needs a PostgreSQL database (DATABASE_URL).")
    return name


def init_app(app):
    """Pick the application's backend and subscribe the index to the outbox."""
    with app.app_context():
        dialect = db.engine.dialect.name
    name = choose(app.config.get("SEARCH_BACKEND"), dialect)
    module, _, cls = IMPLEMENTATIONS[name].partition(":")
    app.config["SEARCH_BACKEND"] = name
    app.extensions["search_backend"] = getattr(import_module(module), cls)()
    subscribe(apply_events, outside=lambda: not current().in_database)


def current():
    """The current application's backend."""
    return current_app.extensions["search_backend"]


def apply_events(events):
    """The outbox consumer (one for every application: each delivers to its own backend)."""
    current().apply_events(events)
