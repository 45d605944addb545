"""The daily digest: for each account that chose "daily", one message with its unread
notifications of the past day. Sent once per UTC day, at the first run after MAIL_DIGEST_HOUR
(the job) or whenever ``flask mail digest`` runs (cron)."""

import time as clock
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import or_
from sqlalchemy.orm import joinedload, selectinload

from forum.clock import utcnow
from forum.extensions import db
from forum.mail.compose import enabled
from forum.notifications import emails
from forum.notifications.models import Notification
from forum.notifications.services import readable, with_content
from forum.users.models import User

CHECK_EVERY = 300  # seconds between the job's checks in one process
_next_check = 0.0


def due_users(now):
    """Accounts on the daily digest that have had none yet today (UTC)."""
    today = datetime.combine(now.date(), time())
    return db.session.scalars(
        db.select(User).where(
            User.email_notifications == "daily",
            User.is_banned.is_(False),
            or_(User.digest_sent_at.is_(None), User.digest_sent_at < today),
        )
    ).all()


def unread_since(users, since, now):
    """``{user_id: [notifications]}``, newest first, updated after ``since[user_id]``."""
    team = [user.id for user in users if user.is_team]
    rows = db.session.scalars(
        with_content(db.select(Notification))
        .where(
            Notification.user_id.in_([user.id for user in users]),
            Notification.read_at.is_(None),
            Notification.updated_at > min(since.values()),
            Notification.updated_at <= now,
            or_(Notification.user_id.in_(team), readable()),
        )
        .order_by(Notification.updated_at.desc(), Notification.id.desc())
        .options(
            selectinload(Notification.thread),
            selectinload(Notification.post),
            joinedload(Notification.actor),
            joinedload(Notification.category),
        )
    ).unique()
    found = {}
    for row in rows:
        if row.updated_at > since[row.user_id]:
            found.setdefault(row.user_id, []).append(row)
    return found


def send_digests(now=None):
    """Queue today's digest for every account due one; returns how many were queued. An
    account with nothing new gets no message but counts as done for today."""
    if not enabled():
        return 0
    now = now or utcnow()
    users = due_users(now)
    if not users:
        return 0
    since = {user.id: user.digest_sent_at or now - timedelta(days=1) for user in users}
    found = unread_since(users, since, now)
    for user in users:
        if found.get(user.id) and user.email:
            db.session.add(emails.digest(user, found[user.id]))
        user.digest_sent_at = now
    db.session.commit()
    return sum(1 for user in users if found.get(user.id) and user.email)


def digest_job():
    """Background job: digests are due once MAIL_DIGEST_HOUR (UTC) has come; checked every
    few minutes at most."""
    global _next_check
    if not enabled() or clock.monotonic() < _next_check:
        return 0
    _next_check = clock.monotonic() + CHECK_EVERY
    if utcnow().hour < current_app.config["MAIL_DIGEST_HOUR"]:
        return 0
    return send_digests()
