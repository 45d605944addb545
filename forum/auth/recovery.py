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
import logging

from flask import current_app

from forum.extensions import db
from forum.mail import compose
from forum.site import absolute
from forum.users import links
from forum.users.models import User

log = logging.getLogger(__name__)
SALT = "password-reset"
TOPIC = "password.reset_requested"


def fingerprint(user):
    """A short hash of what using a link changes (the password hash) and of where links are
    sent (the email), so that changing either retires the links made before."""
    material = f"{user.password_hash}\x00{user.email.lower()}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def token_for(user):
    return links.make(SALT, user, fingerprint(user))


def url_for_user(user):
    return absolute("auth.reset", token=token_for(user))


def lifetime_minutes():
    return max(1, round(current_app.config["PASSWORD_RESET_SECONDS"] / 60))


def user_for(token):
    """The account ``token`` was made for, or None: not ours, older than
    PASSWORD_RESET_SECONDS, made before the password or email last changed, or for a deleted
    account."""
    found = links.read(SALT, token, current_app.config["PASSWORD_RESET_SECONDS"], fingerprint)
    if found is None or found[0].is_deleted:
        return None
    return found[0]


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
