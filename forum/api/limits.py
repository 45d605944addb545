"""Rate limits for the API (Flask-Limiter; settings in config.py). A request with a valid token
counts against its token, any other against the client's address, so one busy integration
cannot starve the others and tokenless clients cannot rotate tokens to escape their limit."""

from flask import current_app
from flask_limiter.util import get_remote_address

from forum.api.auth import resolve_token
from forum.extensions import limiter

WRITES = ["POST", "PUT", "PATCH", "DELETE"]


def rate_key():
    token = resolve_token()
    return f"token:{token.id}" if token is not None else f"ip:{get_remote_address()}"


def limit_blueprint(bp):
    """Every API request shares API_RATE_LIMIT; writes also share API_WRITE_RATE_LIMIT."""
    limiter.shared_limit(
        lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=rate_key
    )(bp)
    limiter.shared_limit(
        lambda: current_app.config["API_WRITE_RATE_LIMIT"],
        scope="api-write",
        key_func=rate_key,
        methods=WRITES,
    )(bp)


# Creating tokens checks passwords, so it is limited per address like the login form.
token_creation_limit = limiter.limit(
    lambda: current_app.config["API_TOKEN_RATE_LIMIT"],
    key_func=get_remote_address,
    override_defaults=False,
)

# Searching costs more than reading one thread, so the search endpoints also share the search
# pages' limit (SEARCH_RATE_LIMIT), counted per token or address like every API limit.
search_limit = limiter.shared_limit(
    lambda: current_app.config["SEARCH_RATE_LIMIT"], scope="api-search", key_func=rate_key
)
