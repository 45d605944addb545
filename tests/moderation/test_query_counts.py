"""The moderators' lists read a constant number of times, however many posts, flags, authors
and entries they show."""

import re

import pytest

from forum.categories.models import Category
from forum.extensions import db
from forum.moderation import accounts, flags
from forum.users.models import User
from tests import factories
from tests.pages import text
from tests.sql import PAGE_BUDGET, get_counted


def measure(client, url, pattern):
    """(queries, distinct matches of ``pattern`` on the page) of a GET of ``url``."""
    response, statements = get_counted(client, url)
    assert response.status_code == 200
    return len(statements), len(set(re.findall(pattern, text(response))))


@pytest.mark.parametrize("kind", [None, "held", "flagged"], ids=str)
def test_queue_reads_a_constant_number_of_times(client, auth, moderator, category, kind):
    """Held replies by new accounts and flagged replies by trusted ones, each in its own
    thread and flagged by its own reporter: a query per author, thread or flagger would show."""
    auth.login(moderator)
    category_id = category.id
    url = f"/moderation/?kind={kind}" if kind else "/moderation/"

    def add(n):
        place = db.session.get(Category, category_id)
        for i in range(n):
            thread = factories.make_thread(factories.make_user(), place, f"Mirror stalls {n}-{i}")
            factories.make_held_reply(factories.make_user(), thread)
            reply = factories.make_reply(factories.make_trusted_user(), thread, f"Try {n}-{i}.")
            flags.flag(factories.make_user(), reply, "offensive", "Rude.")

    items = r'id="item-(\d+)"'
    add(1)
    few, listed = measure(client, url, items)
    assert listed == (2 if kind is None else 1)
    add(5)
    many, listed = measure(client, url, items)
    assert listed == (12 if kind is None else 6)
    assert few == many, f"{kind} queue: {few} queries for a few posts, {many} for more"
    assert many <= PAGE_BUDGET


def test_audit_log_reads_a_constant_number_of_times(client, auth, moderator):
    """Each entry names who acted: every entry here by another moderator."""
    auth.login(moderator)

    def add(n):
        for _ in range(n):
            actor = factories.make_user("moderator")
            accounts.silence(actor, factories.make_user(), 1, f"Calm down, says {actor.username}.")

    entries = r'id="entry-(\d+)"'
    add(2)
    few, listed = measure(client, "/moderation/log", entries)
    assert listed == 2
    add(10)
    many, listed = measure(client, "/moderation/log", entries)
    assert listed == 12
    assert few == many, f"2 entries: {few} queries, 12 entries: {many} queries"
    assert many <= PAGE_BUDGET


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

    posts = r'href="/posts/(\d+)">Mirror stalls'
    add(2)
    few, listed = measure(client, url, posts)
    assert listed == 2
    add(10)
    many, listed = measure(client, url, posts)
    assert listed == 12
    assert few == many, f"2 posts: {few} queries, 12 posts: {many} queries"
    assert many <= PAGE_BUDGET
