"""JSON errors for the API: one shape, ``{"error": {"code", "message", "details"?}}``."""

from forum.api.services import TokenError
from forum.errors import json_error
from forum.moderation.errors import (
    AlreadyResolved,
    ModerationError,
    RateLimited,
    Rejected,
    Silenced,
)
from forum.moderation.flags import AlreadyFlagged, FlagError
from forum.threads.services import ContentError

BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


class ApiError(Exception):
    """An error the API reports to its client; raised from views, inputs and auth."""

    def __init__(self, status, message, code=None, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.details = details
        self.headers = headers or {}


def unauthorized(message, code="unauthorized"):
    return ApiError(401, message, code, headers=BEARER_CHALLENGE)


def validation_error(details, message="Some fields are not valid; see details."):
    return ApiError(422, message, "validation_error", details)


def refused(error):
    """A service's refusal as an API error: about a field → 422, about the state of things → 409;
    the spam layers' refusals have their own statuses and codes."""
    message = str(error)
    if isinstance(error, Silenced):
        return ApiError(403, message, "account_silenced")
    if isinstance(error, RateLimited):
        retry = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
        return ApiError(429, message, "rate_limited", headers=retry)
    if isinstance(error, Rejected):
        # The plain-words reason only: the verdict's rules and weights would coach a spammer.
        return ApiError(422, message, "post_rejected")
    # A ContentError may name several fields; other services' errors name one.
    if fields := getattr(error, "errors", None) or ({error.field: message} if error.field else {}):
        return validation_error(fields)
    return ApiError(409, message, "conflict")


def moderation_refused(error):
    """A moderation service's refusal: decided by someone else first or reported already → 409;
    a flag the service finds incomplete → 422; any other state that forbids the action → 409."""
    message = str(error)
    if isinstance(error, AlreadyResolved):
        return ApiError(409, message, "already_resolved")
    if isinstance(error, AlreadyFlagged):
        return ApiError(409, message, "already_flagged")
    if isinstance(error, FlagError):
        return ApiError(422, message, "validation_error")
    return ApiError(409, message, "conflict")


def api_error_response(error):
    response, status = json_error(error.status, error.message, error.code, error.details)
    response.headers.update(error.headers)
    return response, status


def register_handlers(bp):
    bp.app_errorhandler(ApiError)(api_error_response)

    @bp.errorhandler(ContentError)
    @bp.errorhandler(TokenError)
    def service_refused(error):
        return api_error_response(refused(error))

    @bp.errorhandler(ModerationError)
    def moderation_service_refused(error):
        return api_error_response(moderation_refused(error))
