"""Journey: a member asks a question, then deletes their account from the settings page (after
a first try with the wrong confirmation); the question stays under the placeholder name, and
the old name and password no longer sign in."""

from playwright.sync_api import expect

from tests.browser.steps import PASSWORD, register, unique


def test_a_member_deletes_their_account_and_their_question_stays_without_their_name(visitor):
    username = unique("leaving")
    title = f"Can I export my backups before I leave {username}"
    page = register(visitor, username)
    page = visitor.goto("/threads/new")
    page.get_by_label("Category").select_option(label="Billing & accounts")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Details").fill("I would like a copy of everything first. Thanks!")
    page.get_by_role("button", name="Post your question").click()
    thread_url = page.url

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Delete your account…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("Type your username to confirm").fill("someone else")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text(f"Type your username, {username}, to confirm.")).to_be_visible()
    visitor.check("wrong-confirmation")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("Type your username to confirm").fill(username)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted and you are signed out.")).to_be_visible()
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()

    page = visitor.goto(thread_url.removeprefix(visitor.base_url))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".post.question").get_by_role("link", name="deleted-")).to_be_visible()
    expect(page.get_by_text(username, exact=True)).to_have_count(0)
    visitor.check("question-after-deletion")

    page = visitor.goto("/auth/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome back")).to_have_count(0)
