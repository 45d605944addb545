"""Error pages in the site's look; JSON for clients that ask for JSON."""

import logging

from flask import g, jsonify, make_response, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DatabaseError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from forum.extensions import db, login_manager

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    401: ("Sign in needed", "You need to sign in (or, for the API, send a valid token)."),
    403: ("Not allowed", "You don't have permission to do that."),
    404: ("Page not found", "There is nothing here. It may have been moved or deleted."),
    405: ("Not allowed", "That action isn't available here."),
    409: ("Conflict", "That can't be done in the current state of things."),
    413: ("Too large", "What you sent is larger than the forum accepts."),
    415: ("Unsupported format", "What you sent is in a format the forum doesn't accept."),
    422: ("Not valid", "Some of what you sent is not valid."),
    429: ("Slow down", "Too many requests in a short time. Wait a minute and try again."),
    500: ("Something went wrong", "The error has been logged. Please try again in a moment."),
    503: (
        "Temporarily unavailable",
        "The forum can't reach its database right now. Please try again in a minute.",
    ),
}

# Machine-readable error codes for JSON clients; the API documents them.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def wants_json():
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def json_error(status, message, code=None, details=None):
    """The JSON error body every /api/ response uses: ``{"error": {"code", "message"}}``."""
    error = {"code": code or CODES.get(status, "error"), "message": message}
    if details:
        error["details"] = details
    return jsonify(error=error), status


# The database may be what failed: these pages leave out everything that reads it (the
# signed-in user, the notice count), so they render even when it is down.
WITHOUT_DATABASE = {500, 503}


def render_error(code, message=None):
    title, text = MESSAGES.get(code, (str(code), ""))
    if wants_json():
        return json_error(code, message or text)
    if code in WITHOUT_DATABASE and "_login_user" not in g:
        # Flask-Login's template context loads the user from the database unless it is known.
        g._login_user = login_manager.anonymous_user()
    page = render_template(
        "errors/error.html",
        code=code,
        title=title,
        message=message or text,
        offline=code in WITHOUT_DATABASE,
    )
    return page, code


def database_unavailable(error):
    """Whether a database error means the database cannot be used at all (unreachable,
    locked, read-only, a damaged file) rather than a bug in a query (an integrity or a
    programming error), which stays a 500."""
    return type(error) in (OperationalError, InterfaceError, DatabaseError)


def register(app):
    @app.errorhandler(HTTPException)
    def http_error(error):
        # A rate limit may say in its own words what was limited (error_message).
        limited = isinstance(error, RateLimitExceeded) and error.limit.error_message
        response = make_response(
            render_error(error.code or 500, error.description if limited else None)
        )
        # Keep what the exception says about itself: Allow on 405, WWW-Authenticate on 401.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            "This form had expired or came from another site. "
            "Go back, reload the page and submit it again.",
        )

    @app.errorhandler(DatabaseError)
    @app.errorhandler(InterfaceError)
    def database_down(error):
        db.session.rollback()
        if not database_unavailable(error):
            log.exception("database error")
            return render_error(InternalServerError.code)
        log.error("database unavailable: %s", error)
        return render_error(ServiceUnavailable.code)

    @app.errorhandler(Exception)
    def unexpected(error):
        db.session.rollback()
        log.exception("unhandled error")
        return render_error(InternalServerError.code)
