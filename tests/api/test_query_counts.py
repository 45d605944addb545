"""The API's lists read a constant number of times, however many items a page holds, by
however many authors, in however many categories."""

from functools import partial

import pytest

from forum.api import services as tokens
from forum.categories.models import Category
from forum.extensions import db
from forum.notifications import follows
from forum.threads import services as threads
from forum.threads.models import Thread
from forum.users.models import User
from tests import factories
from tests.api.conftest import bearer
from tests.sql import assert_constant_queries, get_counted


def measure(client, url, headers, key="items"):
    """(queries, items in the response's ``key`` list) of a GET of ``url``."""
    response, statements = get_counted(client, url, headers=headers)
    assert response.status_code == 200, response.json
    return len(statements), len(response.json[key])


def compare(client, url, headers, add, steps, key="items"):
    """assert_constant_queries for the list ``key`` of the JSON at ``url``."""
    client.get(url, headers=headers)  # the token's first use is stamped, and not counted
    assert_constant_queries(partial(measure, client, url, headers, key), add, steps)


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
    compare(client, "/api/v1/threads", bearer(customer), asked_and_answered, [(2, 2), (10, 12)])


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

    compare(client, url, bearer(customer), add, [(1, 2), (10, 12)], key="posts")


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
    compare(client, url, bearer(staff), add, [(2, 2), (10, 12)])


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

    compare(client, "/api/v1/notifications", bearer(customer), add, [(1, 3), (7, 3 + 3 * 7)])


@pytest.mark.parametrize("kind", [None, "held", "flagged"], ids=str)
def test_moderation_queue(client, moderator, category, kind):
    """Held replies by new accounts and flagged replies flagged by many reporters."""
    category_id = category.id
    url = f"/api/v1/moderation/queue?kind={kind}" if kind else "/api/v1/moderation/queue"

    add = partial(factories.make_queue_items, category_id=category_id)

    steps = [(1, 2), (5, 12)] if kind is None else [(1, 1), (5, 6)]
    compare(client, url, bearer(moderator), add, steps)


def test_tokens(client, customer):
    customer_id = customer.id

    def add(n):
        user = db.session.get(User, customer_id)
        for i in range(n):
            tokens.create_token(user, f"Help desk {n}-{i}")

    compare(client, "/api/v1/tokens", bearer(customer), add, [(2, 3), (10, 13)])  # and its own


def test_categories(client):
    def add(n):
        for _ in range(n):
            factories.make_thread(factories.make_user(), factories.make_category())

    compare(client, "/api/v1/categories", {}, add, [(2, 2), (10, 12)])
