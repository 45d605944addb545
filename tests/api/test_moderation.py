"""The team's moderation endpoints: who may use them, the queue, approve and remove."""

import pytest

from forum.extensions import db
from forum.moderation import flags
from forum.moderation.models import ModerationAction, Notice
from forum.spam.models import SpamModel
from forum.users.models import User
from tests import factories
from tests.api.conftest import bearer, question_of

TEAM_URLS = [
    ("get", "/api/v1/moderation/queue", None),
    ("post", "/api/v1/moderation/posts/{post}/approve", {}),
    ("post", "/api/v1/moderation/posts/{post}/remove", {"spam": True}),
    ("post", "/api/v1/moderation/users/{user}/ban", {"purge": True}),
    ("post", "/api/v1/moderation/spam/score", {"text": "Hello"}),
]


def call(client, method, url, body, held_post, headers):
    url = url.format(post=held_post.id, user=held_post.author_id)
    return client.open(url, method=method.upper(), json=body, headers=headers)


@pytest.mark.parametrize(("method", "url", "body"), TEAM_URLS)
def test_moderation_needs_a_token(client, held_post, method, url, body):
    response = call(client, method, url, body, held_post, {})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("method", "url", "body"), TEAM_URLS)
def test_customers_are_forbidden_to_moderate(client, held_post, other_customer, method, url, body):
    response = call(client, method, url, body, held_post, bearer(other_customer))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    db.session.refresh(held_post)
    assert held_post.status == "held"
    assert not db.session.get(User, held_post.author_id).is_banned


def test_queue_lists_held_and_flagged_posts_with_reasons_flags_and_author(
    client, moderator, held_post, thread, customer
):
    reporter = factories.make_trusted_user("rita")
    reported = factories.make_reply(customer, thread, "Buy my course, it is off topic.")
    flags.flag(reporter, reported, "off_topic", "an advert for a course")
    response = client.get("/api/v1/moderation/queue", headers=bearer(moderator))
    assert response.status_code == 200
    assert response.json["total"] == 2 and response.json["next_cursor"] is None
    held, flagged = response.json["items"]  # highest spam score first
    assert (held["post_id"], held["status"], held["thread_title"]) == (
        held_post.id,
        "held",
        "Sync stops at 99 percent",
    )
    assert held["reasons"][0]["rule"] == "links.cap"
    assert held["version"] == held_post.review_version
    assert held["author"]["username"] == "newton"
    assert held["author"]["trust"] == "new"
    assert held["author"]["history"] == {"held": 1}
    assert "cheap-deals.example.net" in held["excerpt"]
    assert flagged["post_id"] == reported.id
    assert flagged["flags"] == [
        {
            "id": flagged["flags"][0]["id"],
            "reason": "off_topic",
            "note": "an advert for a course",
            "weight": 2.0,
            "flagger": "rita",
            "created_at": flagged["flags"][0]["created_at"],
        }
    ]
    kinds = {
        kind: [
            item["post_id"]
            for item in client.get(
                f"/api/v1/moderation/queue?kind={kind}", headers=bearer(moderator)
            ).json["items"]
        ]
        for kind in ("held", "flagged")
    }
    assert kinds == {"held": [held_post.id], "flagged": [reported.id]}


