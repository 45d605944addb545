"""Steps that several journeys share, taken the way a person takes them."""

from itertools import count

from playwright.sync_api import expect

from forum.demo import DEMO_PASSWORD

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
