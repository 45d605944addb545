"""Models → JSON. Every shape here has a schema of the same name in ``schemas.py``; the
schemathesis test checks that they agree."""

from flask import request

from forum import markup
from forum.spam.explain import author_reason

EXCERPT_CHARS = 300


def timestamp(moment):
    """Naive UTC → RFC 3339 with a Z, the form the OpenAPI ``date-time`` format expects."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def absolute(url):
    """The HTML page's full address, for integrators to link to."""
    return request.host_url.rstrip("/") + url


def user_summary(user):
    return {"id": user.id, "username": user.username, "role": user.role}


def profile(user, post_count):
    """The public profile; never the email address."""
    return {
        **user_summary(user),
        "created_at": timestamp(user.created_at),
        "post_count": post_count,
        "url": absolute(user.url),
    }


def me(user, post_count):
    return {**profile(user, post_count), "email": user.email}


def category(category, thread_count):
    return {
        "id": category.id,
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
        "thread_count": thread_count,
        "url": absolute(category.url),
    }


def thread(thread):
    return {
        "id": thread.id,
        "title": thread.title,
        "category": {"id": thread.category.id, "slug": thread.category.slug},
        "author": user_summary(thread.author),
        "status": thread.status,
        "created_at": timestamp(thread.created_at),
        "last_activity_at": timestamp(thread.last_activity_at),
        "locked": thread.locked,
        "pinned": thread.pinned,
        "solved": thread.solved,
        "accepted_post_id": thread.accepted_post_id,
        "reply_count": thread.reply_count,
        "url": absolute(thread.url),
    }


def post(post):
    """A post; a held one also says why it waits, in the words its author is shown."""
    data = {
        "id": post.id,
        "thread_id": post.thread_id,
        "is_question": post.is_question,
        "author": user_summary(post.author),
        "body": post.body,
        "html": post.html,
        "status": post.status,
        "created_at": timestamp(post.created_at),
        "edited_at": timestamp(post.edited_at),
        "url": absolute(post.url),
    }
    if post.status == "held":
        data["held_reason"] = author_reason(post.spam_reasons)
    return data


def thread_created(new):
    """A new thread with its question; a held one carries the question's ``held_reason`` at the
    top too, next to the thread's ``status``."""
    question = post(new.question)
    data = {**thread(new), "post": question}
    if "held_reason" in question:
        data["held_reason"] = question["held_reason"]
    return data


def token(token):
    """A token without its secret (the secret is never stored)."""
    return {
        "id": token.id,
        "name": token.name,
        "created_at": timestamp(token.created_at),
        "last_used_at": timestamp(token.last_used_at),
    }


def queue_item(post, history, trust):
    """A post in the review queue with what a moderator decides on: the spam verdict's reasons,
    the open flags and the author's trust and history. ``version`` guards the decision."""
    return {
        "post_id": post.id,
        "thread_id": post.thread_id,
        "thread_title": post.thread.title,
        "is_question": post.is_question,
        "status": post.status,
        "score": post.spam_score,
        "version": post.review_version,
        "reasons": post.spam_reasons or [],
        "flags": [open_flag(flag) for flag in post.flags if flag.resolution is None],
        "author": {
            **user_summary(post.author),
            "trust": trust,
            "approved_posts": post.author.approved_posts,
            "history": history,
        },
        "body": post.body,
        "excerpt": markup.excerpt_of_html(post.html, EXCERPT_CHARS),
        "created_at": timestamp(post.created_at),
        "url": absolute(post.url),
    }


def open_flag(flag):
    """A report; ``flagger`` is None for a flag raised by an admin rule."""
    return {
        "id": flag.id,
        "reason": flag.reason,
        "note": flag.note,
        "weight": flag.weight,
        "flagger": flag.flagger.username if flag.flagger else None,
        "created_at": timestamp(flag.created_at),
    }
