import pytest

from forum.extensions import db
from forum.threads.models import Post, PostRevision
from tests import factories
from tests.api.conftest import bearer, question_of


@pytest.fixture
def reply(thread, other_customer):
    return factories.make_reply(other_customer, thread, "Have you tried *restarting*?")


def test_read_a_post(client, reply):
    response = client.get(f"/api/v1/posts/{reply.id}")
    assert response.status_code == 200
    assert response.json["body"] == "Have you tried *restarting*?"
    assert response.json["html"] == "<p>Have you tried <em>restarting</em>?</p>\n"
    assert response.json["edited_at"] is None
    assert response.json["url"] == f"http://localhost/posts/{reply.id}"


def test_html_is_sanitised(client, thread, customer):
    response = client.post(
        f"/api/v1/threads/{thread.id}/posts",
        json={"body": "<script>alert(1)</script><img src=x onerror=alert(1)>"},
        headers=bearer(customer),
    )
    assert response.status_code == 201
    html = response.json["html"]
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_author_edits_own_post(client, reply, other_customer):
    response = client.patch(
        f"/api/v1/posts/{reply.id}",
        json={"body": "Restart the app."},
        headers=bearer(other_customer),
    )
    assert response.status_code == 200
    assert response.json["body"] == "Restart the app."
    assert response.json["edited_at"] is not None
    assert response.json["status"] == "visible"
    assert db.session.scalar(db.select(PostRevision.body)) == "Have you tried *restarting*?"


def test_editing_someone_elses_post_is_forbidden(client, reply, customer):
    response = client.patch(
        f"/api/v1/posts/{reply.id}", json={"body": "Mine now"}, headers=bearer(customer)
    )
    assert response.status_code == 403
    assert db.session.get(Post, reply.id).body == "Have you tried *restarting*?"


def test_moderator_edits_anyones_post(client, reply, moderator):
    response = client.patch(
        f"/api/v1/posts/{reply.id}", json={"body": "Edited by the team"}, headers=bearer(moderator)
    )
    assert response.status_code == 200


def test_question_edit_can_change_the_title(client, thread, customer):
    question = question_of(thread)
    response = client.patch(
        f"/api/v1/posts/{question.id}",
        json={"body": "New body", "title": "Sync stops at 98 percent"},
        headers=bearer(customer),
    )
    assert response.status_code == 200
    assert thread.title == "Sync stops at 98 percent"


def test_reply_has_no_title(client, reply, other_customer):
    response = client.patch(
        f"/api/v1/posts/{reply.id}",
        json={"body": "x", "title": "Nope"},
        headers=bearer(other_customer),
    )
    assert response.status_code == 422
    assert response.json["error"]["details"] == {"title": "Only a question has a title."}


def test_edit_validation(client, reply, other_customer):
    response = client.patch(f"/api/v1/posts/{reply.id}", json={}, headers=bearer(other_customer))
    assert response.status_code == 422
    assert response.json["error"]["details"] == {"body": "This field is required."}


def test_edit_in_locked_thread_is_forbidden_for_authors(client, locked_thread, customer):
    question = question_of(locked_thread)
    response = client.patch(
        f"/api/v1/posts/{question.id}", json={"body": "Update"}, headers=bearer(customer)
    )
    assert response.status_code == 403


def test_author_deletes_own_reply(client, reply, other_customer, thread):
    headers = bearer(other_customer)
    response = client.delete(f"/api/v1/posts/{reply.id}", headers=headers)
    assert response.status_code == 200
    assert response.json == {"id": reply.id, "thread_id": thread.id, "status": "deleted"}
    assert db.session.get(Post, reply.id).status == "deleted"
    assert client.get(f"/api/v1/posts/{reply.id}", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/posts/{reply.id}", headers=headers).status_code == 404


def test_moderator_removes_a_post(client, reply, moderator):
    response = client.delete(f"/api/v1/posts/{reply.id}", headers=bearer(moderator))
    assert response.json["status"] == "removed"


def test_deleting_someone_elses_post_is_forbidden(client, reply, customer):
    assert client.delete(f"/api/v1/posts/{reply.id}", headers=bearer(customer)).status_code == 403
    assert db.session.get(Post, reply.id).status == "visible"


def test_deleting_a_question_with_replies_is_a_conflict(client, reply, thread, customer):
    question = question_of(thread)
    response = client.delete(f"/api/v1/posts/{question.id}", headers=bearer(customer))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict"
    assert "already has replies" in response.json["error"]["message"]
    assert question.status == "visible"


def test_writes_need_a_token(client, reply):
    assert client.patch(f"/api/v1/posts/{reply.id}", json={"body": "x"}).status_code == 401
    assert client.delete(f"/api/v1/posts/{reply.id}").status_code == 401
