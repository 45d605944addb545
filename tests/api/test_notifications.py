"""GET /api/v1/notifications and POST /api/v1/notifications/read."""

from forum import outbox
from forum.extensions import db
from forum.notifications.models import Notification
from tests import factories


def test_a_token_reads_its_users_notifications(client, as_user, customer, other_customer, thread):
    reply = factories.make_reply(other_customer, thread, "Try this.")
    outbox.drain()
    response = client.get("/api/v1/notifications", headers=as_user(customer))
    assert response.status_code == 200
    [item] = response.json["items"]
    assert item["text"] == f"oscar replied to “{thread.title}”."
    assert (item["kind"], item["count"], item["unread"]) == ("replies", 1, True)
    assert (item["thread_id"], item["post_id"]) == (thread.id, reply.id)
    assert item["url"] == f"http://localhost/posts/{reply.id}"
    assert response.json["unread_count"] == 1 and response.json["next_cursor"] is None
    other = client.get("/api/v1/notifications", headers=as_user(other_customer)).json
    assert other["items"] == [] and other["unread_count"] == 0


def test_pages_and_the_unread_filter(client, as_user, customer, other_customer, category):
    for n in range(3):
        thread = factories.make_thread(customer, category, f"Question {n}")
        factories.make_reply(other_customer, thread, "Answer.")
    outbox.drain()
    headers = as_user(customer)
    first = client.get("/api/v1/notifications?limit=2", headers=headers).json
    rest = client.get(
        f"/api/v1/notifications?limit=2&cursor={first['next_cursor']}", headers=headers
    ).json
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 3 and rest["next_cursor"] is None
    response = client.post(
        "/api/v1/notifications/read", json={"ids": ids[:1] + [999999]}, headers=headers
    )
    assert response.json == {"marked": 1, "unread_count": 2}
    unread = client.get("/api/v1/notifications?unread=true", headers=headers).json
    assert [i["id"] for i in unread["items"]] == ids[1:]


def test_marking_all_and_someone_elses_ids(client, as_user, customer, other_customer, thread):
    factories.make_reply(other_customer, thread, "Try this.")
    outbox.drain()
    line = db.session.scalar(db.select(Notification))
    response = client.post(
        "/api/v1/notifications/read", json={"ids": [line.id]}, headers=as_user(other_customer)
    )
    assert response.json["marked"] == 0, "someone else's notification is left alone"
    response = client.post("/api/v1/notifications/read", json={}, headers=as_user(customer))
    assert response.json == {"marked": 1, "unread_count": 0}


def test_bad_input_is_a_422(client, as_user, customer):
    headers = as_user(customer)
    for body in (
        {"ids": None},
        {"ids": "all"},
        {"ids": [0]},
        {"ids": [True]},
        {"ids": list(range(1, 200))},
    ):
        response = client.post("/api/v1/notifications/read", json=body, headers=headers)
        assert response.status_code == 422 and "ids" in response.json["error"]["details"]
    assert client.get("/api/v1/notifications?unread=maybe", headers=headers).status_code == 422
    assert client.get("/api/v1/notifications").status_code == 401
