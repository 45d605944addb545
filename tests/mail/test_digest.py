"""The daily digest: one message a day with what is new, for those who chose it."""

from datetime import timedelta

from forum.clock import utcnow
from forum.extensions import db
from forum.notifications import services
from forum.notifications.digest import send_digests
from tests import factories
from tests.mail.conftest import bodies, deliver


def test_a_days_notifications_arrive_in_one_digest(
    customer, other_customer, staff, category, thread, inbox
):
    services.set_email_preference(customer, "daily")
    second = factories.make_thread(customer, category, "Where is the restore button?")
    factories.make_reply(other_customer, thread, "One.")
    factories.make_reply(staff, thread, "Two.")
    factories.make_reply(staff, second, "Top right.")
    deliver()
    to_carol = [m for m in inbox.messages if m["To"] == "carol@example.com"]
    assert to_carol == [], "nothing until the digest"
    now = utcnow()
    assert send_digests(now) == 1
    deliver()
    [message] = [m for m in inbox.messages if m["To"] == "carol@example.com"]
    assert message["To"] == "carol@example.com"
    assert message["Subject"] == "2 new notifications in the last day"
    plain, html = bodies(message)
    assert f"2 new replies in “{thread.title}”, the latest from stacy." in plain
    assert "stacy from the support team replied to “Where is the restore button?”." in plain
    assert "http://forum.test/posts/" in plain and "http://forum.test/notifications" in plain
    assert '<li><a href="http://forum.test/posts/' in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # An hour later, but on the same UTC day (the test may run just before midnight).
    later = min(now + timedelta(hours=1), now.replace(hour=23, minute=59, second=59))
    assert send_digests(max(later, now)) == 0, "one digest a day"
    db.session.refresh(customer)
    assert customer.digest_sent_at == now


def test_the_next_digest_has_only_what_is_new_and_unread(
    customer, other_customer, thread, category, inbox
):
    services.set_email_preference(customer, "daily")
    factories.make_reply(other_customer, thread, "One.")
    deliver()
    first = utcnow()
    assert send_digests(first) == 1
    services.mark_all_read(customer)
    later = factories.make_thread(customer, category, "A second question")
    factories.make_reply(other_customer, later, "Two.")
    deliver()
    assert send_digests(utcnow() + timedelta(days=1)) == 1
    deliver()
    assert len(inbox.messages) == 2
    plain, _ = bodies(inbox.messages[-1])
    assert "A second question" in plain and thread.title not in plain


def test_nothing_new_means_no_digest(customer, inbox):
    services.set_email_preference(customer, "daily")
    assert send_digests(utcnow()) == 0
    deliver()
    assert inbox.messages == []


def test_the_digest_command_queues_and_sends(runner, customer, other_customer, thread, inbox):
    services.set_email_preference(customer, "daily")
    factories.make_reply(other_customer, thread, "One.")
    deliver()
    result = runner.invoke(args=["mail", "digest"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 digest(s)." in result.output and "Sent 1 message(s)" in result.output
    assert [m["To"] for m in inbox.messages] == ["carol@example.com"]
    result = runner.invoke(args=["mail", "digest"])
    assert "Queued 0 digest(s)." in result.output


def test_the_commands_refuse_without_a_mail_server(app, runner):
    app.config["MAIL_SERVER"] = ""
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code != 0 and "Mail is disabled" in result.output
