from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from forum import outbox
from forum.extensions import db
from forum.search.index import status as search_status

bp = Blueprint("health", __name__)
# What a database error's message means, in words that name no host, user or path.
DETAILS = (
    ("connection refused", "the database server refuses connections"),
    ("could not translate host name", "the database host name does not resolve"),
    ("timeout", "the database server did not answer in time"),
    ("timed out", "the database server did not answer in time"),
    ("authentication failed", "the database refused the credentials"),
    ("does not exist", "the database does not exist"),
    ("unable to open database file", "the database file cannot be opened"),
    ("file is not a database", "the database file is damaged or is not a database"),
    ("malformed", "the database file is damaged or is not a database"),
    ("database is locked", "the database is locked by another process"),
    ("readonly database", "the database is read-only"),
    ("disk i/o error", "the disk holding the database failed"),
    ("no such table", "the database has no tables: run `flask db upgrade`"),
    ("undefinedtable", "the database has no tables: run `flask db upgrade`"),
)


def database_problem(error):
    """A short, safe description of why the database failed (never its raw message)."""
    original = getattr(error, "orig", None) or error
    message = f"{type(original).__name__} {original}".lower()
    return next((detail for needle, detail in DETAILS if needle in message), "unknown error")


@bp.route("/healthz")
def healthz():
    """200 with the outbox backlog and the search index's state when the database answers
    (a missing index is reported, not an error: search says it is rebuilding); 503 with the
    reason when the database does not."""
    try:
        backlog = outbox.backlog()
    except SQLAlchemyError as error:
        db.session.rollback()
        reason = type(getattr(error, "orig", None) or error).__name__
        return jsonify(
            status="error",
            database="unreachable",
            reason=reason,
            detail=database_problem(error),
        ), 503
    index = search_status()
    return jsonify(
        status="ok",
        database="ok",
        outbox_backlog=backlog,
        search_index=index["status"],
        search_documents=index["documents"],
    )
