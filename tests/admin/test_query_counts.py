"""The admin lists read a constant number of times, however many rows they show. (The
webhook list has its own test in tests/webhooks/test_admin.py.)"""

from functools import partial

import pytest

from forum.moderation import accounts
from forum.spam import services as spam
from tests import factories
from tests.sql import assert_constant_queries, page_queries


def add_users(n):
    """``n`` accounts of every role, a banned one among them."""
    moderator = factories.make_user("moderator")
    for i in range(n - 2):
        factories.make_user(("customer", "staff", "admin")[i % 3])
    accounts.ban(moderator, factories.make_user(), reason="Spam.")


def add_categories(n):
    """``n`` categories, each with a thread by its own asker."""
    for _ in range(n):
        factories.make_thread(factories.make_user(), factories.make_category())


def add_rules(n):
    """``n`` spam rules of every kind, each added by another admin."""
    kinds = (("word", "hold"), ("regex", "flag"), ("blocked_domain", None))
    for i in range(n):
        kind, action = kinds[i % 3]
        pattern = f"spam{i}-{n}.example" if kind == "blocked_domain" else f"cheap pills {i}-{n}"
        spam.add_rule(factories.make_user("admin"), kind, pattern, action, f"Note {i}.")


LISTS = [
    ("/admin/users", add_users, r'id="role-(\d+)"'),
    ("/admin/categories", add_categories, r'href="/admin/categories/(\d+)/edit"'),
    ("/admin/spam/rules", add_rules, r'href="/admin/spam/rules/(\d+)/delete"'),
]


@pytest.mark.parametrize(("url", "add", "rows"), LISTS, ids=[url for url, _, _ in LISTS])
def test_admin_list_reads_a_constant_number_of_times(client, auth, admin, url, add, rows):
    auth.login(admin)
    measure = partial(page_queries, client, url, rows)
    _queries, before = measure()  # the fixtures' own rows
    assert_constant_queries(measure, add, [(2, before + 2), (10, before + 12)])
