"""The unanswered queue and the dashboard read a constant number of times, however many
threads, articles and searches they count or list."""

from functools import partial

from forum.extensions import db
from forum.kb import feedback
from forum.kb import services as kb
from forum.search.models import SearchLog
from tests import factories
from tests.sql import assert_constant_queries, page_queries


def test_unanswered_queue_reads_a_constant_number_of_times(client, auth, moderator):
    """Each waiting thread names its asker and its category: every one a different pair. As
    many threads started by team members, which the queue leaves out, cost nothing either."""
    auth.login(moderator)

    def add(n):
        for i in range(n):
            asker, place = factories.make_user(), factories.make_category()
            factories.make_thread(asker, place, f"Mirror stalls {n}-{i}")
            factories.make_thread(factories.make_user("moderator"), place, f"Welcome {n}-{i}")

    rows = r"Mirror stalls \d+-\d+</a>\s*<p class=\"meta\">asked by customer\d+ in Category \d+"
    measure = partial(page_queries, client, "/staff/unanswered", rows)
    assert_constant_queries(measure, add, [(2, 2), (10, 12)])


def test_dashboard_reads_a_constant_number_of_times(client, auth, staff):
    """More threads, voted articles by more writers and more failed searches add rows to the
    dashboard's tables, never queries."""
    auth.login(staff)

    def add(n):
        for i in range(n):
            writer = factories.make_user("staff")
            thread = factories.make_thread(factories.make_user(), factories.make_category())
            factories.make_reply(writer, thread, "Pause, then resume.")
            article = kb.create(writer, f"Mirror setup {n}-{i}", "", "Mirror it.", publish=True)
            feedback.vote(article, f"user:{writer.id}", i % 2 == 0)
            db.session.add(SearchLog(key=f"{n}-{i}", query=f"fax {n}-{i}", result_count=0))
        db.session.commit()

    articles = r'href="/kb/(\d+)/edit">Mirror setup'
    measure = partial(page_queries, client, "/staff/dashboard", articles)
    assert_constant_queries(measure, add, [(2, 2), (8, 10)])
