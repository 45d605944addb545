"""Sign-in throttling: a growing lockout per account and per address, shared through the database.

After LOGIN_LOCKOUT_FAILURES failed sign-ins to one account (whether its username or its email
was typed; for a name no account has, per name typed, so that a lockout says nothing about
whether an account exists), the account is locked for LOGIN_LOCKOUT_SECONDS, and each further
lockout doubles that, up to LOGIN_LOCKOUT_MAX_SECONDS. An address is locked the same way after
LOGIN_LOCKOUT_IP_FAILURES failures, whichever accounts they were for. While locked, the password
is not checked at all, so guessing on stops counting for nothing.

A successful sign-in clears its account's count but not its address's: otherwise an attacker
could reset the count of their guesses at other accounts by signing in to their own. A day
without failures forgets a key; rows older than that are deleted as new failures come in.

The counts live in the database rather than in a worker's memory, so every worker and every
host of the forum sees the same ones.
"""

import hashlib
import math
from datetime import timedelta

from flask import current_app, request
from sqlalchemy.exc import IntegrityError

from forum.auth.models import LoginThrottle
from forum.clock import utcnow
from forum.extensions import db

FORGET_AFTER = timedelta(hours=24)


class Locked(Exception):
    """Sign-in refused without a password check; ``retry_after`` is in whole seconds."""

    def __init__(self, retry_after):
        super().__init__(f"locked for {retry_after} s")
        self.retry_after = retry_after


def keys_for(login, user):
    """``[(key, kind)]`` that an attempt to sign in as ``login`` counts against."""
    if user is not None:
        account = f"account:{user.id}"
    else:
        typed = " ".join((login or "").split()).casefold()
        account = "name:" + hashlib.sha256(typed.encode("utf-8", "replace")).hexdigest()
    return [(account, "account"), (f"ip:{request.remote_addr or 'unknown'}"[:80], "ip")]


def _threshold(kind):
    config = current_app.config
    return config["LOGIN_LOCKOUT_FAILURES" if kind == "account" else "LOGIN_LOCKOUT_IP_FAILURES"]


def lockout_duration(lockouts):
    """How long the ``lockouts``-th lockout in a row lasts: doubling, up to the maximum."""
    config = current_app.config
    base, most = config["LOGIN_LOCKOUT_SECONDS"], config["LOGIN_LOCKOUT_MAX_SECONDS"]
    return timedelta(seconds=min(base * 2 ** min(lockouts - 1, 32), most))


def check(keys):
    """Raise Locked while any of ``keys`` is locked."""
    now = utcnow()
    until = db.session.scalar(
        db.select(db.func.max(LoginThrottle.locked_until)).where(
            LoginThrottle.key.in_([key for key, _ in keys]), LoginThrottle.locked_until > now
        )
    )
    if until is not None:
        raise Locked(max(1, math.ceil((until - now).total_seconds())))


def failed(keys):
    """Count a failed sign-in against each of ``keys``, locking those that reach their
    threshold; commits."""
    for attempt in range(2):
        try:
            _count_failure(keys)
            db.session.commit()
            return
        except IntegrityError:  # another worker inserted the same key first: count again
            db.session.rollback()
            if attempt:
                raise


def _count_failure(keys):
    now = utcnow()
    db.session.execute(
        db.delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < now - FORGET_AFTER,
            db.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
        )
    )
    for key, kind in keys:
        threshold = _threshold(kind)
        if threshold <= 0:
            continue
        row = db.session.scalar(
            db.select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
        )
        if row is None:
            row = LoginThrottle(key=key, failures=0, lockouts=0)
            db.session.add(row)
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= threshold:
            row.lockouts += 1
            row.failures = 0
            row.locked_until = now + lockout_duration(row.lockouts)
        db.session.flush()


def succeeded(keys):
    """Forget the failures of the account signed in to (not of the address); the caller
    commits."""
    accounts = [key for key, kind in keys if kind == "account"]
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.key.in_(accounts)))


def forget_account(user):
    """Forget the failed sign-ins counted against ``user``'s account, e.g. once its password
    has been reset; the caller commits."""
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.key == f"account:{user.id}"))
