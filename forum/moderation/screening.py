"""Screening new and edited posts: the spam verdict turned into a status.

Called by the thread services inside their transaction, before they commit. A held post is
visible only to its author and the team; a rejected post is not stored at all, but the refusal
is written to the audit log so moderators can see what was turned away.
"""

import logging
import math
import time

from flask import current_app, has_request_context

from forum.extensions import db, limiter
from forum.moderation.errors import RateLimited, Rejected, Silenced
from forum.moderation.models import Flag, record, unproxied
from forum.outbox import emit
from forum.spam.explain import author_reason
from forum.spam.policy import load_policy
from forum.spam.scoring import assess, sample_of
from forum.spam.trust import Author, level
from forum.spam.verdict import Reason, Verdict
from forum.users.models import User

log = logging.getLogger(__name__)


def _describe(item):
    unit = item.GRANULARITY.name
    every = f"{item.multiples} {unit}s" if item.multiples > 1 else unit
    return f"{item.amount} post{'s' if item.amount != 1 else ''} per {every}"


def _rate_limit(user, policy, count):
    """New accounts' posting limits, on the same storage and switch as every other limit.
    ``count`` False only checks that a post is left (before scoring); True uses one up (once
    the post is to be stored: posts refused as spam do not count). Only for requests: imports
    and demo seeding from the command line are not someone posting too fast."""
    enabled = current_app.config.get("RATELIMIT_ENABLED") and limiter.enabled
    if not enabled or not has_request_context():
        return
    use = limiter.limiter.hit if count else limiter.limiter.test
    for item in policy.rate_limits:
        if not use(item, "new-account-post", str(user.id)):
            reset = limiter.limiter.get_window_stats(item, "new-account-post", str(user.id))[0]
            raise RateLimited(
                f"New accounts can make {_describe(item)}. Please wait a little and try again.",
                "body",
                retry_after=max(1, math.ceil(reset - time.time())),
            )


def screen(post, user, title=None):
    """The verdict on ``post`` by ``user``, stored on the post (score, reasons, fingerprint).

    Refuses silenced authors (Silenced), new accounts over their posting limit (RateLimited;
    a post refused as spam does not count toward it) and posts the layers reject (Rejected,
    also logging the refusal), rolling the caller's change back first. The team is never
    screened. The caller applies the verdict (``apply_new`` or a status change for edits).
    """
    # Without autoflush a new post is scored before it is written: it is not its own
    # duplicate nor counted in its own velocity, and its row is inserted once, with its score.
    with db.session.no_autoflush:
        try:
            return _screen(post, user, title)
        except (Silenced, RateLimited):
            # The unsaved post (or edit) must not be flushed by a later query of the request.
            db.session.rollback()
            raise


def _screen(post, user, title):
    if user.is_team:
        return Verdict("publish", 0.0, [Reason("trust.team", 0.0, "team member")], "team")
    if user.is_silenced:
        until = user.silenced_until.strftime("%-d %B %Y, %H:%M UTC")
        raise Silenced(f"A moderator has silenced your account until {until}.", "body")
    policy = load_policy()
    author = Author.of(user)
    limited = level(author, policy) == "new"
    if limited:
        _rate_limit(user, policy, count=False)
    sample = sample_of(post, title)
    verdict = assess(sample, author, policy)
    post.spam_score, post.spam_reasons = verdict.score, verdict.reasons_json()
    post.fingerprint = sample.fingerprint
    if verdict.dry_run:
        if verdict.action != "publish":
            log.info(
                "spam dry run: would %s post by %s: %s",
                verdict.action,
                user.username,
                verdict.as_dict(),
            )
        verdict.action = "publish"
    elif verdict.action == "reject":
        _refuse(post, user, verdict)
    if limited:
        _rate_limit(user, policy, count=True)
    return verdict


def _refuse(post, user, verdict):
    body = post.body
    db.session.rollback()
    record(
        None,
        "reject",
        unproxied(user),  # the account, even when the view passed current_user
        reason=f"score {verdict.score:g}",
        after={"score": verdict.score, "reasons": verdict.reasons_json(), "excerpt": body[:300]},
    )
    db.session.commit()
    raise Rejected(author_reason(verdict.reasons_json(), held=False), verdict)


def apply_new(post, verdict):
    """Give a new post its status from the verdict, and queue it when an admin rule flags it.
    A published post counts toward its author's trust."""
    post.status = "held" if verdict.action == "hold" else "visible"
    post.verdict = verdict
    if post.is_question:
        post.thread.status = post.status
    for reason in verdict.flags:
        db.session.add(Flag(post=post, reason="rule", note=reason.evidence[:500], weight=0.0))
    post.open_flags = len(verdict.flags)
    if post.status == "visible" and verdict.trust != "team":
        post.author.approved_posts = User.approved_posts + 1


def emit_held(post):
    """After the flush that gave the post its id: tell consumers (webhooks) it waits."""
    if post.status == "held":
        emit("post.held", thread_id=post.thread_id, post_id=post.id)
