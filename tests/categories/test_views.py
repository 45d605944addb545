from datetime import timedelta

import pytest

from forum.clock import utcnow
from forum.extensions import db
from forum.threads import services as threads
from forum.threads.models import Post
from tests import factories
from tests.pages import text


def titles_in_order(page, titles):
    """The given titles, ordered as they appear on the page."""
    return sorted((t for t in titles if t in page), key=page.index)


def thread_row(page, title):
    """The HTML of the list row whose title is ``title``."""
    start = page.index(f">{title}</a>")
    return page[start : page.index("</li>", start)]


def test_index_lists_categories_in_their_order_with_thread_counts(client, customer):
    factories.make_category("Billing", "billing")
    sync = factories.make_category("Sync", "sync")
    factories.make_thread(customer, sync)
    factories.make_thread(customer, sync)
    page = text(client.get("/"))
    assert titles_in_order(page, ["Billing", "Sync"]) == ["Billing", "Sync"]
    assert 'href="/c/billing"' in page
    assert "0 threads" in page and "2 threads" in page


def test_index_without_categories_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No categories yet." in text(response)


def test_threads_are_listed_by_newest_activity(client, customer, other_customer, category):
    old = factories.make_thread(customer, category, "Older question")
    factories.make_thread(customer, category, "Newer question")
    page = text(client.get(f"/c/{category.slug}"))
    assert titles_in_order(page, ["Older question", "Newer question"]) == [
        "Newer question",
        "Older question",
    ]
    threads.reply(other_customer, old, "A late answer.", at=utcnow() + timedelta(minutes=1))
    for url in (f"/c/{category.slug}", "/"):
        page = text(client.get(url))
        assert titles_in_order(page, ["Older question", "Newer question"]) == [
            "Older question",
            "Newer question",
        ]


def test_pinned_threads_come_first(client, customer, moderator, category):
    pinned = factories.make_thread(customer, category, "House rules")
    factories.make_thread(customer, category, "Fresh question")
    threads.set_flag(moderator, pinned, "pinned", True)
    page = text(client.get(f"/c/{category.slug}"))
    assert titles_in_order(page, ["House rules", "Fresh question"])[0] == "House rules"
    assert '<span class="badge pinned">Pinned</span>' in thread_row(page, "House rules")


def test_list_rows_show_reply_count_and_solved_and_locked_badges(
    client, customer, other_customer, staff, category
):
    solved = factories.make_thread(customer, category, "Solved question")
    answer = factories.make_reply(staff, solved, "Here is how.")
    factories.make_reply(other_customer, solved, "Thanks, that worked for me too.")
    threads.accept_answer(staff, answer)
    locked = factories.make_thread(customer, category, "Locked question")
    threads.set_flag(staff, locked, "locked", True)
    factories.make_reply(staff, locked)

    page = text(client.get(f"/c/{category.slug}"))
    row = thread_row(page, "Solved question")
    assert '<span class="count">2</span> <span class="label">replies</span>' in row
    assert "Solved</span>" in row and "Locked</span>" not in row
    row = thread_row(page, "Locked question")
    assert '<span class="count">1</span> <span class="label">reply</span>' in row
    assert "Locked</span>" in row and "Solved</span>" not in row


def test_deleted_replies_leave_the_reply_count(client, customer, other_customer, thread):
    reply = factories.make_reply(other_customer, thread)
    factories.make_reply(other_customer, thread)
    threads.delete_post(other_customer, reply)
    row = thread_row(text(client.get("/")), thread.title)
    assert '<span class="count">1</span>' in row


def test_deleted_threads_are_not_listed(client, customer, category):
    thread = factories.make_thread(customer, category, "Posted by mistake")
    question = db.session.scalar(db.select(Post).filter_by(thread_id=thread.id))
    threads.delete_post(customer, question)
    for url in ("/", f"/c/{category.slug}"):
        assert "Posted by mistake" not in text(client.get(url))
    assert "0 threads" in text(client.get("/"))


def test_thread_list_is_paginated(app, client, customer, category):
    app.config["THREADS_PER_PAGE"] = 3
    start = utcnow()
    for n in range(7):
        threads.create_thread(customer, category, f"Question {n}", "Body", at=start + timedelta(n))
    first, second, third = (text(client.get(f"/c/{category.slug}?page={n}")) for n in (1, 2, 3))
    assert "Question 6" in first and "Question 4" in first and "Question 3" not in first
    assert "Question 3" in second and "Question 1" in second
    assert "Question 0" in third and "Question 1" not in third
    assert "Page 2 of 3" in second
    assert f'href="/c/{category.slug}?page=3"' in second
    assert client.get(f"/c/{category.slug}?page=4").status_code == 404


@pytest.mark.parametrize("page", ["0", "-3", "abc", ""])
def test_malformed_page_numbers_show_the_first_page(client, thread, page):
    response = client.get(f"/?page={page}")
    assert response.status_code == 200
    assert thread.title in text(response)


@pytest.mark.parametrize("url", ["/?page=99999999999999999999", "/c/sync-backup?page=1000001"])
def test_absurd_page_numbers_are_not_found(client, category, url):
    assert client.get(url).status_code == 404


def test_category_page_shows_description_and_an_ask_button(client, admin):
    from forum.categories import services as categories

    category = categories.create(admin, "Billing", "billing", "Invoices, refunds and plans.")
    page = text(client.get(f"/c/{category.slug}"))
    assert "Invoices, refunds and plans." in page
    assert 'href="/threads/new?category=billing"' in page
    assert "No questions in this category yet." in page


def test_unknown_category_is_a_site_styled_404(client):
    response = client.get("/c/no-such-category")
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert "Go to the home page" in text(response)
