"""The JSON API under /api/v1: another door into the same rooms as the HTML views. Views
parse JSON, authorise with forum.permissions and call the same services."""

from flask import Blueprint

from forum.api.auth import authenticate, forget_token
from forum.api.errors import register_handlers
from forum.api.limits import limit_blueprint
from forum.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens only, never the session cookie: nothing to forge
bp.before_request(authenticate)
bp.teardown_request(forget_token)
register_handlers(bp)
limit_blueprint(bp)


def register(app):
    """Add the API, its OpenAPI document and its docs page to ``app``."""
    from forum.api import (  # noqa: F401  (each module adds its routes to bp)
        categories,
        docs,
        kb,
        moderation,
        notifications,
        posts,
        search,
        threads,
        tokens,
        users,
    )

    app.register_blueprint(bp)
    app.register_blueprint(docs.page_bp)
