"""Posting through the API under the spam layers: held posts say why, refusals have their own
statuses, and nothing refused is stored."""

import pytest

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.moderation import accounts
from forum.spam import services as spam_services
from forum.threads.models import Post, Thread
from tests import factories
from tests.api.conftest import bearer

LINKS = factories.LINKY_BODY
HELD_BECAUSE_LINKS = (
    "Your post is waiting for review because new accounts can post only a few links until a "
    "moderator has approved a post"
)


def held_for_links(body):
    """The post is held and its author is told why in plain words (never the rules' names)."""
    return body["status"] == "held" and body["held_reason"].startswith(HELD_BECAUSE_LINKS)


def posts_by(user):
    return db.session.scalar(db.select(db.func.count(Post.id)).where(Post.author_id == user.id))


def test_held_question_says_why_in_the_thread_and_the_post(client, newcomer, category):
    response = client.post(
        "/api/v1/threads",
        json={"category": category.slug, "title": "Where are the deals?", "body": LINKS},
        headers=bearer(newcomer),
    )
    assert response.status_code == 201
    assert held_for_links(response.json)
    assert held_for_links(response.json["post"])
    assert response.json["held_reason"] == response.json["post"]["held_reason"]
    assert db.session.get(Thread, response.json["id"]).status == "held"


def test_published_question_has_no_held_reason(client, customer, category):
    response = client.post(
        "/api/v1/threads",
        json={"category": category.slug, "title": "Plain question", "body": "How do I sync?"},
        headers=bearer(customer),
    )
    assert response.json["status"] == "visible"
    assert "held_reason" not in response.json
    assert "held_reason" not in response.json["post"]


def test_held_reply_is_visible_to_its_author_with_the_reason_and_to_nobody_else(
    client, newcomer, other_customer, thread
):
    headers = bearer(newcomer)
    response = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": LINKS}, headers=headers
    )
    assert response.status_code == 201
    assert held_for_links(response.json)
    url = f"/api/v1/posts/{response.json['id']}"
    assert held_for_links(client.get(url, headers=headers).json)
    assert client.get(url).status_code == 404
    assert client.get(url, headers=bearer(other_customer)).status_code == 404


def test_edit_that_adds_links_holds_the_post_and_a_clean_edit_releases_it(client, newcomer, thread):
    post = factories.make_reply(newcomer, thread, "Thanks, that worked.")
    headers = bearer(newcomer)
    held = client.patch(f"/api/v1/posts/{post.id}", json={"body": LINKS}, headers=headers)
    assert held.status_code == 200
    assert held_for_links(held.json)
    released = client.patch(f"/api/v1/posts/{post.id}", json={"body": "No links."}, headers=headers)
    assert released.json["status"] == "visible"
    assert "held_reason" not in released.json


def test_rejected_reply_is_422_in_plain_words_and_nothing_is_stored(
    client, admin, newcomer, thread
):
    spam_services.add_rule(admin, "blocked_domain", "cheap-deals.example.net")
    response = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": LINKS}, headers=bearer(newcomer)
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "post_rejected"
    assert error["message"].startswith(
        "Your post can't be published because it links to a site that isn't allowed here"
    )
    assert "cheap-deals" not in error["message"] and "rule" not in error["message"]
    assert "details" not in error
    assert posts_by(newcomer) == 0


def test_rejected_edit_changes_nothing(client, admin, newcomer, thread):
    post = factories.make_reply(newcomer, thread, "Thanks, that worked.")
    spam_services.add_rule(admin, "blocked_domain", "cheap-deals.example.net")
    response = client.patch(
        f"/api/v1/posts/{post.id}", json={"body": LINKS}, headers=bearer(newcomer)
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "post_rejected"
    db.session.refresh(post)
    assert (post.body, post.status) == ("Thanks, that worked.", "visible")


def test_silenced_author_is_forbidden_to_post(client, moderator, customer, category, thread):
    accounts.silence(moderator, customer, 3, "cool down")
    headers = bearer(customer)
    before = posts_by(customer)
    for response in (
        client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": "Hi"}, headers=headers),
        client.post(
            "/api/v1/threads",
            json={"category": category.slug, "title": "Still here", "body": "Hello"},
            headers=headers,
        ),
    ):
        assert response.status_code == 403
        assert response.json["error"]["code"] == "account_silenced"
        assert "silenced your account until" in response.json["error"]["message"]
    assert posts_by(customer) == before


@pytest.fixture
def limited_client(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'limits.db'}"
        SEARCH_INDEX_DIR = str(tmp_path / "index")
        RATELIMIT_ENABLED = True
        SPAM_SETTINGS = {"rate_limit_new": "2 per hour", "velocity_max_posts": 100}

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        yield app.test_client()
        db.session.remove()


def test_new_account_over_its_posting_limit_gets_429_with_retry_after(limited_client):
    hasty = factories.make_user("customer", "hasty")
    thread = factories.make_thread(
        factories.make_trusted_user("steady"), factories.make_category(), "Rate limited thread"
    )
    headers = bearer(hasty)
    responses = [
        limited_client.post(
            f"/api/v1/threads/{thread.id}/posts", json={"body": f"Reply {n}"}, headers=headers
        )
        for n in range(3)
    ]
    assert [r.status_code for r in responses] == [201, 201, 429]
    refused = responses[-1]
    assert refused.json["error"] == {
        "code": "rate_limited",
        "message": "New accounts can make 2 posts per hour. Please wait a little and try again.",
    }
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert posts_by(hasty) == 2
