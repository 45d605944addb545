"""Thread and post actions: the only write path for forum content. One commit each."""

from sqlalchemy import func

from forum import markup
from forum.clock import utcnow
from forum.extensions import db
from forum.kb import sync as kb_sync
from forum.moderation import screening, visibility
from forum.moderation.models import record, unproxied
from forum.outbox import emit
from forum.slugs import slugify
from forum.textinput import clean_field
from forum.threads.answers import (  # noqa: F401  (part of this module's interface)
    AnswerConflict,
    accept_answer,
    suggest_answer,
    unaccept_answer,
)
from forum.threads.errors import ContentError, clean_each
from forum.threads.models import Post, PostRevision, Thread

TITLE_MIN, TITLE_MAX = 3, 200
BODY_MIN, BODY_MAX = 1, 50_000


def clean_title(title):
    title = clean_field(title, "title", ContentError)
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ContentError(f"Title must be {TITLE_MIN} to {TITLE_MAX} characters long.", "title")
    return title


def clean_body(body):
    body = clean_field(body, "body", ContentError, block=True)
    if not BODY_MIN <= len(body) <= BODY_MAX:
        raise ContentError(f"Text must be {BODY_MIN} to {BODY_MAX:,} characters long.", "body")
    return body


def _new_post(thread, author, body, is_question=False):
    post = Post(
        thread=thread, author=author, body=body, html=markup.render(body), is_question=is_question
    )
    db.session.add(post)
    return post


def create_thread(author, category, title, body, at=None):
    """Ask a question: a thread and its first post, in one commit. ``at`` backdates (imports).

    The question is screened for spam first: the returned thread has ``status`` "held" (and
    ``verdict``, also on its question as ``thread.question.verdict``) when it waits for
    review; a rejected question raises Rejected (a ContentError) and stores nothing."""
    title, body = clean_each((clean_title, title), (clean_body, body))
    now = at or utcnow()
    thread = Thread(
        category=category,
        author=author,
        title=title,
        slug=slugify(title),
        created_at=now,
        last_activity_at=now,
    )
    db.session.add(thread)
    post = _new_post(thread, author, body, is_question=True)
    post.created_at = now
    screening.apply_new(post, screening.screen(post, author, title))
    db.session.flush()
    emit("thread.created", thread_id=thread.id)
    screening.emit_held(post)
    _commit_keeping(thread, post, author)
    thread.question, thread.verdict = post, post.verdict
    return thread


def reply(author, thread, body, at=None):
    """Add a reply; the caller has checked ``can_reply``. ``at`` backdates (imports).

    The reply is screened for spam: the returned post has ``status`` "held" and ``verdict``
    when it waits for review, and only a visible reply counts toward the thread's replies."""
    body = clean_body(body)
    post = _new_post(thread, author, body)
    post.created_at = at or utcnow()
    screening.apply_new(post, screening.screen(post, author))
    if post.status == "visible":
        visibility.count_reply(thread, post)
    db.session.flush()
    emit("post.created", thread_id=thread.id, post_id=post.id)
    screening.emit_held(post)
    _commit_keeping(post, thread, author)
    return post


