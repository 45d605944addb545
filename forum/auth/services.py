"""Signing in, for the sign-in page and the API's token endpoint alike."""

from forum.auth import throttle
from forum.auth.throttle import Locked  # noqa: F401  (part of this module's interface)
from forum.extensions import db
from forum.users import services as users

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
