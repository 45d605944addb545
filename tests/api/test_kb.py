"""The knowledge-base and accepted-answer endpoints."""

import pytest

from forum.extensions import db
from forum.kb import services as kb
from forum.kb.models import Article
from forum.threads import services
from tests import factories
from tests.api.conftest import bearer, question_of
from tests.kb.conftest import article_of


@pytest.fixture
def answer(staff, thread):
    return factories.make_reply(staff, thread, "Pause sync, then resume it.")


@pytest.fixture
def drafted(staff, thread, answer):
    """The draft made by accepting stacy's answer."""
    services.accept_answer(staff, answer)
    return article_of(thread)


@pytest.fixture
def published(staff, category):
    article = kb.create(staff, "Moving to a new laptop", "", "Sign in first.", category)
    return kb.set_status(staff, article, "published")


def ids(response):
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_visitors_only_ever_see_published_articles(client, customer, drafted, published):
    assert ids(client.get("/api/v1/kb/articles")) == [published.id]
    for status in ("draft", "needs_review", "all"):
        listed = ids(client.get(f"/api/v1/kb/articles?status={status}", headers=bearer(customer)))
        assert drafted.id not in listed
    assert client.get(f"/api/v1/kb/articles/{drafted.id}").status_code == 404


def test_staff_list_by_status(client, staff, drafted, published):
    headers = bearer(staff)
    assert ids(client.get("/api/v1/kb/articles?status=draft", headers=headers)) == [drafted.id]
    assert ids(client.get("/api/v1/kb/articles?status=all", headers=headers)) == [
        published.id,
        drafted.id,
    ]
    drafted.needs_review = True
    db.session.commit()
    listed = client.get("/api/v1/kb/articles?status=needs_review", headers=headers)
    assert ids(listed) == [drafted.id]
    bad = client.get("/api/v1/kb/articles?status=secret", headers=headers)
    assert bad.status_code == 422 and "status" in bad.json["error"]["details"]


def test_read_an_article_with_its_source(client, staff, thread, answer, drafted):
    data = client.get(f"/api/v1/kb/articles/{drafted.id}", headers=bearer(staff)).json
    assert data["source_thread_id"] == thread.id and data["source_post_id"] == answer.id
    assert (data["status"], data["helpful_yes"], data["helpful_no"]) == ("draft", 0, 0)
    assert data["credited_user"]["username"] == "stacy"
    assert data["body"] == "Pause sync, then resume it."


def test_staff_patch_text_and_publish(client, staff, drafted):
    response = client.patch(
        f"/api/v1/kb/articles/{drafted.id}",
        json={"title": "Resume a paused sync", "status": "published"},
        headers=bearer(staff),
    )
    assert response.status_code == 200
    assert (
        response.json["status"] == "published" and response.json["title"] == "Resume a paused sync"
    )
    assert response.json["published_at"] is not None


def test_publishing_an_empty_article_through_the_api_is_refused(client, staff, drafted):
    response = client.patch(
        f"/api/v1/kb/articles/{drafted.id}",
        json={"body": "", "status": "published"},
        headers=bearer(staff),
    )
    assert response.status_code == 422
    assert response.json["error"]["details"]["body"].startswith("An article needs its text")
    db.session.refresh(drafted)
    assert drafted.status == "draft" and drafted.body == "Pause sync, then resume it."


def test_every_refused_article_field_is_named_at_once(client, staff, drafted):
    response = client.patch(
        f"/api/v1/kb/articles/{drafted.id}",
        json={"title": "x", "summary": "s" * 1001},
        headers=bearer(staff),
    )
    assert response.status_code == 422
    assert set(response.json["error"]["details"]) == {"title", "summary"}
    db.session.refresh(drafted)
    assert drafted.title != "x"


def test_customers_cannot_patch(client, customer, published):
    response = client.patch(
        f"/api/v1/kb/articles/{published.id}", json={"title": "Hijacked"}, headers=bearer(customer)
    )
    assert response.status_code == 403


def test_feedback_counts_once_per_account(client, customer, published):
    url = f"/api/v1/kb/articles/{published.id}/feedback"
    first = client.post(url, json={"helpful": True}, headers=bearer(customer))
    second = client.post(url, json={"helpful": False}, headers=bearer(customer))
    assert first.json == {
        "article_id": published.id,
        "counted": True,
        "helpful_yes": 1,
        "helpful_no": 0,
    }
    assert second.json["counted"] is False and second.json["helpful_no"] == 0
    bad = client.post(url, json={"helpful": "yes"}, headers=bearer(customer))
    assert bad.status_code == 422


def test_accept_change_and_unmark_through_the_api(client, staff, thread, answer, other_customer):
    other = factories.make_reply(other_customer, thread, "Restart it.")
    url = f"/api/v1/threads/{thread.id}/accepted-answer"
    response = client.post(url, json={"post_id": answer.id}, headers=bearer(staff))
    assert response.status_code == 200
    assert response.json["solved"] is True and response.json["accepted_post_id"] == answer.id
    stale = client.post(
        url, json={"post_id": other.id, "expected_post_id": None}, headers=bearer(staff)
    )
    assert (
        stale.status_code == 409
        and "stacy changed the accepted answer" in stale.json["error"]["message"]
    )
    changed = client.post(
        url, json={"post_id": other.id, "expected_post_id": answer.id}, headers=bearer(staff)
    )
    assert changed.json["accepted_post_id"] == other.id
    assert article_of(thread).needs_review
    removed = client.delete(url, headers=bearer(staff))
    assert removed.json["solved"] is False and removed.json["accepted_post_id"] is None


@pytest.mark.parametrize("which", ["question", "other thread", "missing"])
def test_refused_posts(client, staff, customer, category, thread, which):
    if which == "question":
        post_id = question_of(thread).id
    elif which == "other thread":
        post_id = factories.make_reply(staff, factories.make_thread(customer, category)).id
    else:
        post_id = 999_999
    response = client.post(
        f"/api/v1/threads/{thread.id}/accepted-answer",
        json={"post_id": post_id},
        headers=bearer(staff),
    )
    assert response.status_code == 422
    assert response.json["error"]["details"]["post_id"]
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def test_customers_cannot_accept(client, customer, thread, answer):
    response = client.post(
        f"/api/v1/threads/{thread.id}/accepted-answer",
        json={"post_id": answer.id},
        headers=bearer(customer),
    )
    assert response.status_code == 403
