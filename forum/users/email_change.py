"""Confirming a new email address by mail, when the forum can send mail.

The link's token carries the account id, the new address and a fingerprint of the current
address, signed with SECRET_KEY (itsdangerous, salt ``email-change``) and timed: it is refused
after EMAIL_CHANGE_SECONDS and as soon as the address changes in any way, since the fingerprint
no longer matches. So it works once. No column holds the pending address: the token is enough.
"""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from forum.extensions import db
from forum.mail import compose
from forum.site import absolute
from forum.users.models import User
from forum.users.rules import EMAIL_MAX

SALT = "email-change"
EMAIL_CHANGE_SECONDS = 24 * 3600


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def fingerprint(user):
    return hashlib.sha256(user.email.lower().encode()).hexdigest()[:16]


def token_for(user, email):
    return _serializer().dumps({"u": user.id, "e": email, "f": fingerprint(user)})


def pending_change(token):
    """``(user, new address)`` for ``token``, or None: not ours, older than
    EMAIL_CHANGE_SECONDS, or made before the account's address last changed."""
    try:
        data = _serializer().loads(token, max_age=EMAIL_CHANGE_SECONDS)
    except (BadData, UnicodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    user_id, email, mark = data.get("u"), data.get("e"), data.get("f")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**31:
        return None
    if not isinstance(email, str) or len(email) > EMAIL_MAX or not isinstance(mark, str):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not hmac.compare_digest(fingerprint(user), mark):
        return None
    return user, email


def messages(user, email):
    """The confirmation link for the new address and the notice for the old one; not yet
    added to the session."""
    site = current_app.config.get("SITE_NAME", "the forum")
    link = absolute("users.confirm_email", token=token_for(user, email))
    hours = EMAIL_CHANGE_SECONDS // 3600
    confirm = compose.account_message(
        user, f"Confirm your new email address on {site}", "email_change", link=link, hours=hours
    )
    confirm.to_address = email
    notice = compose.account_message(
        user, f"Your email address on {site} is being changed", "email_change_notice", new=email
    )
    return confirm, notice
