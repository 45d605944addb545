"""Journey 2: a visitor registers, asks a question, is offered similar solved questions while
typing, opens one, comes back and posts anyway."""

import re

from playwright.sync_api import expect

from tests.browser.steps import register, tab_to, unique

TITLE = "Backup keeps uploading node_modules folders from every project"
SIMILAR = "How do I exclude node_modules (and other junk folders) from backup?"
DETAILS = "I have **dozens** of projects and the backup never finishes."


def test_newcomer_asks_after_seeing_similar_questions(visitor):
    register(visitor, unique("newcomer"), check=True)
    page = visitor.page
    page.get_by_role("link", name="Ask a question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a question")
    page.get_by_label("Category").select_option(label="Sync & backup")
    page.get_by_label("Title").press_sequentially(TITLE, delay=5)
    suggestions = page.get_by_role("region", name="Already answered?")
    expect(suggestions.get_by_role("link", name=SIMILAR)).to_be_visible()
    page.get_by_label("Details").fill(DETAILS)
    expect(page.locator(".preview-body strong")).to_have_text("dozens")
    visitor.check("ask-with-suggestions")

    suggestions.get_by_role("link", name=SIMILAR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SIMILAR)
    visitor.check("suggested-thread")
    page.go_back()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("Details")).to_have_value(DETAILS)

    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    visitor.check("new-thread")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Sync & backup"
    ).click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.check("category-with-new-thread")


def test_keyboard_only_newcomer_asks_a_question(visitor):
    page = visitor.goto("/auth/register")
    username = unique("keys")
    for label, value in (
        ("Username", username),
        ("Email", f"{username}@example.com"),
        ("Password", "a long enough password"),
        ("Repeat password", "a long enough password"),
    ):
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.type(value)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Welcome, {username}!")).to_be_visible()

    tab_to(page, page.get_by_role("link", name="Ask a question"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Category"))
    page.keyboard.type("Sync")  # a closed select jumps to the option typed
    expect(page.get_by_label("Category")).to_have_value("sync-backup")
    page.keyboard.press("Tab")
    page.keyboard.type(TITLE, delay=5)
    suggestion = page.get_by_role("region", name="Already answered?").get_by_role(
        "link", name=SIMILAR
    )
    expect(suggestion).to_be_visible()
    tab_to(page, suggestion)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(SIMILAR)
    page.go_back()  # the browser's Back (Alt+←) lives outside the page Playwright types into
    expect(page.get_by_label("Title")).to_have_value(TITLE)

    tab_to(page, page.get_by_label("Details"))
    page.keyboard.type("Asked with the keyboard only.")
    tab_to(page, page.get_by_role("button", name="Post your question"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    visitor.check("keyboard-new-thread")


def test_form_errors_keep_the_text_and_are_tied_to_fields(visitor):
    register(visitor, unique("hasty"))
    page = visitor.goto("/threads/new")
    page.get_by_label("Details").fill("My whole story that must not be lost.")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_label("Details")).to_have_value("My whole story that must not be lost.")
    title = page.get_by_label("Title")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", re.compile("title-error"))
    expect(page.locator("#title-error")).to_be_visible()
    visitor.check("ask-errors")


def test_keyboard_only_member_signs_in_and_replies(visitor):
    page = visitor.goto("/auth/login")
    tab_to(page, page.get_by_label("Username or email"))
    page.keyboard.type("jenna_k")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Welcome back, jenna_k.")).to_be_visible()
    page = visitor.goto("/c/getting-started")
    tab_to(page, page.locator(".thread-title").first)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("textbox", name="Your reply"))
    page.keyboard.type("Thanks, this helped me too.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thanks, this helped me too.")).to_be_visible()
