"""`flask search reindex` and `flask search check`, and /healthz (on each backend)."""

import os
import shutil

from forum.extensions import db
from forum.search import index
from tests.factories import make_reply, make_thread
from tests.search_backends import POSTGRES_ONLY, WHOOSH_ONLY, broken_index, documents


def make_threads(customer, category, n=3):
    return [make_thread(customer, category, f"Tractor question {i}") for i in range(n)]


def test_reindex_builds_the_index_from_the_database(runner, customer, category, find):
    make_threads(customer, category)
    assert find("tractor") == []  # nothing drained: the index does not exist yet
    result = runner.invoke(args=["search", "reindex", "--procs", "1"])
    assert result.exit_code == 0, result.output
    assert "Indexed 3 document(s)" in result.output and "documents/s" in result.output
    assert len(find("tractor")) == 3


def test_reindex_replaces_stale_content_and_drops_invisible_threads(
    runner, customer, staff, category, drain, find
):
    kept, hidden, _ = make_threads(customer, category)
    drain()
    hidden.status = "hidden"
    make_reply(staff, kept, "Check the hydraulic valve.")  # not drained
    db.session.commit()
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert find("hydraulic") == [kept.title]
    assert hidden.title not in find("tractor")
    assert documents() == 2


@WHOOSH_ONLY
def test_reindex_repairs_a_damaged_index(app, runner, customer, category, drain, find):
    make_threads(customer, category)
    drain()
    index.forget()
    directory = app.config["SEARCH_INDEX_DIR"]
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), "wb") as damaged:
            damaged.write(b"junk")
    assert index.status()["status"] == "unreadable"
    result = runner.invoke(args=["search", "reindex", "--if-missing"])
    assert result.exit_code == 0, result.output
    assert len(find("tractor")) == 3
    assert not os.path.exists(directory + ".rebuild")


def test_reindex_if_missing_leaves_a_good_index_alone(runner, customer, category, drain):
    make_threads(customer, category)
    drain()
    result = runner.invoke(args=["search", "reindex", "--if-missing"])
    assert "nothing to do" in result.output


def test_check_reports_missing_stale_and_extra_documents(
    app, runner, customer, staff, category, drain
):
    first, second, third = make_threads(customer, category)
    drain()
    make_reply(staff, first, "Stale now.")  # edited without a drain
    third.status = "removed"
    fourth = make_thread(customer, category, "Never drained")
    db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"missing: 1 (thread ids {fourth.id})" in result.output
    assert f"stale: 1 (thread ids {first.id})" in result.output
    assert f"extra: 1 (thread ids {third.id})" in result.output
    fixed = runner.invoke(args=["search", "check", "--fix"])
    assert fixed.exit_code == 0 and "Fixed 3 document(s)" in fixed.output
    again = runner.invoke(args=["search", "check"])
    assert again.exit_code == 0 and "The index matches the database." in again.output


def test_check_without_an_index_says_to_reindex(app, runner, customer, category):
    make_threads(customer, category, 1)  # never drained: nothing was ever indexed
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "search reindex" in result.output


def test_healthz_reports_the_backend_and_the_index(
    app, client, customer, category, drain, search_backend
):
    make_threads(customer, category, 2)
    assert client.get("/healthz").json["search_index"] == "missing"  # nothing indexed yet
    drain()
    health = client.get("/healthz").json
    assert health["search_backend"] == search_backend
    assert health["search_index"] == "ok" and health["search_documents"] == 2
    assert health["outbox_backlog"] == 0


@WHOOSH_ONLY
def test_healthz_without_a_whoosh_index_still_answers(app, client, customer, category, drain):
    assert client.get("/healthz").json["search_index"] == "missing"
    make_threads(customer, category, 2)
    drain()
    index.forget()
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    assert client.get("/healthz").status_code == 200


@POSTGRES_ONLY
def test_healthz_reports_an_unreadable_postgres_index(app, client, customer, category, drain):
    make_threads(customer, category, 1)
    drain()
    with broken_index(app):
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json["search_index"] == "unreadable"
    assert client.get("/healthz").json["search_index"] == "ok"


@POSTGRES_ONLY
def test_reindex_says_when_the_search_table_outgrows_postgresqls_buffer_cache(
    runner, customer, category, monkeypatch
):
    from forum.search import pg_index

    make_threads(customer, category)
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "shared_buffers" not in result.output  # a few documents fit the cache

    # A million posts' table (~1 GB) against PostgreSQL's default cache.
    sizes = "SELECT CAST(1073741824 AS bigint), pg_size_bytes('128MB')"
    monkeypatch.setattr(pg_index, "CACHE_SIZES", db.text(sizes))
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert (
        "The search table (1,024 MB) is larger than PostgreSQL's buffer cache "
        "(shared_buffers, 128 MB)" in result.output
    )
