"""Searching through the API: the search service's results, what the caller may see, the
search log, cursors and errors."""

import pytest

from forum import outbox
from forum.extensions import db
from forum.search.models import SearchLog
from forum.threads import services
from tests import factories
from tests.api.conftest import bearer, question_of, set_status
from tests.limits import rate_limited_app
from tests.search_backends import broken_index


@pytest.fixture
def config_overrides(search_backend):
    """Each test runs on each search backend (tests/search_backends.py)."""
    return {"SEARCH_BACKEND": search_backend}


@pytest.fixture
def forum(customer, staff, category):
    """Three sync threads (one solved), an invoice thread in another category; indexed."""
    billing = factories.make_category("Billing", "billing")
    solved = factories.make_thread(customer, category, "Sync stops at 99 percent")
    services.accept_answer(staff, factories.make_reply(staff, solved, "Restart the sync."))
    factories.make_thread(customer, category, "Sync conflicts after rename")
    factories.make_thread(customer, category, "Sync is slow on Wi-Fi")
    factories.make_thread(customer, billing, "Invoice address", "Where do I change it?")
    outbox.drain()
    return {"solved": solved, "category": category}


def titles(response):
    assert response.status_code == 200, response.json
    return [item["title"] for item in response.json["items"]]


def logs():
    return db.session.execute(
        db.select(SearchLog.query, SearchLog.result_count, SearchLog.clicked_rank).order_by(
            SearchLog.id
        )
    ).all()


def test_search_finds_threads_with_snippets_and_links(client, forum):
    response = client.get("/api/v1/search?q=sync")
    assert sorted(titles(response)) == [
        "Sync conflicts after rename",
        "Sync is slow on Wi-Fi",
        "Sync stops at 99 percent",
    ]
    assert response.json["total"] == 3 and response.json["next_cursor"] is None
    first = response.json["items"][0]
    assert first["title"] == "Sync stops at 99 percent"  # solved threads rank higher
    assert set(first) == {"type", "id", "title", "url", "snippet", "score", "open_url"}
    assert first["type"] == "thread" and first["id"] == forum["solved"].id
    solved = forum["solved"]
    assert first["url"] == f"http://localhost/threads/{solved.id}/{solved.slug}"
    assert "<mark>" in first["snippet"] or "<mark>" in response.json["items"][1]["snippet"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "sync", "solved": "true"}, ["Sync stops at 99 percent"]),
        ({"q": "sync -conflicts -slow"}, ["Sync stops at 99 percent"]),
        ({"q": "where", "category": "billing"}, []),
        ({"q": "invoice", "category": "billing"}, ["Invoice address"]),
        ({"q": "invoice", "category": "sync-backup"}, []),
        ({"q": "sync", "type": "article"}, []),
    ],
)
def test_filters_narrow_the_results(client, forum, query, expected):
    assert titles(client.get("/api/v1/search", query_string=query)) == expected


def test_filters_override_operators_in_the_text(client, forum):
    response = client.get(
        "/api/v1/search", query_string={"q": "sync is:unsolved", "solved": "true"}
    )
    assert titles(response) == ["Sync stops at 99 percent"]


def test_results_leave_out_what_the_caller_may_not_see(client, forum, customer, moderator):
    """The index still holds the thread (no drain after hiding it); the API re-reads it."""
    set_status(question_of(forum["solved"]), "hidden")
    for headers in ({}, bearer(customer)):
        assert "Sync stops at 99 percent" not in titles(
            client.get("/api/v1/search?q=sync", headers=headers)
        )
    team = titles(client.get("/api/v1/search?q=sync", headers=bearer(moderator)))
    assert "Sync stops at 99 percent" in team


def test_pages_follow_the_cursor_without_repeats(app, client, forum):
    app.config["SEARCH_RESULTS_PER_PAGE"] = 2
    first = client.get("/api/v1/search?q=sync")
    second = client.get(
        "/api/v1/search", query_string={"q": "sync", "cursor": first.json["next_cursor"]}
    )
    assert len(titles(first)) == 2 and len(titles(second)) == 1
    assert not set(titles(first)) & set(titles(second))
    assert second.json["next_cursor"] is None
    assert second.json["total"] == 3


def test_search_is_logged_like_the_results_page(app, client, forum):
    app.config["SEARCH_RESULTS_PER_PAGE"] = 2
    first = client.get("/api/v1/search?q=  SYNC   carol@example.com")
    client.get("/api/v1/search", query_string={"q": "sync", "cursor": first.json["next_cursor"]})
    client.get("/api/v1/search")  # nothing to look for: not logged
    client.get("/api/v1/search?q=kangaroo")
    client.get("/api/v1/search/similar?title=sync stops")  # suggestions are not logged
    assert logs() == [("sync [email]", 3, None), ("kangaroo", 0, None)]
    assert client.get("/api/v1/search?q=sync").json["total"] == 3
    assert logs()[-1] == ("sync", 3, None)


def test_open_url_records_the_click_in_the_log(client, forum):
    items = client.get("/api/v1/search?q=sync").json["items"]
    response = client.get(items[1]["open_url"])
    assert response.status_code == 302
    assert (
        response.headers["Location"]
        == f"/threads/{items[1]['id']}/" + (items[1]["url"].rsplit("/", 1)[1])
    )
    assert logs() == [("sync", 3, 2)]


def test_no_query_finds_nothing(client, forum):
    response = client.get("/api/v1/search")
    assert response.json == {
        "items": [],
        "total": 0,
        "matched_any": False,
        "notices": [],
        "next_cursor": None,
    }


def test_odd_syntax_is_searched_as_words_with_a_notice(client, forum):
    response = client.get("/api/v1/search", query_string={"q": "sync colour:red"})
    assert response.status_code == 200
    assert response.json["notices"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"category": "nowhere"}, "category"),
        ({"solved": "yes"}, "solved"),
        ({"type": "video"}, "type"),
        ({"cursor": "not-ours"}, "cursor"),
        ({"cursor": "cDEwMQ"}, "cursor"),  # page 101, past the deepest page served
    ],
)
def test_bad_parameters_are_422(client, forum, query, field):
    response = client.get("/api/v1/search", query_string={"q": "sync", **query})
    assert response.status_code == 422
    assert field in response.json["error"]["details"]
    assert logs() == []


def test_missing_index_is_503_search_unavailable(app, client, customer, category):
    factories.make_thread(customer, category, "Never indexed")
    outbox.drain()
    with broken_index(app):
        response = client.get("/api/v1/search?q=indexed")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "search_unavailable"
    assert logs() == []


def test_similar_lists_solved_threads_like_a_title(client, forum):
    response = client.get("/api/v1/search/similar?title=Why does sync stop?")
    assert titles(response) == ["Sync stops at 99 percent"]
    assert set(response.json["items"][0]) == {"type", "id", "title", "url", "snippet", "score"}
    assert client.get("/api/v1/search/similar").json == {"items": []}


def test_similar_without_an_index_is_empty_not_an_error(client):
    assert client.get("/api/v1/search/similar?title=sync stops").json == {"items": []}


@pytest.fixture
def limited_client(tmp_path):
    app = rate_limited_app(tmp_path, SEARCH_RATE_LIMIT="2 per minute")
    with app.app_context():
        yield app.test_client()
        db.session.remove()


def test_search_endpoints_share_the_search_rate_limit(limited_client):
    codes = [
        limited_client.get(url).status_code
        for url in ("/api/v1/search", "/api/v1/search/similar", "/api/v1/search")
    ]
    assert codes == [200, 200, 429]
    assert limited_client.get("/api/v1/threads").status_code == 200
