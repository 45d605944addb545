from datetime import timedelta

import pytest

from forum.clock import utcnow
from forum.extensions import db
from forum.threads import services
from forum.threads.models import Post, Thread
from tests import factories
from tests.api.conftest import bearer, question_of, set_status


def new_thread(client, headers, **fields):
    body = {"category": "sync-backup", "title": "Sync stops", "body": "It **stops**.", **fields}
    return client.post("/api/v1/threads", json=body, headers=headers)


def test_ask_a_question(client, customer, category):
    response = new_thread(client, bearer(customer))
    assert response.status_code == 201
    data = response.json
    thread = db.session.get(Thread, data["id"])
    assert thread.title == "Sync stops" and thread.author_id == customer.id
    assert response.headers["Location"].endswith(f"/api/v1/threads/{thread.id}")
    assert data["category"] == {"id": category.id, "slug": "sync-backup"}
    assert data["post"]["status"] == "visible"
    assert data["post"]["is_question"] is True
    assert data["post"]["html"] == "<p>It <strong>stops</strong>.</p>\n"
    assert data["url"] == f"http://localhost/threads/{thread.id}/sync-stops"


def test_asking_needs_a_token(client, category):
    response = new_thread(client, {})
    assert response.status_code == 401
    assert db.session.scalar(db.select(db.func.count(Thread.id))) == 0


@pytest.mark.parametrize(
    "fields, details",
    [
        ({"title": "Hi"}, {"title": "Title must be 3 to 200 characters long."}),
        ({"body": "   "}, {"body": "Text must be 1 to 50,000 characters long."}),
        ({"category": "nope"}, {"category": "No category has that slug."}),
        (
            {"title": "Hi", "body": " "},
            {
                "title": "Title must be 3 to 200 characters long.",
                "body": "Text must be 1 to 50,000 characters long.",
            },
        ),
        (
            {"category": "nope", "title": "Hi"},
            {
                "category": "No category has that slug.",
                "title": "Title must be 3 to 200 characters long.",
            },
        ),
        ({"title": 5, "body": ["x"]}, {"title": "Must be a string.", "body": "Must be a string."}),
        ({"category": None}, {"category": "This field is required."}),
        ({"title": "\ud800 lone surrogate"}, {"title": "Must be valid Unicode text."}),
    ],
)
def test_ask_validation_errors_are_422_per_field(client, customer, category, fields, details):
    response = new_thread(client, bearer(customer), **fields)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error"
    assert response.json["error"]["details"] == details
    assert db.session.scalar(db.select(db.func.count(Thread.id))) == 0


def test_thread_detail_has_thread_fields_and_posts(client, thread, staff):
    reply = factories.make_reply(staff, thread)
    services.accept_answer(staff, reply)
    response = client.get(f"/api/v1/threads/{thread.id}")
    assert response.status_code == 200
    data = response.json
    assert data["title"] == "Sync stops at 99 percent"
    assert data["solved"] is True and data["accepted_post_id"] == reply.id
    assert data["post_count"] == 2
    assert [post["id"] for post in data["posts"]] == [question_of(thread).id, reply.id]
    assert data["posts"][1]["author"] == {"id": staff.id, "username": "stacy", "role": "staff"}
    assert data["next_posts_cursor"] is None


def test_long_thread_posts_are_paginated(client, thread, other_customer):
    replies = [factories.make_reply(other_customer, thread, f"Reply {n}") for n in range(5)]
    seen, cursor = [], None
    while True:
        query = f"?limit=2&posts_cursor={cursor}" if cursor else "?limit=2"
        data = client.get(f"/api/v1/threads/{thread.id}{query}").json
        assert data["post_count"] == 6
        assert len(data["posts"]) <= 2
        seen += [post["id"] for post in data["posts"]]
        cursor = data["next_posts_cursor"]
        if cursor is None:
            break
    assert seen == [question_of(thread).id] + [reply.id for reply in replies]


def test_hidden_and_deleted_posts_are_invisible_as_on_the_pages(
    client, thread, customer, other_customer, moderator
):
    held = factories.make_reply(other_customer, thread, "Held reply")
    hidden = factories.make_reply(other_customer, thread, "Hidden reply")
    set_status(held, "held")
    set_status(hidden, "hidden")
    deleted = factories.make_reply(customer, thread, "Deleted reply")
    services.delete_post(customer, deleted)

    def ids(headers):
        data = client.get(f"/api/v1/threads/{thread.id}", headers=headers).json
        assert data["post_count"] == len(data["posts"])
        return {post["id"] for post in data["posts"]} - {question_of(thread).id}

    assert ids({}) == set()
    assert ids(bearer(customer)) == set()
    assert ids(bearer(other_customer)) == {held.id}
    assert ids(bearer(moderator)) == {held.id, hidden.id}
    for post in (held, hidden, deleted):
        assert client.get(f"/api/v1/posts/{post.id}").status_code == 404


