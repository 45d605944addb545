"""The moderators' lists read a constant number of times, however many posts, flags, authors
and entries they show."""

from functools import partial

import pytest

from forum.extensions import db
from forum.moderation import accounts
from forum.users.models import User
from tests import factories
from tests.sql import assert_constant_queries, page_queries


@pytest.mark.parametrize("kind", [None, "held", "flagged"], ids=str)
def test_queue_reads_a_constant_number_of_times(client, auth, moderator, category, kind):
    """Held replies by new accounts and flagged replies by trusted ones, each in its own
    thread and flagged by its own reporter: a query per author, thread or flagger would show."""
    auth.login(moderator)
    category_id = category.id
    url = f"/moderation/?kind={kind}" if kind else "/moderation/"

    add = partial(factories.make_queue_items, category_id=category_id)

    measure = partial(page_queries, client, url, r'id="item-(\d+)"')
    steps = [(1, 2), (5, 12)] if kind is None else [(1, 1), (5, 6)]
    assert_constant_queries(measure, add, steps)


def test_audit_log_reads_a_constant_number_of_times(client, auth, moderator):
    """Each entry names who acted: every entry here by another moderator."""
    auth.login(moderator)

    def add(n):
        for _ in range(n):
            actor = factories.make_user("moderator")
            accounts.silence(actor, factories.make_user(), 1, f"Calm down, says {actor.username}.")

    measure = partial(page_queries, client, "/moderation/log", r'id="entry-(\d+)"')
    assert_constant_queries(measure, add, [(2, 2), (10, 12)])


def test_account_page_reads_a_constant_number_of_times(client, auth, moderator, customer):
    """The account's posts, each in another asker's thread in another category."""
    auth.login(moderator)
    author_id, url = customer.id, f"/moderation/users/{customer.id}"

    def add(n):
        author = db.session.get(User, author_id)
        for i in range(n):
            place = factories.make_category()
            thread = factories.make_thread(factories.make_user(), place, f"Mirror stalls {n}-{i}")
            factories.make_reply(author, thread, f"Same here {n}-{i}.")

    measure = partial(page_queries, client, url, r'href="/posts/(\d+)">Mirror stalls')
    assert_constant_queries(measure, add, [(2, 2), (10, 12)])
