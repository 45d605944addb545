"""Account actions. Each function commits once and refuses invalid input with ValueError."""

import secrets
from functools import cache

from flask import current_app
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from forum.api.services import revoke_all_tokens
from forum.auth import recovery, throttle
from forum.extensions import db
from forum.moderation.models import record
from forum.users import email_change
from forum.users.confusables import confusable_key
from forum.users.models import ROLES, User, new_session_token
from forum.users.rules import (
    email_problem,
    normalized_email,
    normalized_username,
    password_problem,
    username_key,
    username_problem,
)

TAKEN_SINCE = (
    "Another account has had the address {} since, so it cannot be put back. "
    "Please contact the support team."
)


class AccountError(ValueError):
    """A refused account change; ``field`` names the form field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def find_by_login(login):
    """The user whose username or email is ``login`` (case-insensitive), or None."""
    login = login.strip()
    if "\x00" in login:  # in no username or email, and PostgreSQL refuses it in a query
        return None
    return db.session.scalar(
        db.select(User).where(
            or_(User.username_key == username_key(login), func.lower(User.email) == login.lower())
        )
    )


def get_by_username(username):
    return db.session.scalar(db.select(User).where(User.username_key == username_key(username)))


def looks_taken(username):
    """Whether an existing username looks like ``username`` (same skeleton, any case)."""
    key = confusable_key(username)
    return db.session.scalar(db.select(User.id).where(User.username_skeleton == key)) is not None


def email_in_use(email):
    return db.session.scalar(db.select(User.id).where(func.lower(User.email) == email.lower()))


def new_username_problem(username, allow_reserved=False):
    """Why no new account may be called ``username``, or None: it breaks a rule, is taken,
    or looks like a taken name."""
    if problem := username_problem(username, allow_reserved):
        return problem
    if get_by_username(username):
        return "That username is already taken."
    if looks_taken(username):
        return "That username looks too much like an existing one; please choose another."
    return None


def new_email_problem(email, user=None):
    """Why ``email`` cannot become the address of ``user`` (None: of a new account), or None:
    it is not an address, is already theirs, or another account has it, whatever the case."""
    if problem := email_problem(email):
        return problem
    if user is not None and normalized_email(email) == user.email.lower():
        return "That is already your email address."
    if email_in_use(normalized_email(email)):
        return "An account with that email address already exists."
    return None


def create_user(username, email, password, role="customer", allow_reserved=False):
    """Create an account; refuses taken, look-alike or invalid usernames, taken or invalid
    emails and weak passwords. Reserved names (admin, support, ...) are refused unless an
    operator asks for them."""
    username, email = normalized_username(username), normalized_email(email)
    if problem := new_username_problem(username, allow_reserved):
        raise AccountError(problem, "username")
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.", "role")
    if problem := new_email_problem(email):
        raise AccountError(problem, "email")
    if problem := password_problem(password, username, email):
        raise AccountError(problem, "password")
    user = User(
        username=username,
        username_key=username_key(username),
        username_skeleton=confusable_key(username)[:120],
        email=email,
        role=role,
    )
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # Another registration took the name or the address since the checks above.
        db.session.rollback()
        if get_by_username(username):
            raise AccountError("That username is already taken.", "username") from None
        raise AccountError("An account with that email address already exists.", "email") from None
    return user


def password_matches(user, password):
    """Whether ``password`` is ``user``'s. For no user, a hash is checked all the same, so that
    the time taken does not tell whether an account exists."""
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return user.check_password(password)


@cache
def _dummy_hash(method):
    return generate_password_hash(secrets.token_hex(16), method=method)


def upgrade_password_hash(user, password):
    """Rehash ``password`` (known to be right) when it was stored with another method than
    PASSWORD_HASH_METHOD, e.g. before a change of method or of its cost; the caller commits."""
    wanted = _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]).split("$", 1)[0]
    if user.password_hash.split("$", 1)[0] != wanted:
        user.set_password(password)


def change_password(user, current, new):
    """Set a new password and rotate the session token, logging out every other session.
    Refuses a wrong current password, a weak new one and a new one equal to the current."""
    if not user.check_password(current):
        raise AccountError("Your current password is not correct.", "current")
    if new == current:
        raise AccountError(
            "Your new password is the same as your current one; choose a different one.",
            "password",
        )
    if problem := password_problem(new, user.username, user.email):
        raise AccountError(problem, "password")
    user.set_password(new)
    user.session_token = new_session_token()
    db.session.commit()


def reset_password(user, password):
    """Set ``user``'s password from a reset link: every session is signed out (the session
    token rotates), the link and any other outstanding one stop working (their fingerprint
    names the old password hash), the account's failed sign-ins are forgotten, and the audit
    log records it. Refuses suspended accounts and weak passwords."""
    if user.is_banned:
        raise AccountError("This account has been suspended.")
    if user.is_deleted:
        raise AccountError("This account was deleted.")
    if problem := password_problem(password, user.username, user.email):
        raise AccountError(problem, "password")
    user.set_password(password)
    user.session_token = new_session_token()
    throttle.forget_account(user)
    record(user, "password_reset", user)
    db.session.commit()


def reset_link(actor, user):
    """A password reset link for ``user``, made by an admin for a customer the forum cannot
    mail; recorded in the audit log (without the link). Refuses suspended and deleted
    accounts."""
    if user.is_banned:
        raise AccountError(f"{user.username}'s account is suspended; a reset link would not work.")
    if user.is_deleted:
        raise AccountError(f"{user.username} was deleted by its owner; it cannot be signed in to.")
    link = recovery.url_for_user(user)
    record(actor, "reset_link", user)
    db.session.commit()
    return link


def _check_email_change(user, password, email):
    if not user.check_password(password):
        raise AccountError("Your current password is not correct.", "password")
    if problem := new_email_problem(email, user):
        raise AccountError(problem, "email")


def change_email(user, password, email):
    """Give ``user`` a new email address at once (when the forum cannot mail a confirmation).
    Refuses a wrong current password and any address registration would refuse (not an
    address, already theirs, another account's)."""
    _check_email_change(user, password, email)
    user.email_version += 1
    confirm_email_change(user, email)


def request_email_change(user, password, email):
    """Queue a confirmation link to the new address and a notice, with a link that undoes
    the change, to the current one; the address changes only when the confirmation link is
    used. The links of an earlier request stop working. Refuses what ``change_email``
    refuses."""
    _check_email_change(user, password, email)
    user.email_version += 1
    db.session.add_all(email_change.messages(user, normalized_email(email)))
    record(user, "request_email_change", user)
    db.session.commit()


def confirm_email_change(user, email):
    """Make ``email`` the address of ``user``, checking again that no account has it. Reset
    links and email change links made before stop working: their fingerprint names the old
    address."""
    if problem := new_email_problem(email, user):
        raise AccountError(problem, "email")
    user.email = normalized_email(email)
    record(user, "change_email", user)  # the addresses stay out: moderators read the log
    try:
        db.session.commit()
    except IntegrityError:  # another account took the address since the check
        db.session.rollback()
        raise AccountError("An account with that email address already exists.", "email") from None


def undo_email_change(user, old, new):
    """From the link in the notice to the old address: cancel the change to ``new`` while it
    waits for confirmation or, once it was made, put ``old`` back and end every session and
    API token of the account (whoever made the change knew the password). Either way the
    change's links stop working. Returns whether the address was restored. Refuses when
    another account has taken ``old`` since."""
    restore = user.email == new
    if restore and email_in_use(old):
        raise AccountError(TAKEN_SINCE.format(old))
    user.email_version += 1
    if restore:
        user.email = old
        user.session_token = new_session_token()
        revoke_all_tokens(user)
    record(user, "restore_email" if restore else "cancel_email_change", user)
    try:
        db.session.commit()
    except IntegrityError:  # another account took the address since the check
        db.session.rollback()
        raise AccountError(TAKEN_SINCE.format(old)) from None
    return restore


def end_all_sessions(user):
    """Sign ``user`` out of every browser, this one included: rotating the session token makes
    every session cookie and "keep me signed in" cookie issued before refer to a stale token.
    API tokens are separate and stay valid."""
    user.session_token = new_session_token()
    db.session.commit()


def set_role(actor, user, role):
    """Change a user's role; refuses unknown roles and an admin demoting themself."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}.", "role")
    if actor is not None and actor.id == user.id and role != "admin":
        raise AccountError("You cannot remove your own admin role.", "role")
    before = user.role
    user.role = role
    record(actor, "set_role", user, before={"role": before}, after={"role": role})
    db.session.commit()
