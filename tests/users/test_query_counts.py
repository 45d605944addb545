"""A profile and the settings page read a constant number of times, however many posts,
follows and tokens they list."""

from functools import partial

from forum.api import services as tokens
from forum.extensions import db
from forum.notifications import follows
from forum.users.models import User
from tests import factories
from tests.sql import assert_constant_queries, page_queries


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
    measure = partial(page_queries, client, "/u/carol", posts)
    assert_constant_queries(measure, add, [(2, 2), (8, 10)])  # the ten most recent


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
    measure = partial(page_queries, client, "/settings", rows)
    assert_constant_queries(measure, add, [(2, 6), (8, 30)])
