"""Under faults: a search index that is gone or full of garbage, and a database that cannot be
reached or read. The forum keeps answering with pages that say what is wrong, in its own look,
without a stack trace."""

import os
import shutil

import pytest

from config import TestingConfig
from forum import create_app, outbox
from forum.extensions import db
from forum.search import index
from forum.threads.models import Post
from tests import routes

REBUILDING = "Search is being rebuilt"


def break_index(app, how):
    index.forget()
    directory = app.config["SEARCH_INDEX_DIR"]
    if how == "deleted":
        shutil.rmtree(directory)
        return
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), "wb") as damaged:
            damaged.write(b"\x00garbage\xff" * 64)
    with open(os.path.join(directory, "MAIN_stray.toc"), "wb") as stray:
        stray.write(os.urandom(256))


@pytest.fixture
def scenario(app):
    return routes.build_scenario()


@pytest.mark.parametrize("how", ["deleted", "garbage"])
def test_every_page_answers_without_a_usable_search_index(app, scenario, how):
    break_index(app, how)
    client = routes.signed_in_client(app, "admin")
    failures = []
    for endpoint, _rule, arguments, method in (case.values for case in routes.ROUTE_CASES):
        if method != "GET":
            continue
        url = routes.build_url(app, endpoint, arguments, scenario)
        response = client.get(url, query_string={"q": "sync", "title": "sync stops"})
        if response.status_code >= 500 and url != "/api/v1/search":
            failures.append((url, response.status_code))
    assert failures == []
    page = client.get("/search", query_string={"q": "sync"})
    assert page.status_code == 200 and REBUILDING in page.get_data(as_text=True)
    api = client.get("/api/v1/search", query_string={"q": "sync"})
    assert api.status_code == 503  # documented: the API says so in its own words
    assert api.json["error"] == {
        "code": "search_unavailable",
        "message": "Search is being rebuilt; try again in a few minutes.",
    }
    assert client.get("/search/similar", query_string={"title": "sync stops"}).json == {"items": []}


@pytest.mark.parametrize("how", ["deleted", "garbage"])
def test_posting_without_an_index_keeps_the_events_and_reindex_restores_search(
    app, runner, scenario, how
):
    break_index(app, how)
    client = routes.signed_in_client(app, "customer")
    thread = f"/threads/{scenario['thread_id']}/{scenario['thread_slug']}"
    response = client.post(
        f"/threads/{scenario['thread_id']}/reply", data={"body": "Hydraulic pump fixed it."}
    )
    assert response.status_code == 302
    assert "Hydraulic pump fixed it." in client.get(thread).get_data(as_text=True)
    search = client.get("/search", query_string={"q": "hydraulic"})
    assert REBUILDING in search.get_data(as_text=True)  # not a half-built index
    health = client.get("/healthz").json
    assert health["search_index"] in ("missing", "unreadable") and health["outbox_backlog"] > 0

    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    search = client.get("/search", query_string={"q": "hydraulic"}).get_data(as_text=True)
    assert REBUILDING not in search and "Sync stops at 99 percent" in search
    older = client.get("/search", query_string={"q": "restore deleted folder"})
    assert "Restore a deleted folder" in older.get_data(as_text=True)
    assert client.get("/healthz").json["search_index"] == "ok"
    outbox.drain()  # the queued events, applied to the rebuilt index, change nothing
    assert client.get("/healthz").json["outbox_backlog"] == 0


def test_a_new_forum_builds_its_index_from_its_first_question(app, client, customer, category):
    from tests import factories

    assert index.status()["status"] == "missing"
    factories.make_thread(customer, category, "First question about tractors")
    outbox.drain()
    assert index.status() == {"status": "ok", "documents": 1}


# The database ---------------------------------------------------------------------------------


def unreachable_app(tmp_path, url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SEARCH_INDEX_DIR = str(tmp_path / "index")
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {}}

    if url.startswith("postgresql"):
        Config.SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"connect_timeout": 2}}
    return create_app(Config)


def closed_port_url():
    return "postgresql+psycopg://forum:secret-password@127.0.0.1:9/forum"


def garbage_file_url(tmp_path):
    path = tmp_path / "forum.db"
    path.write_bytes(b"this is not a database at all\x00" * 200)
    return f"sqlite:///{path}"


DATABASES = {
    "postgresql at a closed port": (
        lambda tmp_path: closed_port_url(),
        "the database server refuses connections",
    ),
    "sqlite path that is a directory": (
        lambda tmp_path: f"sqlite:///{tmp_path}",
        "the database file cannot be opened",
    ),
    "sqlite file of garbage": (
        garbage_file_url,
        "the database file is damaged or is not a database",
    ),
}
LEAKS = ("Traceback", "sqlalchemy", "psycopg", "sqlite3", "secret-password", 'File "')


def assert_no_leak(body, tmp_path):
    for leak in (*LEAKS, str(tmp_path)):
        assert leak not in body, f"{leak!r} in the response"


@pytest.mark.parametrize("database", DATABASES, ids=str)
def test_database_down_gives_503_pages_json_and_a_health_reason(tmp_path, database):
    url, detail = DATABASES[database]
    app = unreachable_app(tmp_path, url(tmp_path))
    client = app.test_client()
    for path in ("/", "/threads/1/anything", "/search?q=sync", "/u/carol"):
        response = client.get(path)
        assert response.status_code == 503, path
        body = response.get_data(as_text=True)
        assert "<h1>Temporarily unavailable</h1>" in body and "Try again" in body
        assert_no_leak(body, tmp_path)
    signing_in = client.post("/auth/login", data={"username": "carol", "password": "x" * 12})
    assert signing_in.status_code == 503
    for path in ("/api/v1/threads", "/api/v1/categories"):
        response = client.get(path)
        assert response.status_code == 503
        assert response.json["error"]["code"] == "unavailable"
        assert_no_leak(response.get_data(as_text=True), tmp_path)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["status"] == "error" and health.json["database"] == "unreachable"
    assert health.json["detail"] == detail
    assert_no_leak(health.get_data(as_text=True), tmp_path)


def test_an_integrity_bug_stays_a_500_not_a_503(app, client, customer, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    def broken():
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    app.view_functions["categories.index"] = broken
    response = client.get("/")
    assert response.status_code == 500
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
