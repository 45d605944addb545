"""The service-quality dashboard's figures over a period, each from one SQL query.

Periods end now and start ``days`` days earlier; thread figures concern the questions customers
*asked* in the period (so a slow answer counts against the week the customer asked in), and,
like the unanswered queue, leave out the threads the team started (asked_by_a_customer).
Percentiles use linear interpolation between the closest ranks, the method of PostgreSQL's
percentile_cont and of spreadsheet PERCENTILE.INC: p(q) of sorted x[0..n-1] is
x[k] + (x[k+1] - x[k])·(h - k) with h = (n - 1)·q and k = ⌊h⌋.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import case, func

from forum.clock import utcnow
from forum.extensions import db
from forum.kb.models import Article, ArticleVote
from forum.moderation.models import ModerationAction
from forum.search import report
from forum.search.models import Deflection
from forum.threads.models import Post, Thread
from forum.users.models import TEAM_ROLES, User

PERIODS = (7, 30, 90)
DAY = timedelta(hours=24)
AGE_BUCKETS = (
    ("Under 24 hours", timedelta(0)),
    ("1–3 days", timedelta(days=1)),
    ("3–7 days", timedelta(days=3)),
    ("Over 7 days", timedelta(days=7)),
)
RESPONSE_BUCKETS = (
    ("Under 1 hour", timedelta(0)),
    ("1–4 hours", timedelta(hours=1)),
    ("4–24 hours", timedelta(hours=4)),
    ("1–3 days", timedelta(days=1)),
    ("Over 3 days", timedelta(days=3)),
)


def percentile(values, q):
    """The ``q``-quantile (0 ≤ q ≤ 1) of ``values`` by linear interpolation; None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    h = (len(ordered) - 1) * q
    k = math.floor(h)
    if k + 1 >= len(ordered):
        return ordered[k]
    return ordered[k] + (ordered[k + 1] - ordered[k]) * (h - k)


def bucket_counts(durations, buckets):
    """``[(label, n)]``: how many durations fall in each bucket (a bucket starts at its bound)."""
    counts = [0] * len(buckets)
    for duration in durations:
        index = max(i for i, (_label, start) in enumerate(buckets) if duration >= start)
        counts[index] += 1
    return [(label, n) for (label, _start), n in zip(buckets, counts, strict=True)]


@dataclass
class Response:
    """First-response times (seconds) of the threads asked in the period."""

    asked: int
    times: list  # seconds, one per thread that got a response
    within_day: int  # responses within 24 h, among threads at least 24 h old
    day_old: int  # threads at least 24 h old

    @property
    def median(self):
        return percentile(self.times, 0.5)

    @property
    def p90(self):
        return percentile(self.times, 0.9)

    @property
    def share_within_day(self):
        return self.within_day / self.day_old if self.day_old else None


@dataclass
class Figures:
    days: int
    start: object
    now: object
    any_reply: Response = None
    staff_reply: Response = None
    solved: int = 0
    distribution: list = field(default_factory=list)
    unanswered: list = field(default_factory=list)
    deflections: dict = field(default_factory=dict)
    zero_searches: list = field(default_factory=list)
    helpfulness: list = field(default_factory=list)
    spam: dict = field(default_factory=dict)

    @property
    def asked(self):
        return self.any_reply.asked

    @property
    def solved_rate(self):
        return self.solved / self.asked if self.asked else None


def _response(rows, column, now):
    times, within, day_old = [], 0, 0
    for row in rows:
        first = getattr(row, column)
        if first is not None:
            times.append((first - row.created_at).total_seconds())
        if now - row.created_at >= DAY:
            day_old += 1
            within += first is not None and first - row.created_at <= DAY
    return Response(len(rows), times, within, day_old)


