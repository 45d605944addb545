"""Notification email through a real SMTP server: what arrives, for whom, and when not."""

import re

from forum.extensions import db
from forum.mail.models import MailMessage
from forum.mail.unsubscribe import user_for
from forum.notifications import services
from forum.notifications.models import Notification
from tests import factories
from tests.mail.conftest import bodies, deliver


def test_a_reply_is_mailed_to_the_asker_with_a_link_and_one_click_unsubscribe(
    client, auth, customer, other_customer, thread, inbox
):
    auth.login(other_customer)
    client.post(
        f"/threads/{thread.id}/reply",
        data={"body": "Pause sync, then **resume** it. <script>alert(1)</script>"},
    )
    assert deliver() == 1
    [envelope], [message] = inbox.envelopes, inbox.messages
    assert envelope.rcpt_tos == ["carol@example.com"]
    assert message["To"] == "carol@example.com"
    assert message["From"] == "Community forum <community@forum.test>"
    assert message["Subject"] == f"oscar replied to “{thread.title}”"
    assert message["Auto-Submitted"] == "auto-generated"
    reply_id = db.session.scalar(db.select(db.func.max(Notification.post_id)))
    plain, html = bodies(message)
    assert f"http://forum.test/posts/{reply_id}" in plain
    assert "Pause sync, then resume it." in plain
    assert f'<a href="http://forum.test/posts/{reply_id}">' in html
    assert "<strong>resume</strong>" in html and "<script>" not in html
    unsubscribe = re.fullmatch(
        r"<(http://forum\.test/mail/unsubscribe/\S+)>", message["List-Unsubscribe"]
    ).group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in plain and unsubscribe in html
    assert user_for(unsubscribe.rsplit("/", 1)[1]).id == customer.id
    sent = db.session.scalar(db.select(MailMessage))
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert sent.sent_at is not None


def test_further_replies_wait_until_the_notification_is_read(
    customer, other_customer, staff, thread, inbox
):
    factories.make_reply(other_customer, thread, "First.")
    factories.make_reply(staff, thread, "Second.")
    deliver()
    to_carol = [m for m in inbox.messages if m["To"] == "carol@example.com"]
    assert len(to_carol) == 1, "one email per thread until the line is read"
    services.mark_all_read(customer)
    factories.make_reply(staff, thread, "Third.")
    deliver()
    to_carol = [m for m in inbox.messages if m["To"] == "carol@example.com"]
    assert [m["Subject"] for m in to_carol] == [
        f"oscar replied to “{thread.title}”",
        f"stacy (support team) replied to “{thread.title}”",
    ]
    # Oscar replied first, so he follows the thread: stacy's first reply mailed him.
    to_oscar = [m["Subject"] for m in inbox.messages if m["To"] == "oscar@example.com"]
    assert to_oscar == [f"stacy (support team) replied to “{thread.title}”"]


def test_never_means_no_mail_at_all(customer, other_customer, thread, inbox):
    services.set_email_preference(customer, "never")
    factories.make_reply(other_customer, thread, "Hello.")
    assert deliver() == 0
    assert inbox.messages == []
    assert db.session.scalar(db.select(db.func.count(MailMessage.id))) == 0
    assert services.unread_count(customer) == 1, "the bell still rings"


def test_the_daily_digest_choice_gets_no_immediate_mail(customer, other_customer, thread, inbox):
    services.set_email_preference(customer, "daily")
    factories.make_reply(other_customer, thread, "Hello.")
    assert deliver() == 0 and inbox.messages == []


def test_moderation_decisions_on_a_post_are_mailed_to_its_author(
    newcomer, moderator, thread, inbox
):
    from forum.moderation import services as moderation

    held = factories.make_held_reply(newcomer, thread)
    deliver()
    moderation.approve(moderator, held)
    deliver()
    to_newton = [m for m in inbox.messages if m["To"] == "newton@example.com"]
    assert [m["Subject"] for m in to_newton] == [
        "Your post is waiting for review",
        "Your post was approved",
    ]
    plain, _ = bodies(to_newton[1])
    assert f"Your post in “{thread.title}” was approved and is now public." in plain
    # Once public, the reply reaches the asker too.
    assert [m["To"] for m in inbox.messages].count("carol@example.com") == 1


def test_without_mail_server_nothing_is_queued(app, customer, other_customer, thread, inbox):
    app.config["MAIL_SERVER"] = ""
    factories.make_reply(other_customer, thread, "Hello.")
    assert deliver() == 0
    assert db.session.scalar(db.select(db.func.count(MailMessage.id))) == 0
    assert services.unread_count(customer) == 1


def test_mail_disabled_is_said_once_in_the_log(app, caplog, monkeypatch):
    from forum.mail import compose

    monkeypatch.setattr(compose, "_said_disabled", False)
    app.config["MAIL_SERVER"] = ""
    compose.log_if_disabled(app)
    compose.log_if_disabled(app)
    said = [r.getMessage() for r in caplog.records if "Mail is disabled" in r.getMessage()]
    assert len(said) == 1 and "MAIL_SERVER is not set" in said[0]
