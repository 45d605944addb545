from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from forum import outbox
from forum.extensions import db
from forum.search import backend as search

bp = Blueprint("health", __name__)


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
        return jsonify(status="error", database="unreachable", reason=reason), 503
    index = search.current().status()
    return jsonify(
        status="ok",
        database="ok",
        outbox_backlog=backlog,
        search_backend=search.current().name,
        search_index=index["status"],
        search_documents=index["documents"],
    )
