"""Signing in, for the sign-in page and the API's token endpoint alike, and asking for a
password reset link."""

from forum import outbox
from forum.auth import recovery, throttle
from forum.auth.throttle import Locked  # noqa: F401  (part of this module's interface)
from forum.extensions import db
from forum.users import services as users
from forum.users.rules import EMAIL_MAX

# One message for a wrong password, an unknown name and a lockout, so that none of them tells
# an attacker whether an account exists.
FAILED = "Invalid username or password. After repeated failures, signing in pauses for a while."


def authenticate(login, password):
    """The user for these credentials, or None; never says which part was wrong.

    Raises Locked, without checking the password, while the account (or the name typed, when
    no account has it) or the client's address is locked after repeated failures. A success
    clears the account's failures and rehashes a password stored with an older method."""
    user = users.find_by_login(login or "")
    keys = throttle.keys_for(login, user)
    throttle.check(keys)
    if not users.password_matches(user, password or ""):
        throttle.failed(keys)
        return None
    throttle.succeeded(keys)
    users.upgrade_password_hash(user, password)
    db.session.commit()
    return user


def request_password_reset(login):
    """Ask for a reset link for the account whose username or email is ``login``. The same
    event is written whether or not one matches (its ``user_id`` is then None), so neither the
    answer nor its timing says which; the outbox consumer (forum/auth/recovery.py) mails the
    link. Nothing at all when reset links cannot be mailed."""
    if not recovery.mail_enabled():
        return
    login = (login or "").strip()
    user = users.find_by_login(login) if len(login) <= EMAIL_MAX else None
    outbox.emit(recovery.TOPIC, user_id=user.id if user else None)
    db.session.commit()
