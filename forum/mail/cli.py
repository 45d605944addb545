"""`flask --app wsgi mail …`: the daily digest (for cron) and sending the queue now."""

import click
from flask.cli import AppGroup

from forum.extensions import db
from forum.mail.compose import enabled
from forum.mail.models import MailMessage

mail_cli = AppGroup("mail", help="Notification email: the daily digest and the mail queue.")


def _require_mail():
    if not enabled():
        raise click.ClickException("Mail is disabled: set MAIL_SERVER (see docs/notifications.md).")


@mail_cli.command("digest")
@click.option("--send/--no-send", default=True, show_default=True, help="Deliver them now too.")
def digest(send):
    """Queue today's digest for every account on the daily digest that has not had one."""
    from forum.notifications.digest import send_digests

    _require_mail()
    queued = send_digests()
    click.echo(f"Queued {queued} digest(s).")
    if send:
        _send_all()


@mail_cli.command("send")
def send():
    """Deliver every queued message that is due now (until the queue is empty or the server
    refuses)."""
    _require_mail()
    _send_all()


def _send_all():
    from forum.mail.sender import send_due

    total = 0
    while sent := send_due():
        total += sent
    waiting = db.session.scalar(
        db.select(db.func.count(MailMessage.id)).where(MailMessage.status == "queued")
    )
    click.echo(f"Sent {total} message(s); {waiting} wait in the queue.")
