"""Post endpoints: read, edit, delete, report to the moderators."""

from flask import jsonify

from forum.api import bp, serializers
from forum.api.auth import api_user, token_required
from forum.api.errors import validation_error
from forum.api.inputs import bounded_text, json_body, text_fields
from forum.api.openapi import SCREENING, operation
from forum.moderation import flags
from forum.moderation.models import FLAG_REASONS
from forum.permissions import can_delete_post, can_edit_post, can_flag, require
from forum.threads import services
from forum.threads.queries import get_post_or_404


@bp.get("/posts/<id:id>")
@operation("Read one post", "Posts", response="Post")
def get_post(id):
    return jsonify(serializers.post(get_post_or_404(id, api_user())))


@bp.patch("/posts/<id:id>")
@operation(
    "Edit a post (and a question's title)",
    "Posts",
    response="Post",
    body="PostEdit",
    description="Authors edit their own posts unless the thread is locked; the team edits any. "
    "An author's edit is screened again: it can hold a visible post or release a held one. "
    + SCREENING,
)
@token_required
def edit_post(id):
    user = api_user()
    post = get_post_or_404(id, user)
    require(can_edit_post(user, post))
    fields = text_fields(json_body(), required=("body",), optional=("title",))
    if "title" in fields and not post.is_question:
        raise validation_error({"title": "Only a question has a title."})
    services.edit_post(user, post, fields["body"], fields.get("title"))
    return jsonify(serializers.post(post))


@bp.delete("/posts/<id:id>")
@operation(
    "Delete a post",
    "Posts",
    response="PostStatus",
    errors=(409,),
    description="Deleting a question deletes its thread; its author may do so only while it "
    "has no replies (409 otherwise).",
)
@token_required
def delete_post(id):
    user = api_user()
    post = get_post_or_404(id, user)
    require(can_delete_post(user, post))
    services.delete_post(user, post)
    return jsonify(id=post.id, thread_id=post.thread_id, status=post.status)


@bp.post("/posts/<id:id>/flags")
@operation(
    "Report a post to the moderators",
    "Posts",
    response="FlagCreated",
    status=201,
    body="NewFlag",
    errors=(409,),
    description="Once per post; 409 for a second report. Your own posts and posts that are not "
    "public cannot be reported, nor can anything while your account is silenced (403). Enough "
    "reports hide the post until a moderator decides (`hidden`).",
)
@token_required
def flag_post(id):
    user = api_user()
    post = get_post_or_404(id, user)
    require(can_flag(user, post))
    fields = text_fields(json_body(), required=("reason",), optional=("note",))
    if fields["reason"] not in FLAG_REASONS:
        raise validation_error({"reason": f"Must be one of {', '.join(FLAG_REASONS)}."})
    note = bounded_text(fields, "note", flags.NOTE_MAX)
    flag, hidden = flags.flag(user, post, fields["reason"], note)
    return jsonify(flag_id=flag.id, post_id=post.id, weight=flag.weight, hidden=hidden), 201
