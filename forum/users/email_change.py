"""Changing the email address by mail, when the forum can send mail: a link to the new
address confirms the change, and a link in the notice to the old address undoes it.

Both tokens are signed with SECRET_KEY (itsdangerous) and timed, and both name the account's
``email_version``, which every request, cancel and restore raises; so a newer request retires
the links of the one before, and each link works once. No column holds the pending address:
the tokens are enough.

- The confirmation (salt ``email-change``, EMAIL_CHANGE_SECONDS) carries the new address and a
  fingerprint of the current address and the version: confirming changes the address, which
  retires it.
- The undo link (salt ``email-change-undo``, EMAIL_UNDO_SECONDS) carries the old and the new
  address and the version. Confirming leaves the version alone, so the link works both before
  the confirmation (it cancels the change) and after it (it restores the old address).
"""

import hashlib

from flask import current_app

from forum.mail import compose
from forum.site import absolute
from forum.users import links
from forum.users.rules import EMAIL_MAX

SALT = "email-change"
UNDO_SALT = "email-change-undo"
EMAIL_CHANGE_SECONDS = 24 * 3600
# A week: the owner of a taken-over account may read the old mailbox only now and then. Not
# longer: whoever reads an address the owner gave up can take the account back with the link.
EMAIL_UNDO_SECONDS = 7 * 24 * 3600


def undo_days():
    return EMAIL_UNDO_SECONDS // (24 * 3600)


def fingerprint(user):
    material = f"{user.email.lower()}\x00{user.email_version}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def version_mark(user):
    return str(user.email_version)


def token_for(user, email):
    return links.make(SALT, user, fingerprint(user), e=email)


def undo_token_for(user, email):
    """The link for ``user``'s current address that undoes its change to ``email``."""
    return links.make(UNDO_SALT, user, version_mark(user), o=user.email, e=email)


def pending_change(token):
    """``(user, new address)`` for ``token``, or None: not ours, older than
    EMAIL_CHANGE_SECONDS, or made before the account's address last changed or before a newer
    request or an undo."""
    found = links.read(SALT, token, EMAIL_CHANGE_SECONDS, fingerprint)
    if found is None or not found[0].is_active:
        return None
    user, data = found
    email = data.get("e")
    if not isinstance(email, str) or len(email) > EMAIL_MAX:
        return None
    return user, email


def pending_undo(token):
    """``(user, old address, new address)`` for ``token``, or None: not ours, older than
    EMAIL_UNDO_SECONDS, used, made before a newer request, or the account is banned, deleted
    or has neither address."""
    found = links.read(UNDO_SALT, token, EMAIL_UNDO_SECONDS, version_mark)
    if found is None or not found[0].is_active:
        return None
    user, data = found
    old, new = data.get("o"), data.get("e")
    if not all(isinstance(email, str) and len(email) <= EMAIL_MAX for email in (old, new)):
        return None
    if user.email not in (old, new):
        return None
    return user, old, new


def messages(user, email):
    """The confirmation link for the new address and the notice, with its undo link, for the
    old one; not yet added to the session."""
    site = current_app.config.get("SITE_NAME", "the forum")
    link = absolute("users.confirm_email", token=token_for(user, email))
    hours = EMAIL_CHANGE_SECONDS // 3600
    confirm = compose.account_message(
        user, f"Confirm your new email address on {site}", "email_change", link=link, hours=hours
    )
    confirm.to_address = email
    notice = compose.account_message(
        user,
        f"Your email address on {site} is being changed",
        "email_change_notice",
        new=email,
        undo_link=absolute("users.undo_email", token=undo_token_for(user, email)),
        days=undo_days(),
    )
    return confirm, notice
