"""A profile and the settings page read a constant number of times, however many posts,
follows and tokens they list."""

import re

from forum.api import services as tokens
from forum.extensions import db
from forum.notifications import follows
from forum.users.models import User
from tests import factories
from tests.pages import text
from tests.sql import PAGE_BUDGET, get_counted


def measure(client, url, pattern):
    """(queries, distinct matches of ``pattern`` on the page) of a GET of ``url``."""
    response, statements = get_counted(client, url)
    assert response.status_code == 200
    return len(statements), len(set(re.findall(pattern, text(response))))


def test_profile_reads_a_constant_number_of_times(client, customer):
    """Recent posts name their thread: each in another asker's thread, in another category."""
    author_id = customer.id

    def add(n):
        author = db.session.get(User, author_id)
        for i in range(n):
            place = factories.make_category()
            thread = factories.make_thread(factories.make_user(), place, f"Mirror stalls {n}-{i}")
            factories.make_reply(author, thread, "Same here.")

    posts = r">(Mirror stalls \d+-\d+)</a>"
    add(2)
    few, listed = measure(client, "/u/carol", posts)
    assert listed == 2
    add(8)
    many, listed = measure(client, "/u/carol", posts)
    assert listed == 10  # the ten most recent
    assert few == many, f"2 posts: {few} queries, 10 posts: {many} queries"
    assert many <= PAGE_BUDGET


def test_settings_reads_a_constant_number_of_times(client, auth, customer):
    """Followed threads (by other askers, in other categories), followed categories and
    tokens: more of each adds rows, never queries."""
    auth.login(customer)
    user_id = customer.id

    def add(n):
        user = db.session.get(User, user_id)
        for i in range(n):
            place = factories.make_category(f"Product {n}-{i}", f"product-{n}-{i}")
            thread = factories.make_thread(factories.make_user(), place, f"Mirror stalls {n}-{i}")
            follows.follow_thread(user, thread)
            follows.follow_category(user, place)
            tokens.create_token(user, f"Help desk {n}-{i}")

    rows = r">(Mirror stalls \d+-\d+|Product \d+-\d+|Help desk \d+-\d+)<"
    add(2)
    few, listed = measure(client, "/settings", rows)
    assert listed == 6
    add(8)
    many, listed = measure(client, "/settings", rows)
    assert listed == 30
    assert few == many, f"2 of each: {few} queries, 10 of each: {many} queries"
    assert many <= PAGE_BUDGET
