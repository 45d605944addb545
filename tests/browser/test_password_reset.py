"""Journey: a member who forgot their password asks for a link, finds it in the mail, chooses
a new password (after a first try the rules refuse), is signed in, and later signs in with it;
the link then no longer works."""

import re

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from forum.extensions import db
from forum.mail import sender
from tests.browser.steps import register, sign_in, unique
from tests.mail.conftest import Inbox, bodies, free_port

NEW_PASSWORD = "remembered this time"


@pytest.fixture
def mailbox(live_app, live_server):
    """An SMTP server that keeps what it receives, with the live forum mailing to it and
    making links to the live server; the settings are put back afterwards."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_TIMEOUT": 2.0,
        "MAIL_SENDER": "community@forum.test",
        "SITE_URL": live_server,
    }
    saved = {name: live_app.config[name] for name in settings}
    live_app.config.update(settings)
    yield inbox
    live_app.config.update(saved)
    controller.stop()


def send_queued_mail(live_app):
    """What the courier does after a response. Under TESTING the request delivered its outbox
    events itself, so the reset mail already waits in the queue."""
    with live_app.app_context():
        sent = sender.send_due()
        db.session.remove()
    return sent


def test_forgotten_password_to_a_new_one_through_the_mailed_link(
    visitor, live_app, live_server, mailbox
):
    username = unique("forgetful")
    page = register(visitor, username)
    page.get_by_role("button", name="Sign out").click()

    page = visitor.goto("/auth/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    visitor.check("forgot")
    page.get_by_label("Username or email").fill(f"{username}@example.com")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visitor.check("check-your-email")

    assert send_queued_mail(live_app) == 1
    [message] = mailbox.messages
    assert message["To"] == f"{username}@example.com"
    plain, _ = bodies(message)
    link = re.search(rf"{re.escape(live_server)}/auth/reset/\S+", plain).group(0)

    page = visitor.goto(link.removeprefix(live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(f"{username} again")
    page.get_by_label("Repeat new password").fill("something else")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("Password must not contain your username.")).to_be_visible()
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    visitor.check("choose-new-password-errors")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("Your new password is set and you are signed in.")).to_be_visible()
    expect(page.get_by_role("link", name=username, exact=True)).to_be_visible()
    visitor.check("signed-in-after-reset")

    page.get_by_role("button", name="Sign out").click()
    sign_in(visitor, username, NEW_PASSWORD)
    page = visitor.goto(link.removeprefix(live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    visitor.check("used-link")
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
