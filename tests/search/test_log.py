"""The search log and the staff page over it."""

import re

import pytest

from forum.extensions import db
from forum.search.models import SearchLog
from tests.factories import make_thread


@pytest.fixture
def threads(customer, category, drain):
    for title in ("Sync stops at 99 percent", "Sync conflicts", "Invoice question"):
        make_thread(customer, category, title)
    drain()


def logs():
    return db.session.scalars(db.select(SearchLog).order_by(SearchLog.id)).all()


def test_each_search_is_logged_normalised_without_identity(client, auth, customer, threads):
    auth.login(customer)
    client.get("/search?q=  SYNC   is:solved  carol@example.com")
    client.get("/search?q=sync")
    client.get("/search?q=kangaroo")
    assert [(log.query, log.result_count) for log in logs()] == [
        ("sync [email] is:solved", 0),
        ("sync", 2),
        ("kangaroo", 0),
    ]
    columns = {c.name for c in SearchLog.__table__.columns}
    assert columns == {
        "id",
        "key",
        "day",
        "query",
        "result_count",
        "clicked_rank",
        "clicked_type",
        "clicked_id",
    }


def test_empty_searches_and_later_pages_are_not_logged(app, client, threads):
    app.config["SEARCH_RESULTS_PER_PAGE"] = 1
    client.get("/search")
    client.get("/search?q=sync&page=2")
    assert logs() == []


def test_clicks_record_the_first_result_opened(client, threads):
    page = client.get("/search?q=sync").get_data(as_text=True)
    links = re.findall(r'class="hit-title" rel="nofollow" href="([^"]+)"', page)
    assert len(links) == 2
    second = links[1].replace("&amp;", "&")
    response = client.get(second)
    assert response.status_code == 302 and response.headers["Location"].startswith("/threads/")
    client.get(links[0].replace("&amp;", "&"))
    log = logs()[0]
    assert (log.clicked_rank, log.clicked_type) == (2, "thread")
    assert f"/threads/{log.clicked_id}/" in response.headers["Location"]


def test_clicks_on_later_pages_count_for_the_original_search(app, client, threads):
    app.config["SEARCH_RESULTS_PER_PAGE"] = 1
    first = client.get("/search?q=sync").get_data(as_text=True)
    next_page = re.search(r'rel="next" href="([^"]+)"', first)[1].replace("&amp;", "&")
    second = client.get(next_page).get_data(as_text=True)
    link = re.search(r'class="hit-title" rel="nofollow" href="([^"]+)"', second)[1]
    client.get(link.replace("&amp;", "&"))
    assert len(logs()) == 1 and logs()[0].clicked_rank == 2


def test_unknown_log_keys_change_nothing_and_odd_ranks_are_capped(client, threads):
    client.get("/search?q=sync")
    assert client.get("/search/go/thread/1?log=forged&rank=1").status_code == 302
    assert logs()[0].clicked_id is None
    key = logs()[0].key
    assert client.get(f"/search/go/thread/1?log={key}&rank={'9' * 30}").status_code == 302
    assert logs()[0].clicked_rank == 10_000
    assert client.get(f"/search/go/thread/1?log={key}&rank=1").status_code == 302
    assert logs()[0].clicked_rank == 10_000  # the first click stays


def test_result_links_to_missing_things_are_404(client, threads):
    assert client.get("/search/go/thread/999").status_code == 404
    assert client.get("/search/go/article/1").status_code == 404
    assert client.get("/search/go/thread/99999999999999999999").status_code == 404


@pytest.mark.parametrize(
    "role, status",
    [
        (None, 302),
        ("customer", 403),
        ("other_customer", 403),
        ("moderator", 403),
        ("staff", 200),
        ("admin", 200),
    ],
)
def test_search_log_page_access(client, auth, users, role, status):
    if role:
        auth.login(users[role])
    assert client.get("/search/log").status_code == status


def test_search_log_page_shows_top_queries_zero_results_and_click_through(
    client, auth, staff, threads
):
    for q in ("sync", "sync", "kangaroo", "kangaroo", "kangaroo", "invoice"):
        client.get("/search", query_string={"q": q})
    client.get("/search/go/thread/1?log=" + logs()[0].key + "&rank=1")
    auth.login(staff)
    page = client.get("/search/log?days=7").get_data(as_text=True)
    top, zero = page.split("Top queries with no results")
    assert top.index(">kangaroo<") < top.index(">sync<") < top.index(">invoice<")
    assert ">kangaroo<" in zero and ">sync<" not in zero
    assert "33%" in page  # one click among three searches that found something
    assert "Search log" in client.get("/").get_data(as_text=True)


def test_staff_header_link_only_for_staff(client, auth, moderator):
    auth.login(moderator)
    assert 'href="/search/log"' not in client.get("/").get_data(as_text=True)
