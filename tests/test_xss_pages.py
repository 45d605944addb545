"""Every XSS payload through real pages: as a post's body and a thread's title (on the thread,
in the category list and on the author's profile), as a username at registration, and as a
name already in the database. Each page is parsed as a browser would and must hold no script
but the site's own files, no event handler, no dangerous style and no URL with a scheme other
than http, https or mailto."""

import json

import html5lib

from forum.extensions import db
from forum.threads import services as threads
from forum.threads.errors import ContentError
from forum.users.models import User
from tests.xss import load_payloads, script_problems

PAYLOADS = load_payloads()


def own_script(element, attributes):
    """The site's scripts: files under /static with nothing inline, and the thread page's
    structured data, which must still be one whole JSON document (a payload that broke out of
    it would leave it cut short)."""
    content = "".join(element.itertext())
    if attributes.get("type") == "application/ld+json":
        json.loads(content)
        return "<" not in content
    return attributes.get("src", "").startswith("/static/") and not content


def page_problems(response, status=200):
    assert response.status_code == status, response.status_code
    return script_problems(
        response.get_data(as_text=True), fragment=False, allowed_script=own_script
    )


def heading(response):
    document = html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)
    return "".join(document.find(".//h1").itertext())


def test_the_check_accepts_the_site_itself(client, thread):
    assert page_problems(client.get("/")) == []
    assert page_problems(client.get(f"/threads/{thread.id}/{thread.slug}")) == []


def test_every_payload_is_inert_as_a_post_and_a_title(app, client, staff, category):
    failures, refused = [], 0
    for n, payload in enumerate(PAYLOADS):
        try:
            thread = threads.create_thread(staff, category, f"Q{n} {payload}"[:200], payload)
        except ContentError:
            db.session.rollback()
            refused += 1
            continue
        response = client.get(f"/threads/{thread.id}/{thread.slug}")
        if problems := page_problems(response):
            failures.append((payload, problems))
        if heading(response) != thread.title:  # the title is shown as text, never as markup
            failures.append((payload, f"title shown as {heading(response)!r}"))
    assert refused == sum("\x00" in payload for payload in PAYLOADS)  # NUL: a clear error
    pages = len(PAYLOADS) // app.config["THREADS_PER_PAGE"] + 1
    for page in range(1, pages + 1):
        if problems := page_problems(client.get(f"/c/{category.slug}?page={page}")):
            failures.append((f"category page {page}", problems))
    for listing in ("/", f"/u/{staff.username}"):
        if problems := page_problems(client.get(listing)):
            failures.append((listing, problems))
    assert not failures, "\n".join(map(repr, failures[:20]))


def test_payloads_are_refused_as_usernames(client):
    accepted = []
    for n, payload in enumerate(PAYLOADS):
        name = payload[:30]
        response = client.post(
            "/auth/register",
            data={
                "username": name,
                "email": f"x{n}@example.com",
                "password": "purple otters juggle",
                "confirm": "purple otters juggle",
            },
        )
        if response.status_code != 400:
            accepted.append(name)
            client.post("/auth/logout")
        else:
            assert not page_problems(response, status=400), name
    assert accepted == []
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_hostile_name_already_in_the_database_is_shown_as_text(client, staff, thread):
    """Names made before today's rules (an import, an older version) are escaped all the same."""
    threads.reply(staff, thread, "A reply by a renamed account.")
    failures = []
    for payload in PAYLOADS[::7]:
        staff.username = payload[:30]
        db.session.commit()
        response = client.get(f"/threads/{thread.id}/{thread.slug}")
        if problems := page_problems(response):
            failures.append((payload, problems))
        if problems := page_problems(client.get("/")):
            failures.append((payload, problems))
    assert not failures, failures[:10]
