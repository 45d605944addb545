"""Atom feeds: well-formed, escaped, sanitised, public content only, constant queries."""

import xml.etree.ElementTree as ET

import pytest

from forum import outbox
from forum.extensions import db
from forum.kb.models import Article
from forum.moderation import services as moderation
from forum.threads import services as threads
from tests import factories
from tests.sql import counted_queries

A = "{http://www.w3.org/2005/Atom}"


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)


def titles(root):
    return [entry.find(f"{A}title").text for entry in root.iter(f"{A}entry")]


@pytest.fixture
def hostile_thread(customer, category):
    return factories.make_thread(
        customer,
        category,
        'Sync & <b>"backup"</b> fails',
        "Body with <script>alert(1)</script> and **bold** and \x0b a control character.",
    )


def test_the_latest_feed_is_atom_with_escaped_titles_and_sanitised_html(
    client, hostile_thread, thread
):
    root = feed(client, "/feeds/latest.atom")
    assert root.find(f"{A}id").text == "http://forum.test/feeds/latest.atom"
    assert root.find(f"{A}link[@rel='alternate']").get("href") == "http://forum.test/"
    assert set(titles(root)) == {'Sync & <b>"backup"</b> fails', thread.title}
    entry = next(e for e in root.iter(f"{A}entry") if "backup" in e.find(f"{A}title").text)
    assert entry.find(f"{A}id").text == f"http://forum.test/threads/{hostile_thread.id}"
    assert entry.find(f"{A}link").get("href") == (
        f"http://forum.test/threads/{hostile_thread.id}/{hostile_thread.slug}"
    )
    assert entry.find(f"{A}author/{A}name").text == "carol"
    content = entry.find(f"{A}content")
    assert content.get("type") == "html"
    assert "<strong>bold</strong>" in content.text
    assert "<script>" not in content.text and "&lt;script&gt;" in content.text
    assert entry.find(f"{A}updated").text.endswith("Z")


def test_held_hidden_and_deleted_threads_stay_out_of_every_feed(
    client, customer, other_customer, newcomer, moderator, category, thread
):
    held = threads.create_thread(newcomer, category, "Cheap deals", factories.LINKY_BODY)
    removed = factories.make_reply(other_customer, thread, "A rude reply")
    moderation.remove(moderator, removed, reason="rude", version=removed.review_version)
    gone = factories.make_thread(customer, category, "Asked by mistake")
    threads.delete_post(customer, _question(gone))
    for url in ("/feeds/latest.atom", f"/feeds/c/{category.slug}.atom"):
        assert titles(feed(client, url)) == [thread.title]
    posts = feed(client, f"/feeds/threads/{thread.id}.atom")
    assert "A rude reply" not in ET.tostring(posts, encoding="unicode")
    assert client.get(f"/feeds/threads/{held.id}.atom").status_code == 404
    assert client.get(f"/feeds/threads/{gone.id}.atom").status_code == 404


def _question(thread):
    from forum.threads.models import Post

    return db.session.scalar(
        db.select(Post).where(Post.thread_id == thread.id, Post.is_question.is_(True))
    )


def test_a_category_feed_has_only_its_threads(client, customer, thread):
    other = factories.make_category("Billing", "billing")
    factories.make_thread(customer, other, "Invoice in euros")
    assert titles(feed(client, "/feeds/c/billing.atom")) == ["Invoice in euros"]
    assert client.get("/feeds/c/no-such-category.atom").status_code == 404


def test_a_thread_feed_lists_its_posts_newest_first(client, other_customer, staff, thread):
    factories.make_reply(other_customer, thread, "Same here.")
    factories.make_reply(staff, thread, "Fixed in **4.2**.")
    root = feed(client, f"/feeds/threads/{thread.id}.atom")
    assert titles(root) == ["Reply by stacy", "Reply by oscar", thread.title]
    assert "<strong>4.2</strong>" in root.find(f"{A}entry/{A}content").text


def test_the_kb_feed_has_published_articles_only(client, staff, category):
    from forum.kb import services as kb

    kb.create(staff, "Move to a new laptop", "Sign in.", "Sign in **first**.", publish=True)
    kb.create(staff, "Secret draft", "", "Not yet.")
    root = feed(client, "/feeds/kb.atom")
    assert titles(root) == ["Move to a new laptop"]
    entry = root.find(f"{A}entry")
    assert entry.find(f"{A}summary").text == "Sign in."
    assert "<strong>first</strong>" in entry.find(f"{A}content").text
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 2


@pytest.mark.parametrize("kind", ["latest", "category", "thread", "kb"])
def test_a_feed_reads_a_constant_number_of_times(client, staff, category, kind):
    from forum.categories.models import Category
    from forum.kb import services as kb
    from forum.users.models import User

    ids = [factories.make_trusted_user().id for _ in range(4)] + [staff.id]
    slug = category.slug

    def build(n, tag):
        """``n`` threads with a reply each and ``n`` articles; the session starts empty after
        every measurement, so everything is read again."""
        helpers = [db.session.get(User, id) for id in ids]
        where = db.session.scalar(db.select(Category).filter_by(slug=slug))
        for i in range(n):
            thread = factories.make_thread(helpers[i % 5], where, f"Question {tag} {i}")
            factories.make_reply(helpers[(i + 1) % 5], thread, "Reply.")
            kb.create(helpers[4], f"Article {tag} {i}", "", "Body.", publish=True)
        for i in range(n):  # the last thread's own feed grows too
            factories.make_reply(helpers[i % 5], thread, f"More {i}.")
        return thread.id

    def count(last):
        url = {
            "latest": "/feeds/latest.atom",
            "category": f"/feeds/c/{slug}.atom",
            "thread": f"/feeds/threads/{last}.atom",
            "kb": "/feeds/kb.atom",
        }[kind]
        outbox.drain()
        db.session.remove()
        with counted_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        return len(statements), response.data.count(b"<entry>")

    few, many = count(build(2, "few")), count(build(12, "many"))
    assert few[1] < many[1], "the second feed has more entries"
    assert few[0] == many[0], f"{few} vs {many}"


def test_pages_point_to_their_feeds(client, thread, category):
    pages = {
        "/": "http://forum.test/feeds/latest.atom",
        f"/c/{category.slug}": f"http://forum.test/feeds/c/{category.slug}.atom",
        f"/threads/{thread.id}/{thread.slug}": f"http://forum.test/feeds/threads/{thread.id}.atom",
        "/kb/": "http://forum.test/feeds/kb.atom",
    }
    for page, url in pages.items():
        body = client.get(page).get_data(as_text=True)
        assert 'type="application/atom+xml"' in body and f'href="{url}"' in body, page
