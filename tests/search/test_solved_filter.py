"""Solved and unsolved are about threads: KB articles are answers, and match neither."""

import pytest

from forum.extensions import db
from forum.kb import services as kb
from forum.search.models import SearchLog
from forum.threads import services
from tests.factories import make_reply, make_thread

ARTICLE = "How to restore deleted files"
OPEN = "Restore stops at 97 percent"
SOLVED = "Restore a deleted folder"


@pytest.fixture
def restores(customer, staff, category, drain):
    """An open thread, a solved thread and a published article, all about restoring."""
    make_thread(customer, category, OPEN, "The restore fails every time.")
    solved = make_thread(customer, category, SOLVED, "I deleted it by mistake.")
    services.accept_answer(staff, make_reply(staff, solved, "Open Trash and restore it."))
    body = "Open **Trash** and choose *Restore*."
    kb.create(staff, ARTICLE, "Restore anything deleted.", body, category, publish=True)
    drain()


def logged():
    return db.session.execute(db.select(SearchLog.query, SearchLog.result_count)).all()


def test_unsolved_finds_open_threads_and_never_articles(client, find, restores):
    assert find("restore") == [ARTICLE, SOLVED, OPEN]  # the article is indexed, and ranks first
    assert find("restore is:unsolved") == [OPEN]
    assert find("restore", solved="unsolved") == [OPEN]
    assert find("restore is:unsolved in:kb") == [] and find("restore in:kb") == [ARTICLE]
    response = client.get("/api/v1/search", query_string={"q": "restore", "solved": "false"})
    assert response.json["total"] == 1
    assert [(i["type"], i["title"]) for i in response.json["items"]] == [("thread", OPEN)]
    # The operator, the page's control and the API's parameter: one query, logged with 1 result.
    assert [count for query, count in logged() if query == "restore is:unsolved"] == [1, 1, 1]
    # Solved, the other value of the same filter, is about threads too.
    assert find("restore is:solved") == [SOLVED]
    response = client.get("/api/v1/search", query_string={"q": "restore", "solved": "true"})
    assert [(i["type"], i["title"]) for i in response.json["items"]] == [("thread", SOLVED)]
