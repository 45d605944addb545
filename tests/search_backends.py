"""Running search tests on each search backend.

tests/search/ and tests/api/test_search.py take the ``search_backend`` fixture (tests/conftest.py)
through their ``config_overrides``, so each of their tests runs once with Whoosh and once with
PostgreSQL full-text search; the PostgreSQL run needs a PostgreSQL test database
(TEST_DATABASE_URL) and is skipped, saying so, without one. ``WHOOSH_ONLY`` and
``POSTGRES_ONLY`` pin a test about one engine's internals to that engine.
"""

import shutil
from contextlib import contextmanager

import pytest

from config import TestingConfig
from forum.extensions import db
from forum.search import backend, index

ON_POSTGRES = (TestingConfig.SQLALCHEMY_DATABASE_URI or "").startswith("postgresql")
POSTGRES = pytest.param(
    "postgres",
    id="postgres",
    marks=pytest.mark.skipif(
        not ON_POSTGRES,
        reason="the PostgreSQL search backend needs a PostgreSQL test database (TEST_DATABASE_URL)",
    ),
)
BACKENDS = [pytest.param("whoosh", id="whoosh"), POSTGRES]
WHOOSH_ONLY = pytest.mark.parametrize("search_backend", [pytest.param("whoosh", id="whoosh")])
POSTGRES_ONLY = pytest.mark.parametrize("search_backend", [POSTGRES])


def documents():
    """How many documents the current backend holds."""
    return backend.current().status()["documents"]


def indexed(word):
    """How many documents the current backend holds that contain ``word`` (as it analyses it)."""
    if backend.current().name == "whoosh":
        from forum.search.engine import tokens

        (term,) = tokens(word)
        return index.searcher().reader().doc_frequency("text", term)
    return db.session.scalar(
        db.text(
            "SELECT count(*) FROM search_documents WHERE tsv @@ plainto_tsquery('english', :w)"
        ),
        {"w": word},
    )


@contextmanager
def broken_index(app):
    """The current backend with its index gone: Whoosh's directory removed, PostgreSQL's
    table renamed away (as before its migration ran); put back afterwards."""
    if app.config["SEARCH_BACKEND"] == "whoosh":
        index.forget()
        shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)
        yield
        return
    rename = "ALTER TABLE {} RENAME TO {}"
    db.session.execute(db.text(rename.format("search_documents", "search_documents_away")))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        db.session.execute(db.text(rename.format("search_documents_away", "search_documents")))
        db.session.commit()