def test_hidden_thread_is_404_and_unlisted_except_for_the_team(client, thread, moderator):
    set_status(question_of(thread), "hidden")
    assert client.get(f"/api/v1/threads/{thread.id}").status_code == 404
    assert client.get("/api/v1/threads").json["items"] == []
    assert client.get(f"/api/v1/threads/{thread.id}", headers=bearer(moderator)).status_code == 200


def make_threads(customer, category, count):
    """Threads with distinct activity times, oldest first; two share a timestamp."""
    start = utcnow() - timedelta(days=1)
    threads = [
        services.create_thread(customer, category, f"Question {n}", "Body", at=start)
        for n in range(count)
    ]
    for n, thread in enumerate(threads[2:], start=2):
        thread.last_activity_at = start + timedelta(minutes=n)
    db.session.commit()
    return threads


def test_threads_list_newest_activity_first_across_pages(client, customer, category):
    threads = make_threads(customer, category, 7)
    expected = [t.id for t in sorted(threads, key=lambda t: (t.last_activity_at, t.id))][::-1]
    seen, cursor = [], None
    while True:
        data = client.get("/api/v1/threads", query_string={"limit": 3, "cursor": cursor}).json
        seen += [item["id"] for item in data["items"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


def test_new_activity_does_not_repeat_or_skip_on_the_next_page(client, customer, category):
    threads = make_threads(customer, category, 4)
    first = client.get("/api/v1/threads?limit=2").json
    factories.make_reply(customer, threads[0])  # jumps to the top, above the cursor
    second = client.get(f"/api/v1/threads?limit=2&cursor={first['next_cursor']}").json
    first_ids = [item["id"] for item in first["items"]]
    second_ids = [item["id"] for item in second["items"]]
    assert first_ids == [threads[3].id, threads[2].id]
    assert second_ids == [threads[1].id]


def test_threads_filter_by_category_and_solved(client, customer, staff, category):
    other = factories.make_category("Billing", "billing")
    solved = factories.make_thread(customer, category, "Solved one")
    services.accept_answer(staff, factories.make_reply(staff, solved))
    open_thread = factories.make_thread(customer, category, "Open one")
    billing = factories.make_thread(customer, other, "Billing one")

    def ids(**params):
        response = client.get("/api/v1/threads", query_string=params)
        assert response.status_code == 200
        return {item["id"] for item in response.json["items"]}

    assert ids(category="billing") == {billing.id}
    assert ids(solved="true") == {solved.id}
    assert ids(solved="false") == {open_thread.id, billing.id}
    assert ids(category="sync-backup", solved="false") == {open_thread.id}


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=%C2%B2", "limit"),
        ("solved=yes", "solved"),
        ("category=nope", "category"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=WzEsMl0", "cursor"),  # [1, 2]: our shape, wrong types
        ("cursor=WyIyMDI2LTAxLTAxIiwxZTQwXQ", "cursor"),  # a float id
        ("cursor=WyIyMDI2LTAxLTAxIiw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ", "cursor"),  # huge id
    ],
)
def test_bad_list_parameters_are_422(client, category, query, field):
    response = client.get(f"/api/v1/threads?{query}")
    assert response.status_code == 422
    assert field in response.json["error"]["details"]


def test_bad_posts_cursor_is_422(client, thread):
    response = client.get(f"/api/v1/threads/{thread.id}?posts_cursor=%%%")
    assert response.status_code == 422
    assert "posts_cursor" in response.json["error"]["details"]


def test_reply(client, thread, other_customer):
    response = client.post(
        f"/api/v1/threads/{thread.id}/posts",
        json={"body": "Try again"},
        headers=bearer(other_customer),
    )
    assert response.status_code == 201
    assert response.json["status"] == "visible"
    assert response.json["thread_id"] == thread.id
    assert response.headers["Location"].endswith(f"/api/v1/posts/{response.json['id']}")
    post = db.session.get(Post, response.json["id"])
    assert post.body == "Try again" and post.author_id == other_customer.id
    assert thread.reply_count == 1


def test_reply_to_locked_thread_is_forbidden(client, locked_thread, customer, moderator):
    url = f"/api/v1/threads/{locked_thread.id}/posts"
    response = client.post(url, json={"body": "Still broken"}, headers=bearer(customer))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    response = client.post(url, json={"body": "Team note"}, headers=bearer(moderator))
    assert response.status_code == 201


def test_reply_to_invisible_thread_is_404(client, thread, other_customer):
    set_status(question_of(thread), "removed")
    response = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "Hi"}, headers=bearer(other_customer)
    )
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/threads/999", "/api/v1/threads/0", "/api/v1/threads/x"])
def test_unknown_thread_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_huge_id_is_404_not_an_overflow(client):
    assert client.get("/api/v1/threads/99999999999999999999999").status_code == 404
