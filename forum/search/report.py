"""The search log page's figures: top queries, top queries with no results, click-through
rate and deflections over the last N days."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func

from forum.extensions import db
from forum.search.models import Deflection, SearchLog, today

PERIODS = (7, 30, 90)


@dataclass
class Summary:
    searches: int
    with_results: int
    clicked: int

    @property
    def zero_results(self):
        return self.searches - self.with_results

    @property
    def click_through_rate(self):
        """Searches with a click among searches that found something; None before any."""
        return self.clicked / self.with_results if self.with_results else None


def since(days):
    return today() - timedelta(days=days - 1)


def summary(days):
    row = db.session.execute(
        db.select(
            func.count(SearchLog.id),
            func.coalesce(func.sum(case((SearchLog.result_count > 0, 1), else_=0)), 0),
            func.count(SearchLog.clicked_id),
        ).where(SearchLog.day >= since(days))
    ).one()
    return Summary(*row)


def top_queries(days, limit=20, zero_results=False):
    """``[(query, searches, average results, clicks)]``, most searched first."""
    query = db.select(
        SearchLog.query,
        func.count(SearchLog.id).label("searches"),
        func.avg(SearchLog.result_count),
        func.count(SearchLog.clicked_id),
    ).where(SearchLog.day >= since(days))
    if zero_results:
        query = query.where(SearchLog.result_count == 0)
    query = query.group_by(SearchLog.query).order_by(db.desc("searches"), SearchLog.query)
    return db.session.execute(query.limit(limit)).all()


def deflections(days):
    """``[(day, suggestions opened, answered)]``, newest day first, only days with counts."""
    rows = db.session.execute(
        db.select(Deflection.day, Deflection.kind, Deflection.count).where(
            Deflection.day >= since(days)
        )
    ).all()
    by_day = {}
    for day, kind, count in rows:
        by_day.setdefault(day, {})[kind] = count
    return [
        (day, counts.get("suggestion_opened", 0), counts.get("answered", 0))
        for day, counts in sorted(by_day.items(), reverse=True)
    ]
