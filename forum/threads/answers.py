"""Accepted answers: the team accepts, changes or unmarks one; the asker may suggest one.

Accepting and unmarking are conditional UPDATEs on the thread's current accepted answer (the
one the team member saw), so of two people changing it at once exactly one wins and the other
is told; the knowledge-base draft follows in the same transaction, notifications from the
outbox event.
"""

from forum.clock import utcnow
from forum.extensions import db
from forum.kb import sync as kb_sync
from forum.moderation.models import ModerationAction, record
from forum.moderation.notices import notify
from forum.outbox import emit
from forum.threads.errors import ContentError
from forum.threads.models import Thread
from forum.users.models import TEAM_ROLES, User

CURRENT = object()  # "whatever the thread holds now" (no concurrency check wanted)


class AnswerConflict(ContentError):
    """Someone else changed the accepted answer since this person looked."""

    status = 409


def check_answer(post, thread):
    """Refuse a post that cannot be ``thread``'s answer: from another thread, the question
    itself, deleted, held or otherwise not visible."""
    if post.thread_id != thread.id:
        raise ContentError("That reply belongs to another thread.", "post_id")
    if post.is_question:
        raise ContentError("The question itself cannot be its accepted answer.", "post_id")
    if post.status == "deleted":
        raise ContentError("That reply was deleted, so it cannot be the answer.", "post_id")
    if post.status == "held":
        raise ContentError(
            "That reply is waiting for review; approve it before accepting it.", "post_id"
        )
    if post.status != "visible":
        raise ContentError("Only a visible reply can be the accepted answer.", "post_id")


def _swap(thread, expected, values):
    """Set ``values`` on the thread only if its accepted answer is still ``expected``."""
    current = Thread.accepted_post_id
    condition = current.is_(None) if expected is None else current == expected
    result = db.session.execute(
        db.update(Thread)
        .where(Thread.id == thread.id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    changed = result.rowcount == 1
    if not changed:
        db.session.rollback()
    db.session.refresh(thread)
    return changed


def _conflict(thread):
    last = db.session.scalar(
        db.select(ModerationAction)
        .where(ModerationAction.target_type == "thread", ModerationAction.target_id == thread.id)
        .where(ModerationAction.action.in_(("accept_answer", "unaccept_answer")))
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )
    who = last.actor.username if last and last.actor else "Someone"
    now = "has no accepted answer now" if thread.accepted_post_id is None else "has another one"
    return AnswerConflict(
        f"{who} changed the accepted answer a moment ago: the thread {now}. "
        "Reload the page to see it before changing it again."
    )


def accept_answer(actor, post, thread=None, expected=CURRENT):
    """Mark ``post`` as its thread's accepted answer, replacing any other; ``expected`` is the
    accepted post id the actor saw (None for none). Refuses posts ``check_answer`` refuses and,
    with AnswerConflict (409), an accepted answer someone else changed meanwhile. Drafts or
    updates the thread's KB article; the answerer and the asker are notified from the event."""
    thread = thread or post.thread
    check_answer(post, thread)
    before = thread.accepted_post_id if expected is CURRENT else expected
    if thread.accepted_post_id == post.id:
        return thread
    values = {
        "accepted_post_id": post.id,
        "accepted_by_id": actor.id,
        "solved_at": utcnow(),
        "suggested_post_id": None,
    }
    if not _swap(thread, before, values):
        if thread.accepted_post_id == post.id:
            return thread  # someone accepted the same answer first: nothing left to do
        raise _conflict(thread)
    record(actor, "accept_answer", thread, before={"post_id": before}, after={"post_id": post.id})
    emit("answer.accepted", thread_id=thread.id, post_id=post.id)
    kb_sync.answer_accepted(actor, thread, post, before)
    db.session.commit()
    return thread


def unaccept_answer(actor, thread, expected=CURRENT):
    """Unmark the accepted answer; nothing to do when there is none. ``expected`` as for
    ``accept_answer`` (AnswerConflict when it changed). Puts the KB article up for review."""
    before = thread.accepted_post_id if expected is CURRENT else expected
    if before is None:
        return thread
    values = {"accepted_post_id": None, "accepted_by_id": None, "solved_at": None}
    if not _swap(thread, before, values):
        if thread.accepted_post_id is None:
            return thread
        raise _conflict(thread)
    record(actor, "unaccept_answer", thread, before={"post_id": before}, after={"post_id": None})
    emit("answer.unaccepted", thread_id=thread.id, post_id=before)
    kb_sync.answer_unaccepted(thread)
    db.session.commit()
    return thread


def suggest_answer(user, post):
    """The asker says ``post`` solved their question: it is marked as suggested and every team
    member is notified, since only they accept. Refuses anyone but the asker, a thread that
    already has an accepted answer, and posts ``check_answer`` refuses."""
    thread = post.thread
    if user.id != thread.author_id:
        raise ContentError("Only the person who asked can suggest the answer.")
    if thread.accepted_post_id is not None:
        raise ContentError("This question already has an accepted answer.")
    check_answer(post, thread)
    if thread.suggested_post_id == post.id:
        return thread
    thread.suggested_post_id = post.id
    team = db.session.scalars(
        db.select(User.id).where(User.role.in_(TEAM_ROLES), User.is_banned.is_(False))
    ).all()
    for member in team:
        notify(
            member,
            f"{user.username} says a reply by {post.author.username} solved “{thread.title}”. "
            "Accept it if it is right.",
            post,
        )
    emit("answer.suggested", thread_id=thread.id, post_id=post.id)
    db.session.commit()
    return thread
