"""Reporting a post through the API, and the moderators' spam score."""

import json

import pytest

from forum.extensions import db
from forum.moderation import accounts
from forum.moderation.models import Flag
from forum.spam import probe
from forum.threads.models import Post
from tests import factories
from tests.api.conftest import bearer


@pytest.fixture
def reply(thread, other_customer):
    return factories.make_reply(other_customer, thread, "Have you tried restarting?")


def report(client, post, user, **body):
    return client.post(
        f"/api/v1/posts/{post.id}/flags", json={"reason": "spam", **body}, headers=bearer(user)
    )


def test_report_a_post(client, reply, customer):
    response = report(client, reply, customer, note="an advert")
    assert response.status_code == 201
    flag = db.session.get(Flag, response.json["flag_id"])
    assert response.json == {
        "flag_id": flag.id,
        "post_id": reply.id,
        "weight": 1.0,  # a new account with no record: 1 × 2 × ½
        "hidden": False,
    }
    assert (flag.flagger_id, flag.reason, flag.note) == (customer.id, "spam", "an advert")
    db.session.refresh(reply)
    assert (reply.status, reply.open_flags) == ("visible", 1)


def test_trusted_member_reporting_a_new_accounts_post_as_spam_hides_it(client, reply):
    response = report(client, reply, factories.make_trusted_user("rita"))
    assert response.json["hidden"] is True
    db.session.refresh(reply)
    assert reply.status == "hidden"
    assert client.get(f"/api/v1/posts/{reply.id}").status_code == 404


def test_second_report_by_the_same_user_is_a_conflict(client, reply, customer):
    assert report(client, reply, customer).status_code == 201
    again = report(client, reply, customer, reason="offensive")
    assert again.status_code == 409
    assert again.json["error"] == {
        "code": "already_flagged",
        "message": "You have already reported this post. Moderators will look at it.",
    }
    assert db.session.scalar(db.select(db.func.count(Flag.id))) == 1


def test_reporting_needs_a_token(client, reply):
    response = client.post(f"/api/v1/posts/{reply.id}/flags", json={"reason": "spam"})
    assert response.status_code == 401


def test_own_posts_cannot_be_reported(client, reply, other_customer):
    assert report(client, reply, other_customer).status_code == 403


def test_silenced_users_cannot_report(client, reply, customer, moderator):
    accounts.silence(moderator, customer, 1)
    assert report(client, reply, customer).status_code == 403


def test_posts_you_cannot_see_are_404(client, held_post, customer):
    assert report(client, held_post, customer).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "boring"}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": "spam", "note": "x" * 501}, "note"),
        ({"reason": "spam", "note": ["a"]}, "note"),
    ],
)
def test_report_refuses_bad_fields(client, reply, customer, body, field):
    response = client.post(f"/api/v1/posts/{reply.id}/flags", json=body, headers=bearer(customer))
    assert response.status_code == 422
    assert field in response.json["error"]["details"]
    assert db.session.scalar(db.select(db.func.count(Flag.id))) == 0


def test_other_needs_a_note(client, reply, customer):
    response = report(client, reply, customer, reason="other")
    assert response.status_code == 422
    assert response.json["error"]["message"] == (
        "Please say in a few words what is wrong with the post."
    )


SCORE_INPUT = {
    "text": "Call our support number 1-800-555-0199 for a fast fix! https://cheap-deals.example.net",
    "title": "Support number",
    "author": {"username": "helper", "posts": 0, "age_days": 0},
}


def test_score_gives_the_verdict_of_the_cli(client, runner, moderator):
    response = client.post(
        "/api/v1/moderation/spam/score", json=SCORE_INPUT, headers=bearer(moderator)
    )
    assert response.status_code == 200
    cli = runner.invoke(args=["spam", "score"], input=json.dumps(SCORE_INPUT) + "\n")
    assert response.json == json.loads(cli.output)
    assert response.json["action"] in ("hold", "reject")
    assert {reason["rule"] for reason in response.json["reasons"]} >= {"contact.phone"}
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0  # nothing stored


@pytest.mark.parametrize(
    "body",
    [
        {"text": "   "},
        {"text": "Hello", "author": {"posts": -1}},
        {"text": "Hello", "author": {"age_days": 1e400}},
        {"text": "Hello", "author": {"posts": 10**400}},
        {"text": "Hello", "author": {"role": "emperor"}},
        {"text": "Hello", "author": "carol"},
    ],
)
def test_score_refuses_input_it_cannot_score(client, moderator, body):
    response = client.post("/api/v1/moderation/spam/score", json=body, headers=bearer(moderator))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error"


def test_score_refuses_what_json_numbers_cannot_be(client, moderator):
    body = '{"text": "Hello", "author": {"posts": NaN, "age_days": Infinity}}'
    response = client.post(
        "/api/v1/moderation/spam/score",
        data=body,
        content_type="application/json",
        headers=bearer(moderator),
    )
    assert response.status_code == 422


def test_probe_numbers_are_bounded():
    with pytest.raises(probe.ProbeError):
        probe.parse({"text": "Hi", "author": {"age_days": float("inf")}})
