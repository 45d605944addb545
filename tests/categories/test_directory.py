"""The search pages' list of categories, kept per process (forum/categories/directory.py)."""

import re

from sqlalchemy import insert

from forum import outbox
from forum.categories import directory
from forum.categories.models import Category
from forum.extensions import db
from tests import factories
from tests.pages import text
from tests.sql import get_counted

OPTION = re.compile(r'<option value="([a-z0-9-]+)"[^>]*>([^<]+)</option>')


def category_options(response):
    """``{slug: name}`` of the search form's category filter."""
    form = text(response)
    start = form.index('<select name="category">')
    return dict(OPTION.findall(form[start : form.index("</select>", start)]))


def category_reads(statements):
    return [s for s in statements if re.search(r"\bFROM categories\b", s)]


def insert_elsewhere(name, slug):
    """A category added as another process would: no ORM object in this process's session."""
    db.session.execute(insert(Category).values(name=name, slug=slug, description="", position=9))
    db.session.commit()


def test_search_pages_after_the_first_do_not_read_the_categories(client, category):
    listed = {category.slug: category.name}
    first, statements = get_counted(client, "/search?q=restore")
    assert category_options(first) == listed
    assert len(category_reads(statements)) == 1
    again, statements = get_counted(client, "/search?q=restore")
    assert category_options(again) == listed
    assert category_reads(statements) == []


def test_a_change_in_this_process_shows_at_once(client, auth, admin, category):
    client.get("/search")
    auth.login(admin)
    response = client.post(
        "/admin/categories", data={"name": "Billing", "slug": "billing", "description": ""}
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/categories/{category.id}/edit",
        data={"name": "Sync and backup", "slug": category.slug, "description": ""},
    )
    assert response.status_code == 302
    options = category_options(client.get("/search"))
    assert options == {category.slug: "Sync and backup", "billing": "Billing"}


def test_another_process_change_shows_within_the_cache_time(monkeypatch, client, category):
    assert list(category_options(client.get("/search"))) == [category.slug]
    insert_elsewhere("Billing", "billing")
    assert list(category_options(client.get("/search"))) == [category.slug]
    later = directory.time.monotonic() + 31
    monkeypatch.setattr(directory.time, "monotonic", lambda: later)
    assert list(category_options(client.get("/search"))) == [category.slug, "billing"]


def test_a_slug_not_yet_in_the_list_is_still_searched(client, customer, category):
    client.get("/search")
    insert_elsewhere("Billing", "billing")
    billing = db.session.scalar(db.select(Category).where(Category.slug == "billing"))
    factories.make_thread(customer, billing, "Refund for a double charge")
    factories.make_thread(customer, category, "Refund of storage credit")
    outbox.drain()
    page = text(client.get("/search?q=refund+category:billing"))
    assert "Refund for a double charge" in page and "Refund of storage credit" not in page
    assert "There is no category" not in page
    page = text(client.get("/search?q=refund+category:nowhere"))
    assert "There is no category “nowhere”, so all categories were searched." in page
    assert "Refund for a double charge" in page and "Refund of storage credit" in page


def test_zero_seconds_turns_the_cache_off(app, client, category):
    app.config["CATEGORY_CACHE_SECONDS"] = 0
    for _ in range(2):
        _response, statements = get_counted(client, "/search?q=restore")
        assert len(category_reads(statements)) == 1
