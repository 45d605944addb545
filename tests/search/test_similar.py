"""Similar questions on the ask form, and deflections."""

import pytest

from forum.extensions import db
from forum.search.models import Deflection
from forum.threads import services
from tests.factories import make_reply, make_thread


@pytest.fixture
def solved_threads(customer, staff, category, drain):
    threads = []
    for n, title in enumerate(
        [
            "Restore deleted photos",
            "Restore a deleted folder",
            "Restore old file versions",
            "Restore after ransomware",
            "Restore to another computer",
            "Restore is very slow",
        ]
    ):
        thread = make_thread(customer, category, title, f"Question {n} about restoring.")
        services.accept_answer(staff, make_reply(staff, thread, "Use the Restore wizard."))
        threads.append(thread)
    make_thread(customer, category, "Restore fails with error 42", "Unsolved restore problem.")
    drain()
    return threads


def test_similar_returns_up_to_five_solved_threads_as_json(client, solved_threads):
    response = client.get("/search/similar?title=How+do+I+restore+deleted+photos")
    assert response.status_code == 200
    items = response.json["items"]
    assert len(items) == 5
    assert items[0]["title"] == "Restore deleted photos"
    assert "Restore fails with error 42" not in [item["title"] for item in items]
    first = items[0]
    assert set(first) == {"type", "id", "title", "url", "snippet", "score", "solved", "open_url"}
    assert first["type"] == "thread" and first["solved"] is True
    assert first["open_url"] == f"/search/go/thread/{first['id']}?via=ask"


@pytest.mark.parametrize("title", ["", "   ", "how do I", '"', "x" * 5000])
def test_similar_with_nothing_to_search_returns_no_items(client, solved_threads, title):
    response = client.get("/search/similar", query_string={"title": title})
    assert response.status_code == 200
    assert response.json == {"items": []}


def test_ask_form_has_the_suggestion_container_script_and_button(client, auth, customer):
    auth.login(customer)
    page = client.get("/threads/new").get_data(as_text=True)
    assert 'id="similar-questions"' in page and 'data-similar-url="/search/similar"' in page
    assert "This answered my question" in page
    assert '<script src="/static/js/similar.js" defer></script>' in page
    assert "<script>" not in page


def url_of(thread):
    return f"/threads/{thread.id}/{thread.slug}"


def counts():
    return {d.kind: d.count for d in db.session.scalars(db.select(Deflection))}


def test_opening_a_suggestion_counts_a_candidate(client, auth, customer, solved_threads):
    thread = solved_threads[0]
    auth.login(customer)
    response = client.get(f"/search/go/thread/{thread.id}?via=ask")
    assert response.status_code == 302 and response.headers["Location"] == url_of(thread)
    client.get(f"/search/go/thread/{thread.id}?via=ask")
    assert counts() == {"suggestion_opened": 2}


def test_suggestion_links_opened_anonymously_are_not_counted(client, solved_threads):
    assert client.get(f"/search/go/thread/{solved_threads[0].id}?via=ask").status_code == 302
    assert counts() == {}


def test_this_answered_my_question_counts_once_per_item_and_session(
    client, auth, customer, solved_threads
):
    first, second = solved_threads[:2]
    auth.login(customer)
    response = client.post("/search/deflect", json={"type": "thread", "id": first.id})
    assert response.status_code == 200 and response.json == {"url": url_of(first)}
    client.post("/search/deflect", json={"type": "thread", "id": first.id})
    response = client.post("/search/deflect", data={"type": "thread", "id": str(second.id)})
    assert response.status_code == 302 and response.headers["Location"] == url_of(second)
    assert counts() == {"answered": 2}
    row = db.session.scalars(db.select(Deflection)).one()
    assert {c.name for c in Deflection.__table__.columns} == {"id", "day", "kind", "count"}
    assert row.count == 2


def test_deflect_requires_sign_in(client, solved_threads):
    response = client.post("/search/deflect", json={"type": "thread", "id": solved_threads[0].id})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert counts() == {}


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "thread", "id": 999},
        {"type": "article", "id": 1},
        {"type": "thread", "id": "x"},
        {"type": "thread", "id": "9" * 40},
        [1, 2],
        {},
    ],
)
def test_deflect_refuses_unknown_targets(client, auth, customer, solved_threads, payload):
    auth.login(customer)
    assert client.post("/search/deflect", json=payload).status_code in (400, 404)
    assert counts() == {}


def test_deflect_refuses_threads_the_user_may_not_see(
    client, auth, customer, other_customer, solved_threads
):
    hidden = solved_threads[0]
    hidden.status = "hidden"
    db.session.commit()
    auth.login(other_customer)
    assert (
        client.post("/search/deflect", json={"type": "thread", "id": hidden.id}).status_code == 404
    )


def test_deflect_needs_a_csrf_token_when_csrf_is_on(app, client, auth, customer, solved_threads):
    auth.login(customer)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/search/deflect", json={"type": "thread", "id": solved_threads[0].id})
    assert response.status_code == 400
    assert counts() == {}
