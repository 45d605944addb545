"""Journey 1: a visitor searches for a problem and finds a solved thread's accepted answer."""

import re

from playwright.sync_api import expect

from tests.browser.steps import tab_to

PROBLEM = "exclude node_modules from backup"
SOLVED = "How do I exclude node_modules (and other junk folders) from backup?"


def expect_accepted_answer_under_question(page):
    """The accepted answer sits right under the question, above the replies."""
    expect(page.get_by_role("heading", level=1)).to_have_text(SOLVED)
    accepted = page.locator("article.question + section.accepted-answer")
    expect(accepted.get_by_role("heading", name="✓ Accepted answer")).to_be_visible()
    expect(accepted).to_contain_text(".nwignore")
    expect(page.locator("section.accepted-answer ~ section #replies-heading")).to_be_visible()


def test_visitor_searches_and_reads_the_accepted_answer(visitor):
    page = visitor.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Community")
    visitor.check("home")
    search = page.get_by_role("searchbox", name="Search questions and answers")
    search.fill(PROBLEM)
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results for “{PROBLEM}”")
    # The KB article drafted from the accepted answer ranks above the thread it came from.
    first = page.locator(".hit").first
    expect(first.locator(".hit-title")).to_have_text(SOLVED)
    expect(first.locator(".badge.kb")).to_be_visible()
    thread_hit = page.locator(".hit", has=page.locator(".badge.solved")).first
    expect(thread_hit.locator(".hit-title")).to_have_text(SOLVED)
    visitor.check("search-results")
    thread_hit.locator(".hit-title").click()
    expect_accepted_answer_under_question(page)
    visitor.check("solved-thread")
    page.locator(".kb-link a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SOLVED)
    expect(page.get_by_role("heading", name="Was this helpful?")).to_be_visible()
    visitor.check("kb-article")
    page.get_by_role("button", name="Yes", exact=True).click()
    expect(page.get_by_text("Thanks for your feedback!")).to_be_visible()
    expect(page.get_by_text("found this helpful")).to_have_text(
        re.compile(r"[1-9]\d* of [1-9]\d* readers? found this helpful")
    )


def test_visitor_reads_a_category_s_solved_thread(visitor):
    page = visitor.goto("/")
    page.get_by_role("link", name="Sync & backup").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sync & backup")
    visitor.check("category")
    solved_row = page.locator(".thread-row", has=page.locator(".badge.solved")).first
    solved_row.locator(".thread-title").click()
    expect(page.get_by_role("heading", name="✓ Accepted answer")).to_be_visible()


def test_keyboard_only_search_to_accepted_answer(visitor):
    page = visitor.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    search = page.get_by_role("searchbox", name="Search questions and answers")
    tab_to(page, search)
    page.keyboard.type(PROBLEM)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results for “{PROBLEM}”")
    thread_hit = page.locator(".hit", has=page.locator(".badge.solved")).first
    tab_to(page, thread_hit.locator(".hit-title"))
    page.keyboard.press("Enter")
    expect_accepted_answer_under_question(page)
    tab_to(page, page.locator(".kb-link a"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Was this helpful?")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Yes", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thanks for your feedback!")).to_be_visible()
    visitor.check("keyboard-solved-thread")
