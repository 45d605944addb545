"""Thread endpoints: list, ask, read with paginated posts, reply."""

from datetime import datetime

from flask import jsonify, request, url_for

from forum.api import bp, serializers
from forum.api.auth import api_user, token_required
from forum.api.errors import validation_error
from forum.api.inputs import bool_arg, json_body, limit_arg, text_fields
from forum.api.openapi import (
    SCREENING,
    cursor_param,
    limit_param,
    operation,
    query_param,
)
from forum.api.pagination import decode_cursor, keyset_page
from forum.categories import services as categories
from forum.permissions import can_post, can_reply, require
from forum.threads import services
from forum.threads.errors import ContentError, clean_each
from forum.threads.models import Post
from forum.threads.queries import count, get_thread_or_404, threads_by_activity, visible_posts

UNKNOWN_CATEGORY = "No category has that slug."
THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 50


def question_category(fields):
    """The category a new question names; an unknown one is a 422 that names any refused title
    or body too, as create_thread names both."""
    category = categories.get_by_slug(fields["category"])
    if category is not None:
        return category
    errors = {"category": UNKNOWN_CATEGORY}
    try:
        clean_each((services.clean_title, fields["title"]), (services.clean_body, fields["body"]))
    except ContentError as error:
        errors.update(error.errors)
    raise validation_error(errors)


def category_arg(slug):
    category = categories.get_by_slug(slug)
    if category is None:
        raise validation_error({"category": UNKNOWN_CATEGORY})
    return category


@bp.get("/threads")
@operation(
    "List threads, newest activity first",
    "Threads",
    response="ThreadList",
    query=(
        query_param("category", {"type": "string"}, "Only this category (a slug)."),
        query_param("solved", {"type": "boolean"}, "Only solved (true) or unsolved (false)."),
        cursor_param(),
        limit_param(THREADS_PER_PAGE),
    ),
)
def list_threads():
    slug = request.args.get("category")
    threads, next_cursor = keyset_page(
        threads_by_activity(
            category_arg(slug) if slug is not None else None,
            bool_arg("solved"),
            decode_cursor("cursor", datetime, int),
        ),
        limit_arg(default=THREADS_PER_PAGE),
        key=lambda thread: (thread.last_activity_at, thread.id),
    )
    return jsonify(items=[serializers.thread(t) for t in threads], next_cursor=next_cursor)


@bp.post("/threads")
@operation(
    "Ask a question: a new thread and its first post",
    "Threads",
    response="ThreadCreated",
    status=201,
    body="NewThread",
    location=True,
    description=SCREENING,
)
@token_required
def create_thread():
    user = api_user()
    require(can_post(user))
    fields = text_fields(json_body(), required=("category", "title", "body"))
    category = question_category(fields)
    thread = services.create_thread(user, category, fields["title"], fields["body"])
    location = {"Location": url_for("api.get_thread", id=thread.id)}
    return jsonify(serializers.thread_created(thread)), 201, location


@bp.get("/threads/<id:id>")
@operation(
    "Read a thread and a page of its posts, oldest first",
    "Threads",
    response="ThreadDetail",
    query=(cursor_param("posts_cursor"), limit_param(POSTS_PER_PAGE)),
)
def get_thread(id):
    viewer = api_user()
    thread = get_thread_or_404(id, viewer)
    posts = visible_posts(thread, viewer)
    after = decode_cursor("posts_cursor", int)
    page, next_cursor = keyset_page(
        posts.where(Post.id > after[0]) if after else posts,
        limit_arg(default=POSTS_PER_PAGE),
        key=lambda post: (post.id,),
    )
    return jsonify(
        **serializers.thread(thread),
        post_count=count(posts),
        posts=[serializers.post(post) for post in page],
        next_posts_cursor=next_cursor,
    )


@bp.post("/threads/<id:id>/posts")
@operation(
    "Reply to a thread",
    "Threads",
    response="Post",
    status=201,
    body="NewPost",
    location=True,
    description="Locked threads refuse replies with 403 (except from the team). " + SCREENING,
)
@token_required
def reply(id):
    user = api_user()
    thread = get_thread_or_404(id, user)
    require(can_reply(user, thread))
    fields = text_fields(json_body(), required=("body",))
    post = services.reply(user, thread, fields["body"])
    return jsonify(serializers.post(post)), 201, {"Location": url_for("api.get_post", id=post.id)}
