"""Confirming a new email address by mail, when the forum can send mail.

The link's token carries the account id, the new address and a fingerprint of the current
address and of the account's ``email_version``, signed with SECRET_KEY (itsdangerous, salt
``email-change``) and timed: it is refused after EMAIL_CHANGE_SECONDS, as soon as the address
changes in any way and once a newer change is asked for (each request raises the version), since
the fingerprint no longer matches. So it works once. No column holds the pending address: the
token is enough.
"""

import hashlib

from flask import current_app

from forum.mail import compose
from forum.site import absolute
from forum.users import links
from forum.users.rules import EMAIL_MAX

SALT = "email-change"
EMAIL_CHANGE_SECONDS = 24 * 3600


def fingerprint(user):
    material = f"{user.email.lower()}\x00{user.email_version}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def token_for(user, email):
    return links.make(SALT, user, fingerprint(user), e=email)


def pending_change(token):
    """``(user, new address)`` for ``token``, or None: not ours, older than
    EMAIL_CHANGE_SECONDS, or made before the account's address last changed or before a newer
    request."""
    found = links.read(SALT, token, EMAIL_CHANGE_SECONDS, fingerprint)
    if found is None or not found[0].is_active:
        return None
    user, data = found
    email = data.get("e")
    if not isinstance(email, str) or len(email) > EMAIL_MAX:
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
