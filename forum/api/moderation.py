"""Moderation endpoints for the team: the review queue, decisions on posts, banning an account
and testing the spam rules. The same services as the moderation pages, one commit each."""

from flask import jsonify, request

from forum.api import bp, serializers
from forum.api.auth import api_user, token_required
from forum.api.errors import ApiError, validation_error
from forum.api.inputs import (
    bool_fields,
    bounded_text,
    json_body,
    limit_arg,
    text_fields,
    whole_number,
)
from forum.api.moderation_schemas import REASON_MAX
from forum.api.openapi import cursor_param, limit_param, operation, query_param
from forum.api.pagination import decode_cursor, keyset_page
from forum.extensions import db
from forum.moderation import accounts, queries, services
from forum.moderation.views import QUEUE_KINDS
from forum.permissions import can_ban, can_review, require
from forum.spam import probe
from forum.spam.policy import load_policy
from forum.spam.trust import user_level
from forum.threads.queries import get_post_or_404
from forum.users.models import User

QUEUE_PER_PAGE = 25
TEAM_ONLY = "Moderators, staff and admins only; anyone else gets 403."


def reviewer():
    """The token's user, who must be on the team (403 otherwise)."""
    user = api_user()
    require(can_review(user))
    return user


def decision(data):
    """``(reason, version)`` of a decision's body."""
    reason = bounded_text(text_fields(data, optional=("reason",)), "reason", REASON_MAX)
    return reason, whole_number(data, "version")


@bp.get("/moderation/queue")
@operation(
    "The review queue: held, hidden and flagged posts, highest spam score first",
    "Moderation",
    response="ModerationQueue",
    query=(
        query_param(
            "kind",
            {"type": "string", "enum": list(QUEUE_KINDS)},
            "Only held posts or only posts with open flags.",
        ),
        cursor_param(),
        limit_param(QUEUE_PER_PAGE),
    ),
    description=TEAM_ONLY,
)
@token_required
def queue():
    reviewer()
    kind = request.args.get("kind")
    if kind is not None and kind not in QUEUE_KINDS:
        raise validation_error({"kind": f"Must be one of {', '.join(QUEUE_KINDS)}."})
    posts, next_cursor = keyset_page(
        queries.queue_query(kind, decode_cursor("cursor", float, int, int)),
        limit_arg(default=QUEUE_PER_PAGE),
        key=queries.queue_key,
    )
    histories = queries.author_histories({post.author_id for post in posts})
    policy = load_policy()
    items = [
        serializers.queue_item(post, histories[post.author_id], user_level(post.author, policy))
        for post in posts
    ]
    return jsonify(items=items, total=queries.queue_size(kind), next_cursor=next_cursor)


@bp.post("/moderation/posts/<id:id>/approve")
@operation(
    "Approve a post: publish it, decline its flags, train the classifier on it as not spam",
    "Moderation",
    response="Approved",
    body="Approval",
    errors=(409,),
    description=f"{TEAM_ONLY} 409 when another moderator decided first (or, with `version`, "
    "the post changed since) and for a post that is not waiting for review.",
)
@token_required
def approve_post(id):
    actor = reviewer()
    post = get_post_or_404(id, actor)
    reason, version = decision(json_body())
    entry = services.approve(actor, post, reason, version)
    return jsonify(post_id=post.id, status=post.status, audit_id=entry.id)


@bp.post("/moderation/posts/<id:id>/remove")
@operation(
    "Remove a post (its thread too, if it is the question), as spam or not",
    "Moderation",
    response="Removed",
    body="Removal",
    errors=(409,),
    description=f"{TEAM_ONLY} Its flags are upheld; as spam, the classifier learns from it. "
    "409 when another moderator decided first and for a post already removed.",
)
@token_required
def remove_post(id):
    actor = reviewer()
    post = get_post_or_404(id, actor)
    data = json_body()
    spam = bool_fields(data, required=("spam",))["spam"]
    reason, version = decision(data)
    entry = services.remove(actor, post, spam, reason, version)
    return jsonify(post_id=post.id, status=post.status, spam=spam, audit_id=entry.id)


@bp.post("/moderation/users/<id:id>/ban")
@operation(
    "Ban an account, optionally removing every post of theirs",
    "Moderation",
    response="Banned",
    body="Ban",
    errors=(409,),
    description=f"{TEAM_ONLY} Only customers' accounts, never your own (403). The account is "
    "signed out everywhere and its tokens stop working. 409 when it is already banned and "
    "nothing is purged. Undo from the audit log.",
)
@token_required
def ban_user(id):
    actor = reviewer()
    target = db.session.get(User, id)
    if target is None:
        raise ApiError(404, "No user with that id.", "not_found")
    require(can_ban(actor, target))
    data = json_body()
    choices = bool_fields(data, required=("purge",), optional=("spam",))
    reason = bounded_text(text_fields(data, optional=("reason",)), "reason", REASON_MAX)
    entry = accounts.ban(actor, target, choices["purge"], choices.get("spam"), reason)
    return jsonify(user_id=target.id, banned=True, purged=entry.after["purged"], audit_id=entry.id)


@bp.post("/moderation/spam/score")
@operation(
    "Score a text as a post by a given author would be scored; stores nothing",
    "Moderation",
    response="SpamVerdict",
    body="SpamProbe",
    description=f"{TEAM_ONLY} The same verdict as `flask spam score` gives for one input line.",
)
@token_required
def score_spam():
    reviewer()
    try:
        verdict = probe.score(json_body())
    except probe.ProbeError as error:
        raise ApiError(422, str(error), "validation_error") from error
    return jsonify(verdict)
