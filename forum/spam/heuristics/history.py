"""Checks against what was posted before: near-duplicates and posting velocity.

Both read one indexed query of the most recent posts (fingerprint, author, time); only on a
forum busy enough that those rows don't reach back over the velocity window does velocity
need a count query of its own.
"""

from datetime import timedelta

from forum.clock import utcnow
from forum.extensions import db
from forum.spam.text import hamming
from forum.spam.verdict import Reason
from forum.threads.models import Post

NEAR = 12  # differing bits of 64: unrelated texts differ in ~32, rarely fewer than 15
RECENT_LIMIT = 300  # on a busy forum: the last few hours, where campaigns burst
# An author's posts in the velocity window are counted up to this: enough to tell a burst,
# and a flood of thousands costs no more to count than a burst of a hundred.
VELOCITY_COUNT_MAX = 100


def _velocity_since(context):
    return utcnow() - timedelta(minutes=context.policy.velocity_window_minutes)


# Built once with bound parameters: this runs for every post. The database compares the times
# ("fresh": inside the velocity window); parsing hundreds of timestamps in Python costs more.
_RECENT = (
    db.select(
        Post.id,
        Post.author_id,
        Post.fingerprint,
        (Post.created_at >= db.bindparam("fresh_since")).label("fresh"),
    )
    .where(Post.created_at >= db.bindparam("since"))
    .order_by(Post.created_at.desc())
    .limit(RECENT_LIMIT)
)
_RECENT_EXCEPT = _RECENT.where(Post.id != db.bindparam("post_id"))


def recent_posts(context):
    """(id, author id, fingerprint, within the velocity window?) of the latest posts, newest
    first (never the post being scored); cached on the context so both checks share one
    query, run through the connection because its rows are plain tuples."""
    if "recent" not in context.cache:
        post_id = context.sample.post_id
        params = {
            "since": utcnow() - timedelta(hours=context.policy.duplicate_window_hours),
            "fresh_since": _velocity_since(context),
            "post_id": post_id,
        }
        query = _RECENT if post_id is None else _RECENT_EXCEPT
        context.cache["recent"] = db.session.connection().execute(query, params).all()
    return context.cache["recent"]


def duplicates(context):
    """Near-duplicate of the author's own recent post (cross-posting) or of anyone's (a
    campaign from several accounts)."""
    sample, policy, me = context.sample, context.policy, context.author.id
    mine = sample.fingerprint
    if mine is None:
        return []
    others = 0
    for post_id, author_id, fingerprint, _ in recent_posts(context):
        if fingerprint is None or hamming(fingerprint, mine) > NEAR:
            continue
        if me is not None and author_id == me:
            evidence = f"repeats the author's post #{post_id}"
            return [Reason("history.duplicate_own", policy.w_duplicate_author, evidence)]
        others += 1
    if others:
        evidence = f"repeats {others} recent post(s) by other accounts"
        return [Reason("history.duplicate_other", policy.w_duplicate_anyone, evidence)]
    return []


def _count_recent(context):
    rows = recent_posts(context)
    if len(rows) < RECENT_LIMIT or not rows[-1][3]:
        me = context.author.id
        return sum(1 for _, author_id, _, fresh in rows if fresh and author_id == me)
    query = db.select(Post.id).where(
        Post.author_id == context.author.id, Post.created_at >= _velocity_since(context)
    )
    if context.sample.post_id is not None:
        query = query.where(Post.id != context.sample.post_id)
    counted = db.select(db.func.count()).select_from(query.limit(VELOCITY_COUNT_MAX).subquery())
    return db.session.connection().execute(counted).scalar()


def velocity(context):
    """More posts in the velocity window than the setting allows (the team is never counted)."""
    author, policy = context.author, context.policy
    if author.id is None or context.trust == "team":
        return []
    minutes = policy.velocity_window_minutes
    recent = _count_recent(context)
    if recent < policy.velocity_max_posts:
        return []
    posts = f"over {VELOCITY_COUNT_MAX}" if recent >= VELOCITY_COUNT_MAX else recent + 1
    evidence = f"{posts} posts in {minutes} minutes"
    return [Reason("history.velocity", policy.w_velocity, evidence)]
