"""Banning through the API: with or without purging, never the team, never twice."""

import pytest

from forum.extensions import db
from forum.threads.models import Post
from forum.users.models import User
from tests import factories
from tests.api.conftest import bearer


def test_ban_and_purge_removes_every_post_and_stops_the_tokens(
    client, moderator, newcomer, held_post, category
):
    factories.make_thread(newcomer, category, "My own question", "Is there a dark mode?")
    newcomer_token = bearer(newcomer)
    response = client.post(
        f"/api/v1/moderation/users/{newcomer.id}/ban",
        json={"purge": True, "reason": "spammer"},
        headers=bearer(moderator),
    )
    assert response.status_code == 200
    assert response.json == {
        "user_id": newcomer.id,
        "banned": True,
        "purged": 2,
        "audit_id": response.json["audit_id"],
    }
    statuses = db.session.scalars(db.select(Post.status).where(Post.author_id == newcomer.id))
    assert set(statuses) == {"removed"}
    refused = client.get("/api/v1/me", headers=newcomer_token)
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "account_suspended"


def test_ban_without_purge_keeps_posts_and_a_second_ban_is_a_conflict(
    client, moderator, newcomer, held_post
):
    headers = bearer(moderator)
    url = f"/api/v1/moderation/users/{newcomer.id}/ban"
    first = client.post(url, json={"purge": False}, headers=headers)
    assert (first.status_code, first.json["purged"]) == (200, 0)
    db.session.refresh(held_post)
    assert held_post.status == "held"
    again = client.post(url, json={"purge": False}, headers=headers)
    assert again.status_code == 409
    assert again.json["error"] == {"code": "conflict", "message": "newton is already banned."}


@pytest.mark.parametrize("target", ["staff", "moderator"])
def test_team_accounts_and_oneself_cannot_be_banned(client, users, target):
    response = client.post(
        f"/api/v1/moderation/users/{users[target].id}/ban",
        json={"purge": True},
        headers=bearer(users["moderator"]),
    )
    assert response.status_code == 403
    assert not db.session.get(User, users[target].id).is_banned


def test_ban_needs_purge_and_an_existing_user(client, moderator, newcomer):
    headers = bearer(moderator)
    missing = client.post(f"/api/v1/moderation/users/{newcomer.id}/ban", json={}, headers=headers)
    assert missing.status_code == 422
    assert missing.json["error"]["details"] == {"purge": "This field is required."}
    unknown = client.post(
        "/api/v1/moderation/users/99999/ban", json={"purge": True}, headers=headers
    )
    assert unknown.status_code == 404
    assert not db.session.get(User, newcomer.id).is_banned
