"""Journeys through the email change mail: a member moves their account to a new address by
confirming the link mailed there; and a member whose password leaked takes the account back
from an intruder with the link in the notice mailed to the old address."""

from playwright.sync_api import expect

from tests.browser.steps import (
    PASSWORD,
    fill_new_password,
    link_in,
    register,
    send_queued_mail,
    sign_in,
    unique,
)

NEW_PASSWORD = "nobody else knows this one"


def ask_for_a_new_address(visitor, new):
    """From the settings page, as a signed-in member, with the current password."""
    page = visitor.page
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Change your email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change email address")
    page.get_by_label("New email address").fill(new)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Change email address").click()
    expect(page.get_by_text(f"To finish, open the link we sent to {new}.")).to_be_visible()
    return page


def mail_to(mailbox, address):
    [message] = [m for m in mailbox.messages if m["To"] == address]
    return message


def test_a_member_confirms_a_new_email_address_from_the_mailed_link(
    visitor, live_app, live_server, mailbox
):
    username = unique("moving")
    old, new = f"{username}@example.com", f"{username}@new.example.com"
    register(visitor, username)
    page = ask_for_a_new_address(visitor, new)
    visitor.check("check-the-new-inbox")

    assert send_queued_mail(live_app) == 2
    confirm = link_in(mail_to(mailbox, new), live_server, "/settings/email/confirm/")
    assert link_in(mail_to(mailbox, old), live_server, "/settings/email/undo/")

    page = visitor.goto(confirm)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your new email address")
    expect(page.get_by_text(f"Make {new} the email address of the account")).to_be_visible()
    visitor.check("confirm-the-new-address")
    page.get_by_role("button", name="Confirm the new address").click()
    expect(page.get_by_text(f"The email address of {username} is now {new}.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    page.get_by_role("link", name="Change your email address").click()
    expect(page.get_by_text(f"Your email address is {new}.")).to_be_visible()
    visitor.check("new-address-in-settings")


def test_the_old_address_takes_the_account_back_from_an_intruder(
    visitors, live_app, live_server, mailbox
):
    username = unique("careful")
    old, theirs = f"{username}@example.com", f"{username}@intruder.example.net"
    member = visitors("member")
    register(member, username)
    intruder = visitors("intruder")
    sign_in(intruder, username, PASSWORD)  # the password leaked
    ask_for_a_new_address(intruder, theirs)
    send_queued_mail(live_app)
    intruder.goto(link_in(mail_to(mailbox, theirs), live_server, "/settings/email/confirm/"))
    intruder.page.get_by_role("button", name="Confirm the new address").click()
    expect(intruder.page.get_by_text(f"is now {theirs}.")).to_be_visible()

    undo = link_in(mail_to(mailbox, old), live_server, "/settings/email/undo/")
    page = member.goto(undo)
    expect(page.get_by_role("heading", level=1)).to_have_text("Put your old email address back")
    expect(page.get_by_text(f"was changed from {old} to {theirs}.")).to_be_visible()
    member.check("put-the-old-address-back")
    page.get_by_role("button", name="Put my old address back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    expect(page.get_by_text(f"{old} is the email address of {username} again.")).to_be_visible()
    expect(page.get_by_text("someone knows your password: choose a new one now")).to_be_visible()
    member.check("choose-a-new-password")
    fill_new_password(page, NEW_PASSWORD)
    expect(page.get_by_text("Your new password is set and you are signed in.")).to_be_visible()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Change your email address").click()
    expect(page.get_by_text(f"Your email address is {old}.")).to_be_visible()

    page = intruder.goto("/settings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page = member.goto(undo)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    member.check("used-undo-link")
