"""The API's lists read a constant number of times, however many items a page holds, by
however many authors, in however many categories."""

import pytest

from forum.api import services as tokens
from forum.categories.models import Category
from forum.extensions import db
from forum.moderation import flags
from forum.notifications import follows
from forum.threads import services as threads
from forum.threads.models import Thread
from forum.users.models import User
from tests import factories
from tests.api.conftest import bearer
from tests.sql import PAGE_BUDGET, get_counted


def measure(client, url, headers, key="items"):
    """(queries, items in the response's ``key`` list) of a GET of ``url``."""
    response, statements = get_counted(client, url, headers=headers)
    assert response.status_code == 200, response.json
    return len(statements), len(response.json[key])


def compare(client, url, headers, add, sizes, key="items"):
    """Queries and items of ``url`` after ``add(sizes[0])``, then after ``add(sizes[1])``."""
    client.get(url, headers=headers)  # the token's first use is stamped, and not counted
    add(sizes[0])
    few = measure(client, url, headers, key)
    add(sizes[1])
    many = measure(client, url, headers, key)
    return few, many


def asked_and_answered(n, category_id=None):
    """``n`` threads, each by its own asker (in its own category unless ``category_id``),
    answered by its own helper; the first answer edited by a moderator."""
    moderator = factories.make_user("moderator")
    for i in range(n):
        place = db.session.get(Category, category_id) if category_id else None
        thread = factories.make_thread(factories.make_user(), place or factories.make_category())
        answer = factories.make_reply(factories.make_trusted_user(), thread, f"Try {n}-{i}.")
        if i == 0:
            threads.edit_post(moderator, answer, "Try this instead.")


def test_thread_list(client, customer):
    few, many = compare(client, "/api/v1/threads", bearer(customer), asked_and_answered, (2, 10))
    assert (few[1], many[1]) == (2, 12)
    assert few[0] == many[0] <= PAGE_BUDGET, f"{few} vs {many}"


def test_a_threads_posts(client, customer, category):
    """Replies by many authors, some edited by someone else: one page of posts."""
    thread = factories.make_thread(customer, category, "Mirror stalls")
    thread_id, url = thread.id, f"/api/v1/threads/{thread.id}"

    def add(n):
        moderator, thread = factories.make_user("moderator"), db.session.get(Thread, thread_id)
        for i in range(n):
            reply = factories.make_reply(factories.make_trusted_user(), thread, f"Try {n}-{i}.")
            if i % 2 == 0:
                threads.edit_post(moderator, reply, f"Try {n}-{i}, edited.")

    few, many = compare(client, url, bearer(customer), add, (1, 10), key="posts")
    assert (few[1], many[1]) == (2, 12)
    assert few[0] == many[0] <= PAGE_BUDGET, f"{few} vs {many}"


def test_kb_articles(client, staff):
    """Drafts from accepted answers, each with its own category and credited answerer."""
    staff_id = staff.id

    def add(n):
        editor = db.session.get(User, staff_id)
        for i in range(n):
            thread = factories.make_thread(factories.make_user(), factories.make_category())
            answer = factories.make_reply(factories.make_trusted_user(), thread, f"Try {n}-{i}.")
            threads.accept_answer(editor, answer)

    url = "/api/v1/kb/articles?status=all"
    few, many = compare(client, url, bearer(staff), add, (2, 10))
    assert (few[1], many[1]) == (2, 12)
    assert few[0] == many[0] <= PAGE_BUDGET, f"{few} vs {many}"


def test_notifications(client, customer):
    """Replies to carol's questions by many helpers, new questions by many askers in the
    categories she follows, and notices about her answers accepted by many moderators."""
    carol_id = customer.id

    def add(n):
        carol = db.session.get(User, carol_id)
        for i in range(n):
            place = factories.make_category()
            follows.follow_category(carol, place)
            mine = factories.make_thread(carol, place, f"Mirror stalls {n}-{i}")
            factories.make_reply(factories.make_trusted_user(), mine, "Try this.")
            theirs = factories.make_thread(factories.make_user(), place, f"Mirror slow {n}-{i}")
            answer = factories.make_reply(carol, theirs, "Resume it.")
            threads.accept_answer(factories.make_user("moderator"), answer)

    few, many = compare(client, "/api/v1/notifications", bearer(customer), add, (1, 7))
    assert (few[1], many[1]) == (3, 3 + 3 * 7)
    assert few[0] == many[0] <= PAGE_BUDGET, f"{few} vs {many}"


@pytest.mark.parametrize("kind", [None, "held", "flagged"], ids=str)
def test_moderation_queue(client, moderator, category, kind):
    """Held replies by new accounts and flagged replies flagged by many reporters."""
    category_id = category.id
    url = f"/api/v1/moderation/queue?kind={kind}" if kind else "/api/v1/moderation/queue"

    def add(n):
        place = db.session.get(Category, category_id)
        for i in range(n):
            thread = factories.make_thread(factories.make_user(), place, f"Mirror stalls {n}-{i}")
            factories.make_held_reply(factories.make_user(), thread)
            reply = factories.make_reply(factories.make_trusted_user(), thread, f"Try {n}-{i}.")
            flags.flag(factories.make_user(), reply, "offensive", "Rude.")

    few, many = compare(client, url, bearer(moderator), add, (1, 5))
    assert (few[1], many[1]) == ((2, 12) if kind is None else (1, 6))
    assert few[0] == many[0] <= PAGE_BUDGET, f"{few} vs {many}"


def test_tokens(client, customer):
    customer_id = customer.id

    def add(n):
        user = db.session.get(User, customer_id)
        for i in range(n):
            tokens.create_token(user, f"Help desk {n}-{i}")

    few, many = compare(client, "/api/v1/tokens", bearer(customer), add, (2, 10))
    assert (few[1], many[1]) == (3, 13)  # and the token the requests use
    assert few[0] == many[0] <= PAGE_BUDGET, f"{few} vs {many}"


def test_categories(client):
    def add(n):
        for _ in range(n):
            factories.make_thread(factories.make_user(), factories.make_category())

    few, many = compare(client, "/api/v1/categories", {}, add, (2, 10))
    assert (few[1], many[1]) == (2, 12)
    assert few[0] == many[0] <= PAGE_BUDGET, f"{few} vs {many}"
