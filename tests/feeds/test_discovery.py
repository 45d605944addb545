"""The sitemap, robots.txt, canonical URLs and Open Graph tags."""

import re
import xml.etree.ElementTree as ET

from forum.feeds import sitemap
from forum.kb import services as kb
from forum.threads import services as threads
from tests import factories
from tests.pages import text
from tests.sql import assert_constant_queries, get_counted

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return [loc.text for loc in ET.fromstring(response.data).iter(f"{S}loc")]


def test_the_sitemap_lists_public_pages_only(client, staff, newcomer, category, thread):
    held = threads.create_thread(newcomer, category, "Cheap deals", factories.LINKY_BODY)
    published = kb.create(staff, "Move to a new laptop", "", "Sign in first.", publish=True)
    draft = kb.create(staff, "Secret draft", "", "Not yet.")
    found = locations(client, "/sitemap.xml")
    assert found == [
        "http://forum.test/",
        "http://forum.test/kb/",
        f"http://forum.test/c/{category.slug}",
        f"http://forum.test/threads/{thread.id}/{thread.slug}",
        f"http://forum.test/kb/{published.id}/{published.slug}",
    ]
    assert f"/threads/{held.id}/" not in " ".join(found)
    assert f"/kb/{draft.id}/" not in " ".join(found)
    root = ET.fromstring(client.get("/sitemap.xml").data)
    lastmod = root.find(f"{S}url[{S}loc='{found[3]}']/{S}lastmod").text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lastmod)


def test_past_the_limit_the_sitemap_becomes_an_index_of_pages(
    client, monkeypatch, customer, staff, category
):
    made = [factories.make_thread(customer, category, f"Question {n}") for n in range(4)]
    kb.create(staff, "Move to a new laptop", "", "Sign in first.", publish=True)
    monkeypatch.setattr(sitemap, "PAGE_SIZE", 3)  # 3 fixed pages + 4 threads + 1 article
    index = ET.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == f"{S}sitemapindex"
    pages = [loc.text for loc in index.iter(f"{S}loc")]
    assert pages == [f"http://forum.test/sitemap-{n}.xml" for n in (1, 2, 3)]
    every = sum((locations(client, page.removeprefix("http://forum.test")) for page in pages), [])
    assert len(every) == len(set(every)) == 8
    assert every[3] == f"http://forum.test/threads/{made[0].id}/{made[0].slug}"
    assert every[-1].startswith("http://forum.test/kb/")
    assert client.get("/sitemap-4.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_the_sitemap_reads_a_constant_number_of_times(client):
    """Categories, threads (each by its own asker) and articles (each by its own writer): more
    of each adds addresses, never queries."""

    def add(n):
        for i in range(n):
            place = factories.make_category()
            factories.make_thread(factories.make_user(), place, f"Question {n}-{i}")
            kb.create(factories.make_user("staff"), f"Article {n}-{i}", "", "Text.", place, True)

    def measure():
        response, statements = get_counted(client, "/sitemap.xml")
        assert response.status_code == 200
        return len(statements), len(ET.fromstring(response.data))

    # Home, KB, and per item 3 addresses.
    assert_constant_queries(measure, add, [(2, 2 + 3 * 2), (10, 2 + 3 * 12)])


def test_robots_keeps_crawlers_out_of_private_and_search_pages(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    for path in ("/admin/", "/moderation/", "/search", "/settings", "/notifications"):
        assert f"Disallow: {path}\n" in body
    assert "Sitemap: http://forum.test/sitemap.xml" in body


def meta(body, attribute, name):
    found = re.search(rf'<meta {attribute}="{name}" content="([^"]*)">', body)
    return found and found.group(1)


def canonical(body):
    return re.search(r'<link rel="canonical" href="([^"]*)">', body).group(1)


def test_a_thread_page_has_canonical_and_open_graph_tags(app, client, other_customer, thread):
    page = client.get(f"/threads/{thread.id}/{thread.slug}?utm_source=newsletter&ref=x")
    body = text(page)
    url = f"http://forum.test/threads/{thread.id}/{thread.slug}"
    assert canonical(body) == url, "tracking parameters never reach the canonical URL"
    assert meta(body, "property", "og:url") == url
    assert meta(body, "property", "og:title") == thread.title
    assert meta(body, "property", "og:description") == "How do I restore a deleted file?"
    assert meta(body, "property", "og:type") == "article"
    assert meta(body, "property", "og:site_name") == "Community forum"
    app.config["POSTS_PER_PAGE"] = 1
    factories.make_reply(other_customer, thread, "A reply on page two.")
    body = text(client.get(f"/threads/{thread.id}/{thread.slug}?page=2&utm_medium=mail"))
    assert canonical(body) == url + "?page=2", "the page number is kept"


def test_a_held_thread_has_no_canonical_tag_for_its_author(client, auth, newcomer, category):
    held = threads.create_thread(newcomer, category, "Cheap deals", factories.LINKY_BODY)
    auth.login(newcomer)
    body = text(client.get(f"/threads/{held.id}/{held.slug}"))
    assert 'rel="canonical"' not in body and "og:title" not in body


def test_category_and_kb_pages_have_canonical_and_open_graph_tags(client, staff, category):
    body = text(client.get(f"/c/{category.slug}?fbclid=abc"))
    assert canonical(body) == f"http://forum.test/c/{category.slug}"
    assert meta(body, "property", "og:title") == category.name
    assert meta(body, "property", "og:type") == "website"
    article = kb.create(
        staff,
        "Move to a new laptop",
        "Sign in on the new laptop.",
        "Sign in **first**.",
        publish=True,
    )
    body = text(client.get(f"/kb/{article.id}/{article.slug}"))
    assert canonical(body) == f"http://forum.test/kb/{article.id}/{article.slug}"
    assert meta(body, "property", "og:description") == "Sign in on the new laptop."
    assert meta(body, "name", "description") == "Sign in on the new laptop."


def test_open_graph_descriptions_are_plain_escaped_text(client, customer, category):
    made = factories.make_thread(
        customer, category, 'Quotes " and <tags>', 'A **bold** "claim" & <script>x</script>'
    )
    raw = client.get(f"/threads/{made.id}/{made.slug}").get_data(as_text=True)
    assert 'content="Quotes &#34; and &lt;tags&gt;"' in raw
    assert (
        'og:description" content="A bold &#34;claim&#34; &amp; &lt;script&gt;x&lt;/script&gt;"'
        in raw
    )


def test_the_favicon_is_linked_and_the_old_address_leads_to_it(client):
    assert 'rel="icon" href="/static/favicon.svg"' in text(client.get("/"))
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"] == "/static/favicon.svg"
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