def _commit_keeping(*kept):
    """Commit, keeping ``kept`` loaded: the caller goes on to read the new post, its thread and
    its author (for the redirect to it, or the API's answer), which would otherwise be loaded
    again, a query each. Everything else is expired as a commit does (a category's thread count,
    kept by a trigger), and so is what the database changed on the kept rows by itself: the
    thread's version (bumped with the event) and counters assigned as SQL expressions (expired
    by the flush)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    kept = {id(unproxied(instance)) for instance in kept}
    for instance in list(session.identity_map.values()):
        if id(instance) not in kept:
            session.expire(instance)
        elif isinstance(instance, Thread):
            session.expire(instance, ["version"])


def edit_post(editor, post, body, title=None):
    """Change a post's text (and, for a question, its title), keeping the old text.

    An author's edit is screened again: it can put a visible post on hold or release a held
    one (``post.verdict`` says why); a rejected edit raises Rejected and changes nothing."""
    thread = post.thread
    if post.is_question and title is not None:
        body, new_title = clean_each((clean_body, body), (clean_title, title))
    else:
        body, new_title = clean_body(body), thread.title
    if body == post.body and new_title == thread.title:
        return post
    db.session.add(
        PostRevision(
            post_id=post.id,
            body=post.body,
            author_id=post.edited_by_id or post.author_id,
            title=thread.title if post.is_question else None,
            created_at=post.edited_at or post.created_at,
        )
    )
    if editor.id != post.author_id:
        record(editor, "edit_post", post, before={"body": post.body}, after={"body": body})
    post.body, post.html = body, markup.render(body)
    post.edited_at, post.edited_by_id = utcnow(), editor.id
    if new_title != thread.title:
        thread.title, thread.slug = new_title, slugify(new_title)
    if editor.id == post.author_id and post.status in ("visible", "held"):
        _rescreen(post, editor, new_title)
    kb_sync.answer_edited(post)
    emit("post.edited", thread_id=thread.id, post_id=post.id)
    db.session.commit()
    return post


def _rescreen(post, author, title):
    verdict = screening.screen(post, author, title)
    post.verdict = verdict
    if verdict.action == "hold" and post.status == "visible":
        visibility.set_status(post, "held")
        screening.emit_held(post)
    elif verdict.action == "publish" and post.status == "held":
        visibility.set_status(post, "visible")


def visible_reply_count(thread):
    return db.session.scalar(
        db.select(func.count(Post.id)).where(
            Post.thread_id == thread.id, Post.status == "visible", Post.is_question.is_(False)
        )
    )


def delete_refusal(actor, post):
    """Why ``actor`` may not delete ``post`` although they may delete posts like it, or None.
    An author deleting a question deletes the thread, but only while it has no replies; the
    team may delete a question with replies, removing the whole thread."""
    by_author = actor.id == post.author_id
    if post.is_question and by_author and not actor.is_team:
        if visible_reply_count(post.thread) > 0:
            return "This question already has replies, so it can't be deleted. You can edit it."
    return None


def delete_post(actor, post):
    """Soft-delete a post (see ``delete_refusal`` for the one case refused)."""
    thread = post.thread
    by_author = actor.id == post.author_id
    refusal = delete_refusal(actor, post)
    if refusal:
        raise ContentError(refusal)
    if post.is_question:
        thread.status = "deleted" if by_author else "removed"
    elif post.status == "visible":
        thread.reply_count = Thread.reply_count - 1
    if thread.accepted_post_id == post.id:
        kb_sync.answer_unaccepted(thread)
        thread.accepted_post_id, thread.solved_at, thread.accepted_by_id = None, None, None
    before = post.status
    post.status = "deleted" if by_author else "removed"
    if not by_author:
        record(actor, "delete_post", post, before={"status": before}, after={"status": post.status})
    emit("post.deleted", thread_id=thread.id, post_id=post.id)
    db.session.commit()


def set_flag(actor, thread, field, value):
    """Lock/unlock or pin/unpin a thread, with an audit entry."""
    if field not in ("locked", "pinned"):
        raise ValueError(field)
    if getattr(thread, field) == value:
        return
    setattr(thread, field, value)
    action = {
        ("locked", True): "lock",
        ("locked", False): "unlock",
        ("pinned", True): "pin",
        ("pinned", False): "unpin",
    }[field, value]
    record(actor, action, thread, before={field: not value}, after={field: value})
    emit("thread.changed", thread_id=thread.id)
    db.session.commit()


def move_thread(actor, thread, category):
    if thread.category_id == category.id:
        return
    before = thread.category.slug
    thread.category = category
    record(
        actor, "move_thread", thread, before={"category": before}, after={"category": category.slug}
    )
    emit("thread.changed", thread_id=thread.id)
    db.session.commit()