def thread_figures(figures):
    rows = db.session.execute(
        db.select(
            Thread.created_at,
            Thread.first_reply_at,
            Thread.first_staff_reply_at,
            Thread.accepted_post_id,
        ).where(
            Thread.status == "visible",
            Thread.created_at >= figures.start,
            Thread.created_at < figures.now,
            asked_by_a_customer(),
        )
    ).all()
    figures.any_reply = _response(rows, "first_reply_at", figures.now)
    figures.staff_reply = _response(rows, "first_staff_reply_at", figures.now)
    figures.solved = sum(1 for row in rows if row.accepted_post_id is not None)
    durations = [timedelta(seconds=s) for s in figures.any_reply.times]
    figures.distribution = bucket_counts(durations, RESPONSE_BUCKETS)


def asked_by_a_customer():
    """The thread was started by someone outside the team (by their role now). What moderators,
    staff and admins start (welcome posts, announcements, pinned or not) waits for nobody's
    answer; a customer's question stays a question even when it is pinned."""
    return Thread.author_id.not_in(db.select(User.id).where(User.role.in_(TEAM_ROLES)))


def unanswered_query():
    """Visible customer questions with neither a staff reply nor an accepted answer."""
    return db.select(Thread).where(
        Thread.status == "visible",
        Thread.first_staff_reply_at.is_(None),
        Thread.accepted_post_id.is_(None),
        asked_by_a_customer(),
    )


def unanswered_by_age(now):
    created = db.session.scalars(
        unanswered_query().with_only_columns(Thread.created_at).order_by(None)
    ).all()
    return bucket_counts([now - moment for moment in created], AGE_BUCKETS)


def deflection_totals(days):
    rows = db.session.execute(
        db.select(Deflection.kind, func.sum(Deflection.count))
        .where(Deflection.day >= report.since(days))
        .group_by(Deflection.kind)
    ).all()
    totals = {"suggestion_opened": 0, "answered": 0}
    totals.update({kind: int(total or 0) for kind, total in rows})
    return totals


def helpfulness(days, limit=20):
    """``[(article, yes, no)]`` from the votes cast in the period, most helpful first."""
    yes = func.sum(case((ArticleVote.helpful.is_(True), 1), else_=0))
    total = func.count(ArticleVote.id)
    rows = db.session.execute(
        db.select(Article, yes.label("yes"), total.label("total"))
        .join(ArticleVote, ArticleVote.article_id == Article.id)
        .where(ArticleVote.day >= report.since(days))
        .group_by(Article.id)
        .order_by((yes * 1.0 / total).desc(), total.desc(), Article.id)
        .limit(limit)
    ).all()
    return [(article, int(y), int(t) - int(y)) for article, y, t in rows]


def spam_figures(start):
    """Held posts decided in the period (removed as spam or approved, i.e. false positives)
    and the posts waiting in the queue now, in one query."""
    was_held = ModerationAction.before["status"].as_string() == "held"
    removed = func.count(ModerationAction.id).filter(ModerationAction.action == "remove")
    approved = func.count(ModerationAction.id).filter(ModerationAction.action == "approve")
    waiting = db.select(func.count(Post.id)).where(Post.status == "held").scalar_subquery()
    removed, approved, waiting = db.session.execute(
        db.select(removed, approved, waiting).where(
            ModerationAction.created_at >= start,
            ModerationAction.target_type == "post",
            ModerationAction.action.in_(("approve", "remove")),
            was_held,
        )
    ).one()
    return {
        "removed": removed,
        "false_positives": approved,
        "decided": removed + approved,
        "waiting": waiting,
        "false_positive_rate": approved / (removed + approved) if removed + approved else None,
    }


def figures(days, now=None):
    """Every figure of the dashboard for the last ``days`` days."""
    now = now or utcnow()
    result = Figures(days=days, start=now - timedelta(days=days), now=now)
    thread_figures(result)
    result.unanswered = unanswered_by_age(now)
    result.deflections = deflection_totals(days)
    result.zero_searches = report.top_queries(days, limit=10, zero_results=True)
    result.helpfulness = helpfulness(days)
    result.spam = spam_figures(result.start)
    return result
