"""Bearer tokens: ``Authorization: Bearer <token>`` → ``g.api_user``. The session cookie is
never consulted, so API requests need no CSRF token and a browser session grants nothing."""

from functools import wraps

from flask import g, request

from forum.api.errors import ApiError, unauthorized
from forum.api.services import find_active_token


def resolve_token():
    """Look up the presented token once per request; returns it or None. A malformed or
    unknown token is remembered as a problem that ``authenticate`` reports."""
    if "api_token" in g:
        return g.api_token
    g.api_token, g.api_user, g.api_auth_problem = None, None, None
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        g.api_auth_problem = "Send the token as 'Authorization: Bearer <token>'."
        return None
    token = find_active_token(secret.strip())
    if token is None:
        g.api_auth_problem = "The token is not valid or has been revoked."
        return None
    g.api_token, g.api_user = token, token.user
    return token


def authenticate():
    """Refuse a bad token (401) and a suspended account (403) before any API view runs."""
    token = resolve_token()
    if g.api_auth_problem:
        raise unauthorized(g.api_auth_problem, "invalid_token")
    if token is not None and token.user.is_banned:
        raise ApiError(403, "This account has been suspended.", "account_suspended")


def forget_token(exc=None):
    # g belongs to the app context, which outlives the request when one was already pushed
    # (tests, CLI); the next request must look its own token up.
    for name in ("api_token", "api_user", "api_auth_problem"):
        g.pop(name, None)


def api_user():
    """The user the request's token belongs to, or None for an anonymous request."""
    return g.get("api_user")


def token_required(view):
    """Refuse anonymous requests with 401; the OpenAPI document marks the operation secured."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if api_user() is None:
            raise unauthorized("This needs an API token: send 'Authorization: Bearer <token>'.")
        return view(*args, **kwargs)

    wrapper.token_required = True
    return wrapper
