"""Journey: a member who forgot their password asks for a link, finds it in the mail, chooses
a new password (after a first try the rules refuse), is signed in, and later signs in with it;
the link then no longer works."""

from playwright.sync_api import expect

from tests.browser.steps import (
    fill_new_password,
    link_in,
    register,
    send_queued_mail,
    sign_in,
    unique,
)

NEW_PASSWORD = "remembered this time"


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
    link = link_in(message, live_server, "/auth/reset/")

    page = visitor.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    fill_new_password(page, f"{username} again", repeated="something else")
    expect(page.get_by_text("Password must not contain your username.")).to_be_visible()
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    visitor.check("choose-new-password-errors")
    fill_new_password(page, NEW_PASSWORD)
    expect(page.get_by_text("Your new password is set and you are signed in.")).to_be_visible()
    expect(page.get_by_role("link", name=username, exact=True)).to_be_visible()
    visitor.check("signed-in-after-reset")

    page.get_by_role("button", name="Sign out").click()
    sign_in(visitor, username, NEW_PASSWORD)
    page = visitor.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    visitor.check("used-link")
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
