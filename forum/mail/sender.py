"""The mail sender: a background job (forum.jobs) that delivers queued messages over SMTP.

It claims due messages first (one UPDATE, so two workers never take the same one), then talks
to the server outside any transaction, with a socket timeout. A message that fails waits
MAIL_RETRY_SECONDS, then twice as long after each further failure (at most a day), and after
MAIL_MAX_ATTEMPTS attempts, or at once on a permanent refusal (5xx), it is given up with the
reason in ``last_error``. A slow or dead server therefore delays mail, never a page.
"""

import logging
import smtplib
import ssl
import time
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from flask import current_app
from sqlalchemy import update

from forum.clock import utcnow
from forum.extensions import db
from forum.mail.compose import enabled
from forum.mail.models import MailMessage
from forum.site import host

log = logging.getLogger(__name__)
BATCH = 20
LEASE = timedelta(minutes=10)  # a worker that dies mid-send frees its messages after this
MAX_BACKOFF = timedelta(days=1)


def claim(now, limit=BATCH):
    """Take up to ``limit`` due messages for this run: each counts an attempt and is leased."""
    due = (
        db.select(MailMessage.id)
        .where(MailMessage.status == "queued", MailMessage.next_attempt_at <= now)
        .order_by(MailMessage.next_attempt_at, MailMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = db.session.scalars(
        update(MailMessage)
        .where(
            MailMessage.id.in_(due.scalar_subquery()),
            MailMessage.status == "queued",
            MailMessage.next_attempt_at <= now,
        )
        .values(attempts=MailMessage.attempts + 1, next_attempt_at=now + LEASE)
        .returning(MailMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    if not ids:
        return []
    return db.session.scalars(
        db.select(MailMessage).where(MailMessage.id.in_(ids)).order_by(MailMessage.id)
    ).all()


def sender_address():
    config = current_app.config
    address = config.get("MAIL_SENDER") or f"noreply@{host()}"
    return address if "<" in address else formataddr((config.get("SITE_NAME", ""), address))


# Long lines are allowed up to RFC 5322's 998 characters, so that the List-Unsubscribe URL
# stays one token instead of being encoded into words no mail client could open.
POLICY = policy.SMTP.clone(max_line_length=998)


def build(message):
    email = EmailMessage(policy=POLICY)
    email["From"] = sender_address()
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC), usegmt=True)
    email["Message-ID"] = make_msgid(f"mail{message.id}", domain=host())
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    return email


def connect():
    """An SMTP connection as configured; raises OSError or SMTPException."""
    config = current_app.config
    server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config.get("MAIL_USE_SSL"):
        connection = smtplib.SMTP_SSL(
            server, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = smtplib.SMTP(server, port, timeout=timeout)
        if config.get("MAIL_USE_TLS"):
            connection.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
    return connection


def permanent(error):
    """Whether the server refused for good (5xx), so retrying would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def failed(message, error, now, give_up=False):
    config = current_app.config
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    if give_up or message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        message.status = "failed"
        log.warning("mail %s to %s given up: %s", message.id, message.to_address, error)
        return
    wait = timedelta(seconds=config["MAIL_RETRY_SECONDS"]) * 2 ** (message.attempts - 1)
    message.next_attempt_at = now + min(wait, MAX_BACKOFF)


def send_due(now=None, limit=BATCH):
    """Job: deliver the messages whose time has come; returns how many were sent."""
    if not enabled():
        return 0
    now = now or utcnow()
    messages = claim(now, limit)
    if not messages:
        return 0
    try:
        connection = connect()
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail server unreachable (%s); %d message(s) wait", error, len(messages))
        for message in messages:
            failed(message, error, now)
        db.session.commit()
        return 0
    return _send(connection, messages, now)


def _send(connection, messages, now):
    sent, deadline = 0, time.monotonic() + 3 * current_app.config["MAIL_TIMEOUT"] + 5
    try:
        for index, message in enumerate(messages):
            if time.monotonic() > deadline:  # a crawling server: leave the rest for later
                _release(messages[index:], now)
                break
            try:
                connection.send_message(build(message))
            except smtplib.SMTPResponseException as error:  # refused: this message only
                failed(message, error, now, give_up=permanent(error))
            except smtplib.SMTPRecipientsRefused as error:
                failed(message, error, now, give_up=permanent(error))
            except OSError as error:  # the connection is gone (SMTPException is an OSError)
                for rest in messages[index:]:
                    failed(rest, error, now)
                break
            else:
                message.status, message.sent_at, message.last_error = "sent", utcnow(), None
                sent += 1
            db.session.commit()  # each outcome at once: a crash never resends what went out
    finally:
        db.session.commit()
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    return sent


def _release(messages, now):
    for message in messages:
        message.attempts -= 1
        message.next_attempt_at = now
