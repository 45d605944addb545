"""Turning a template into a queued message: a plain-text and an HTML body and, for
notifications, the headers that let a mail client unsubscribe with one click (RFC 8058)."""

import logging

from flask import current_app, render_template

from forum.mail import unsubscribe
from forum.mail.models import MailMessage
from forum.site import absolute

log = logging.getLogger(__name__)
_said_disabled = False


def enabled():
    """Whether mail goes out at all: only with MAIL_SERVER set."""
    return bool(current_app.config.get("MAIL_SERVER"))


def log_if_disabled(app):
    """Say once per process that mail is off, so nobody waits for mail that never comes."""
    global _said_disabled
    if not app.config.get("MAIL_SERVER") and not _said_disabled:
        _said_disabled = True
        log.warning(
            "Mail is disabled: MAIL_SERVER is not set, so no notification email or digest is "
            "sent (in-app notifications work as usual). See docs/notifications.md."
        )


def message(user, subject, template, **context):
    """A notification MailMessage to ``user`` from ``mail/<template>.txt`` and ``.html``; not
    yet added to the session. HTML templates only mark ``|safe`` what forum/markup.py
    rendered."""
    link = unsubscribe.url_for_user(user)
    context.update(unsubscribe_url=link, settings_url=absolute("users.settings"))
    headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return _message(user, subject, template, headers, context)


def account_message(user, subject, template, **context):
    """A MailMessage about the account itself (a password reset link): sent whatever the
    notification setting says, so it carries no unsubscribe link or headers."""
    return _message(user, subject, template, {}, context)


def _message(user, subject, template, headers, context):
    context.update(user=user, site_name=current_app.config.get("SITE_NAME", "Community forum"))
    return MailMessage(
        user_id=user.id,
        to_address=user.email,
        subject=" ".join(subject.split())[:300],
        text_body=render_template(f"mail/{template}.txt", **context),
        html_body=render_template(f"mail/{template}.html", **context),
        headers=headers,
    )
