"""Visitors' thread pages come from the process's cache until the thread changes."""

import pytest

from forum import pagecache
from forum.extensions import db
from forum.moderation import services as moderation
from forum.pagecache import Page, PageCache, cache_of
from forum.threads.models import Thread
from tests.factories import make_reply
from tests.threads.test_queries import counted_queries


@pytest.fixture
def config_overrides():
    # Every hit asks the database, so each change must show on the very next request.
    return {"PAGE_CACHE_SECONDS": 30, "PAGE_CACHE_CHECK_SECONDS": 0}


def visit(client, thread):
    url = f"/threads/{thread.id}/{thread.slug}"
    db.session.expire_all()  # each request reads afresh, as in production
    with counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def test_a_visitor_gets_the_kept_page_after_one_query(app, client, thread, staff):
    make_reply(staff, thread, "Restart the sync agent.")
    first, queries = visit(client, thread)
    again, cached_queries = visit(client, thread)
    assert again == first and "Restart the sync agent." in again
    assert cached_queries == 1 < queries
    assert len(cache_of(app).pages) == 1


def test_a_new_reply_shows_at_once(client, thread, staff):
    visit(client, thread)
    make_reply(staff, thread, "Check the proxy settings.")
    page, queries = visit(client, thread)
    assert "Check the proxy settings." in page
    assert queries > 1


def test_a_hidden_post_disappears_at_once(client, thread, staff, moderator):
    reply = make_reply(staff, thread, "Call 555-0199 for instant recovery.")
    assert "instant recovery" in visit(client, thread)[0]
    moderation.remove(moderator, reply, spam=True, version=reply.review_version)
    assert "instant recovery" not in visit(client, thread)[0]


def test_every_event_about_the_thread_bumps_its_version(thread, staff):
    before = db.session.get(Thread, thread.id).version
    make_reply(staff, thread, "One more reply.")
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).version == before + 1


def test_signed_in_pages_are_never_kept_nor_served_from_the_cache(
    app, client, auth, thread, customer
):
    visit(client, thread)  # a visitor's page is kept
    auth.login(customer)
    page, queries = visit(client, thread)
    assert 'name="csrf_token"' in page  # the reply form, with this session's token
    assert queries > 1
    assert len(cache_of(app).pages) == 1
    auth.logout()
    assert 'name="csrf_token"' not in visit(client, thread)[0]


def test_a_page_carrying_a_flash_message_is_not_kept(app, client, thread):
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Signed out.")]
    page, _ = visit(client, thread)
    assert "Signed out." in page
    assert len(cache_of(app).pages) == 0
    assert "Signed out." not in visit(client, thread)[0]


def test_changes_without_an_event_show_after_the_maximum_age(
    app, client, thread, customer, monkeypatch
):
    customer.role = "staff"  # a role badge changes without an event about the thread
    db.session.commit()
    visit(client, thread)
    assert visit(client, thread)[1] == 1  # still the kept page
    clock = [pagecache.time.monotonic() + 31]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    assert visit(client, thread)[1] > 1  # older than PAGE_CACHE_SECONDS: rendered again


def test_off_when_page_cache_seconds_is_zero(app, client, thread):
    app.config["PAGE_CACHE_SECONDS"] = 0
    visit(client, thread)
    assert visit(client, thread)[1] > 1
    assert "page_cache" not in app.extensions


def test_within_the_check_interval_a_busy_page_is_served_without_any_query(
    app, client, thread, staff, monkeypatch
):
    app.config["PAGE_CACHE_CHECK_SECONDS"] = 1
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    visit(client, thread)
    assert visit(client, thread)[1] == 0
    make_reply(staff, thread, "Clear the browser cache.")
    assert "Clear the browser cache." not in visit(client, thread)[0]  # within the second
    clock[0] += 1.5
    page, queries = visit(client, thread)
    assert "Clear the browser cache." in page and queries > 1


def test_the_cache_forgets_the_least_recently_used_pages_beyond_its_size():
    cache = PageCache(max_bytes=10)
    for key in "abc":
        cache.put(key, Page(b"1234", 200, [], None, 0.0, 0.0))
    assert list(cache.pages) == ["b", "c"] and cache.size == 8
    assert cache.get("b", max_age=float("inf")) is not None
    cache.put("d", Page(b"1234", 200, [], None, 0.0, 0.0))
    assert list(cache.pages) == ["b", "d"]


def test_a_thread_made_invisible_is_not_served_to_visitors(client, thread):
    visit(client, thread)
    thread_row = db.session.get(Thread, thread.id)
    thread_row.status = "hidden"  # changed without an event: the status is part of the key
    db.session.commit()
    assert client.get(f"/threads/{thread.id}/{thread.slug}").status_code == 404
