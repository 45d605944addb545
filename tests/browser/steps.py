"""Steps that several journeys share, taken the way a person takes them."""

import re
from itertools import count

from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD
from forum.extensions import db
from forum.mail import sender
from tests.mail.conftest import bodies

PASSWORD = "a long enough password"
_serial = count(1)


def unique(name):
    """A username no other journey uses (the live server is shared by the whole session)."""
    return f"{name}{next(_serial)}"


def register(visitor, username, check=False):
    page = visitor.goto("/auth/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    if check:
        visitor.check("register")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"Welcome, {username}!")).to_be_visible()
    return page


def sign_in(visitor, username, password=DEMO_PASSWORD):
    page = visitor.goto("/auth/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Welcome back, {username}.")).to_be_visible()
    return page


def fill_new_password(page, password, repeated=None):
    """Fill and submit the reset page's form (``repeated`` differs to make a mistake)."""
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Repeat new password").fill(password if repeated is None else repeated)
    page.get_by_role("button", name="Set the new password").click()


def send_queued_mail(live_app):
    """What the courier does after a response. Under TESTING the request delivered its outbox
    events itself, so account mail already waits in the queue."""
    with live_app.app_context():
        sent = sender.send_due()
        db.session.remove()
    return sent


def link_in(message, base_url, path):
    """The path of the first link under ``path`` in a received message's plain text."""
    plain, _ = bodies(message)
    return re.search(rf"{re.escape(base_url)}({re.escape(path)}\S+)", plain).group(1)


FOCUS_RING = """element => {
    const style = getComputedStyle(element);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


def tab_to(page, target, limit=80):
    """Press Tab until ``target`` has the focus: proves it is reachable by keyboard alone and
    shows a visible focus ring when it gets there."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            assert target.evaluate(FOCUS_RING), f"{target} has no visible focus ring"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reachable with Tab within {limit} presses")
