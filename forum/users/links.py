"""Signed, timed links that act for one account (password reset, email change).

A token holds the account's id and a fingerprint of what using the link changes, plus whatever
its purpose carries, signed with SECRET_KEY under the purpose's salt. Reading it checks the
signature, the age and that the fingerprint still matches the account, so a link stops working
once it has been used or the account changed under it.
"""

import hmac

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from forum.extensions import db
from forum.users.models import User


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make(salt, user, mark, **extra):
    return _serializer(salt).dumps({"u": user.id, "f": mark, **extra})


def read(salt, token, max_age, fingerprint):
    """``(user, payload)`` for a token made under ``salt`` at most ``max_age`` seconds ago
    whose mark still equals ``fingerprint(user)``, or None."""
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except (BadData, UnicodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    user_id, mark = data.get("u"), data.get("f")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**31:
        return None
    if not isinstance(mark, str):
        return None
    user = db.session.get(User, user_id)
    if user is None or not hmac.compare_digest(fingerprint(user), mark):
        return None
    return user, data
