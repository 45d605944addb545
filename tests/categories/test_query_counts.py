"""The home page and a category page read a constant number of times, however many threads
they list, by however many askers, in however many categories and states."""

from functools import partial

import pytest

from forum.categories.models import Category
from forum.extensions import db
from forum.threads import services as threads
from forum.users.models import User
from tests import factories
from tests.pages import text
from tests.sql import assert_constant_queries, get_counted


def add_threads(n, moderator_id, category_id=None):
    """``n`` threads, each by its own asker (in its own category unless ``category_id``),
    answered by another customer; every third one pinned, solved or locked."""
    moderator = db.session.get(User, moderator_id)
    for i in range(n):
        place = db.session.get(Category, category_id) if category_id else None
        thread = factories.make_thread(factories.make_user(), place or factories.make_category())
        answer = factories.make_reply(factories.make_trusted_user(), thread, "Resume it.")
        if i % 3 == 0:
            threads.set_flag(moderator, thread, "pinned", True)
        elif i % 3 == 1:
            threads.accept_answer(moderator, answer)
        else:
            threads.set_flag(moderator, thread, "locked", True)


@pytest.mark.parametrize("page", ["home", "category"])
def test_thread_list_reads_a_constant_number_of_times(client, moderator, category, page):
    moderator_id, category_id = moderator.id, category.id
    url = "/" if page == "home" else f"/c/{category.slug}"
    where = category_id if page == "category" else None

    def measure():
        response, statements = get_counted(client, url)
        assert response.status_code == 200
        return len(statements), text(response).count('<li class="thread-row">')

    add = partial(add_threads, moderator_id=moderator_id, category_id=where)
    assert_constant_queries(measure, add, [(2, 2), (10, 12)])
