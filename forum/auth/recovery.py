"""Password reset links and the mail that carries them.

A link's token is the account's id and a fingerprint of its password hash and email address,
signed with SECRET_KEY (itsdangerous, salt ``password-reset``) and timed: it is refused after
PASSWORD_RESET_SECONDS, and as soon as the password or the email changes, since the
fingerprint no longer matches. Using the link changes the password, so every link works once.

Asking for a link writes an outbox event whether or not an account matched (the answer and the
time it takes are the same); this module's consumer queues the mail for the sender job, only
when mail is on (MAIL_SERVER) and SITE_URL says where the link must point. Without SITE_URL
the courier and the worker have no request to take the host from, and a link to the wrong
host would be worse than none.
"""

import hashlib
import hmac
import logging

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from forum.extensions import db
from forum.mail import compose
from forum.site import absolute
from forum.users.models import User

log = logging.getLogger(__name__)
SALT = "password-reset"
TOPIC = "password.reset_requested"


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def fingerprint(user):
    """A short hash of what using a link changes (the password hash) and of where links are
    sent (the email), so that changing either retires the links made before."""
    material = f"{user.password_hash}\x00{user.email.lower()}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def token_for(user):
    return _serializer().dumps({"u": user.id, "f": fingerprint(user)})


def url_for_user(user):
    return absolute("auth.reset", token=token_for(user))


def lifetime_minutes():
    return max(1, round(current_app.config["PASSWORD_RESET_SECONDS"] / 60))


def user_for(token):
    """The account ``token`` was made for, or None: not ours, older than
    PASSWORD_RESET_SECONDS, made before the password or email last changed, or for a deleted
    account."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_SECONDS"])
    except (BadData, UnicodeError, ValueError):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    mark = data.get("f") if isinstance(data, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**31:
        return None
    if not isinstance(mark, str):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.is_deleted or not hmac.compare_digest(fingerprint(user), mark):
        return None
    return user


def mail_enabled():
    """Whether reset links can be mailed: mail is on and SITE_URL names the site."""
    return compose.enabled() and bool(current_app.config.get("SITE_URL"))


def apply_events(events):
    """Outbox consumer: queue a reset mail for every account asked for that can receive one
    (not banned, with a real address). Writes to the session only."""
    ids = {
        event.payload.get("user_id")
        for event in events
        if event.topic == TOPIC and isinstance(event.payload, dict)
    }
    ids = {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}
    if not ids:
        return
    if not mail_enabled():
        log.warning("password reset asked for, but MAIL_SERVER or SITE_URL is not set: no mail")
        return
    for user in db.session.scalars(db.select(User).where(User.id.in_(ids))):
        if user.is_banned or not user.email or user.email.endswith(".invalid"):
            continue  # .invalid: imported placeholder accounts (RFC 2606)
        db.session.add(
            compose.account_message(
                user,
                f"Reset your password on {current_app.config.get('SITE_NAME', 'the forum')}",
                "password_reset",
                link=url_for_user(user),
                minutes=lifetime_minutes(),
                forgot_url=absolute("auth.forgot"),
            )
        )
