"""API token actions, shared by the API, the settings page and the CLI. One commit each."""

import hashlib
import secrets
from datetime import timedelta

from forum.api.models import ApiToken
from forum.clock import utcnow
from forum.extensions import db

PREFIX = "fpat_"  # "forum personal access token": recognisable in logs and secret scanners
NAME_MAX = 60
TOKENS_MAX = 50
# Recording every use would turn each read into a write; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(ValueError):
    """A refused token change; ``field`` names the form field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def active_tokens(user):
    """The user's tokens that still work, newest first."""
    return db.session.scalars(
        db.select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())
    ).all()


def create_token(user, name=""):
    """Create a token for ``user``; returns ``(token, secret)``. The secret is not stored, so
    this is the only time anyone sees it. Refuses banned users, names over 60 characters and
    more than 50 active tokens per user."""
    # NUL bytes are dropped, as in titles: PostgreSQL refuses them in text columns.
    name = " ".join((name or "").replace("\x00", "").split()) or "API token"
    if len(name) > NAME_MAX:
        raise TokenError(f"Name must be at most {NAME_MAX} characters long.", "name")
    if user.is_banned:
        raise TokenError("Suspended accounts cannot create tokens.")
    if len(active_tokens(user)) >= TOKENS_MAX:
        raise TokenError(f"You already have {TOKENS_MAX} tokens; revoke one first.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_secret(secret))
    db.session.add(token)
    db.session.commit()
    return token, secret


def get_user_token(user, token_id):
    """The user's own active token with this id, or None (other people's tokens are None too)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or not token.is_active:
        return None
    return token


def revoke_token(token):
    """Revoke a token at once; requests that present it are refused from now on."""
    token.revoked_at = utcnow()
    db.session.commit()


def revoke_all_tokens(user):
    """Revoke every active token of ``user`` (the account was deleted or taken over); the
    caller commits."""
    db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def find_active_token(secret):
    """The active token whose secret this is, or None. Marks it used (to the minute)."""
    if not secret.startswith(PREFIX):
        return None
    token = db.session.scalar(
        db.select(ApiToken).where(
            ApiToken.token_hash == hash_secret(secret), ApiToken.revoked_at.is_(None)
        )
    )
    if token is not None:
        now = utcnow()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            token.last_used_at = now
            db.session.commit()
    return token
