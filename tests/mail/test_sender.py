"""The sender job when the mail server fails: nothing waits on it but the mail itself."""

import socket
import time
from datetime import timedelta

import pytest

from forum import jobs, outbox
from forum.clock import utcnow
from forum.extensions import db
from forum.mail import sender
from forum.mail.models import MailMessage
from forum.notifications.digest import digest_job
from tests import factories
from tests.mail.conftest import deliver, free_port


def queued():
    return db.session.scalars(db.select(MailMessage).order_by(MailMessage.id)).all()


def test_a_dead_server_leaves_mail_queued_with_backoff_and_the_page_fast(
    app, client, auth, customer, other_customer, thread
):
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    auth.login(other_customer)
    started = time.monotonic()
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "Try again later."})
    assert response.status_code == 302
    assert time.monotonic() - started < 1.0, "the page never waits for the mail server"
    [message] = queued()
    assert (message.status, message.attempts, message.to_address) == (
        "queued",
        0,
        "carol@example.com",
    )
    now = utcnow()
    assert sender.send_due(now) == 0
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.next_attempt_at == now + timedelta(seconds=60)
    assert "Connection refused" in message.last_error or "ConnectionRefused" in message.last_error
    assert sender.send_due(now + timedelta(seconds=30)) == 0
    db.session.refresh(message)
    assert message.attempts == 1, "not retried before its time"
    later = now + timedelta(seconds=61)
    sender.send_due(later)
    db.session.refresh(message)
    assert message.attempts == 2
    assert message.next_attempt_at == later + timedelta(seconds=120), "the wait doubles"


def test_after_the_last_attempt_the_message_is_given_up_with_its_reason(
    app, customer, other_customer, thread
):
    app.config.update(MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=3)
    factories.make_reply(other_customer, thread, "Hello.")
    outbox.drain()
    now = utcnow()
    for _ in range(5):
        sender.send_due(now)
        now += timedelta(days=2)
    [message] = queued()
    assert (message.status, message.attempts, message.sent_at) == ("failed", 3, None)
    assert message.last_error


@pytest.fixture
def silent_server():
    """A server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    yield listener.getsockname()[1]
    listener.close()


def test_a_silent_server_times_out_and_the_mail_waits(
    app, customer, other_customer, thread, silent_server
):
    app.config.update(MAIL_PORT=silent_server, MAIL_TIMEOUT=0.5)
    factories.make_reply(other_customer, thread, "Hello.")
    outbox.drain()
    started = time.monotonic()
    assert sender.send_due() == 0
    assert time.monotonic() - started < 3
    [message] = queued()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "timed out" in message.last_error


def test_a_permanent_refusal_is_given_up_at_once(customer, other_customer, thread, inbox):
    inbox.refuse.add("carol@example.com")
    factories.make_reply(other_customer, thread, "Hello.")
    deliver()
    [message] = queued()
    assert (message.status, message.attempts) == ("failed", 1)
    assert "550" in message.last_error and inbox.messages == []


def test_the_sender_and_the_digest_are_background_jobs(customer, other_customer, thread, inbox):
    assert sender.send_due in jobs._jobs and digest_job in jobs._jobs
    factories.make_reply(other_customer, thread, "Hello.")
    outbox.drain()
    assert jobs.run_due() >= 1
    assert [m["To"] for m in inbox.messages] == ["carol@example.com"]
    assert queued()[0].status == "sent"
    assert jobs.run_due() == 0, "nothing is sent twice"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_sender_logs_in_when_a_username_is_set(app, customer, other_customer, thread):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from tests.mail.conftest import Inbox

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        logins.append((auth_data.login, ok))
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,  # the test server has no certificate; production uses TLS
    )
    controller.start()
    try:
        app.config.update(MAIL_PORT=controller.port, MAIL_USERNAME="forum", MAIL_PASSWORD="wrong")
        factories.make_reply(other_customer, thread, "Hello.")
        outbox.drain()
        assert sender.send_due() == 0
        assert "Authentication" in queued()[0].last_error
        app.config["MAIL_PASSWORD"] = "s3cret"
        assert sender.send_due(utcnow() + timedelta(minutes=5)) == 1
    finally:
        controller.stop()
    # smtplib tries each mechanism the server offers before it gives up on a password.
    assert logins[-1] == (b"forum", True) and not any(ok for _, ok in logins[:-1])
    assert [m["To"] for m in inbox.messages] == ["carol@example.com"]