def test_queue_pages_with_a_cursor_without_repeats_or_gaps(client, moderator, thread):
    held = [
        factories.make_held_reply(factories.make_user("customer", f"new{n}"), thread)
        for n in range(5)
    ]
    headers, seen, cursor = bearer(moderator), [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/moderation/queue", query_string=query, headers=headers).json
        seen += [item["post_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(post.id for post in held)
    assert len(seen) == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [({"kind": "spam"}, "kind"), ({"cursor": "nonsense"}, "cursor"), ({"limit": 0}, "limit")],
)
def test_queue_refuses_bad_parameters(client, moderator, query, field):
    response = client.get("/api/v1/moderation/queue", query_string=query, headers=bearer(moderator))
    assert response.status_code == 422
    assert field in response.json["error"]["details"]


def test_approve_publishes_notifies_and_audits(client, moderator, held_post):
    response = client.post(
        f"/api/v1/moderation/posts/{held_post.id}/approve",
        json={"reason": "a real customer"},
        headers=bearer(moderator),
    )
    assert response.status_code == 200
    entry = db.session.get(ModerationAction, response.json["audit_id"])
    assert response.json == {"post_id": held_post.id, "status": "visible", "audit_id": entry.id}
    assert (entry.action, entry.reason, entry.actor_id) == (
        "approve",
        "a real customer",
        moderator.id,
    )
    db.session.refresh(held_post)
    assert (held_post.status, held_post.trained_as) == ("visible", "ham")
    assert db.session.scalar(db.select(Notice.text).where(Notice.user_id == held_post.author_id))
    assert client.get(f"/api/v1/posts/{held_post.id}").status_code == 200


def test_second_decision_is_a_conflict_naming_who_decided(client, moderator, staff, held_post):
    url = f"/api/v1/moderation/posts/{held_post.id}"
    assert client.post(f"{url}/approve", json={}, headers=bearer(moderator)).status_code == 200
    response = client.post(f"{url}/remove", json={"spam": True}, headers=bearer(staff))
    assert response.status_code == 409
    assert response.json["error"] == {
        "code": "already_resolved",
        "message": "Already handled: morgan did “approve” on this post.",
    }
    db.session.refresh(held_post)
    assert (held_post.status, held_post.trained_as) == ("visible", "ham")


def test_decision_with_a_stale_version_is_a_conflict(client, moderator, held_post):
    version = held_post.review_version
    held_post.review_version = version + 1  # as any decision or undo since the listing does
    db.session.commit()
    response = client.post(
        f"/api/v1/moderation/posts/{held_post.id}/approve",
        json={"version": version},
        headers=bearer(moderator),
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "already_resolved"
    db.session.refresh(held_post)
    assert held_post.status == "held"


def test_approving_a_post_that_waits_for_nothing_is_a_conflict(client, moderator, thread):
    question = question_of(thread)
    response = client.post(
        f"/api/v1/moderation/posts/{question.id}/approve", json={}, headers=bearer(moderator)
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "already_resolved"


def test_remove_as_spam_trains_the_classifier(client, staff, held_post):
    response = client.post(
        f"/api/v1/moderation/posts/{held_post.id}/remove",
        json={"spam": True, "reason": "advert"},
        headers=bearer(staff),
    )
    assert response.status_code == 200
    assert response.json == {
        "post_id": held_post.id,
        "status": "removed",
        "spam": True,
        "audit_id": response.json["audit_id"],
    }
    db.session.refresh(held_post)
    assert (held_post.status, held_post.trained_as) == ("removed", "spam")
    assert db.session.get(SpamModel, 1).spam_docs == 1


def test_removing_a_question_removes_its_thread(client, moderator, newcomer, category):
    thread = factories.make_thread(newcomer, category, "Deals", factories.LINKY_BODY)
    question = question_of(thread)
    response = client.post(
        f"/api/v1/moderation/posts/{question.id}/remove",
        json={"spam": False},
        headers=bearer(moderator),
    )
    assert response.json["status"] == "removed"
    db.session.refresh(thread)
    assert thread.status == "removed"
    assert client.get(f"/api/v1/threads/{thread.id}").status_code == 404


def test_removing_a_wordless_post_as_spam_works(client, moderator, newcomer, thread):
    """A text the classifier finds no words in ("🙂") is still a document it learns."""
    post = factories.make_reply(newcomer, thread, "🙂")
    flags.flag(factories.make_trusted_user("rita"), post, "spam")
    response = client.post(
        f"/api/v1/moderation/posts/{post.id}/remove", json={"spam": True}, headers=bearer(moderator)
    )
    assert response.status_code == 200
    assert db.session.get(SpamModel, 1).spam_docs == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "spam"),
        ({"spam": "yes"}, "spam"),
        ({"spam": True, "reason": "x" * 501}, "reason"),
        ({"spam": True, "reason": 5}, "reason"),
        ({"spam": True, "version": -1}, "version"),
        ({"spam": True, "version": True}, "version"),
    ],
)
def test_remove_refuses_bad_fields(client, moderator, held_post, body, field):
    response = client.post(
        f"/api/v1/moderation/posts/{held_post.id}/remove", json=body, headers=bearer(moderator)
    )
    assert response.status_code == 422
    assert field in response.json["error"]["details"]
    db.session.refresh(held_post)
    assert held_post.status == "held"


def test_deciding_on_a_missing_post_is_404(client, moderator):
    response = client.post(
        "/api/v1/moderation/posts/99999/approve", json={}, headers=bearer(moderator)
    )
    assert response.status_code == 404
