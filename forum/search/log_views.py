"""The staff page over the search log (routes on the search blueprint)."""

from flask import render_template, request
from flask_login import current_user, login_required

from forum.permissions import can_view_search_log, require
from forum.search import report
from forum.search.views import bp


@bp.route("/log")
@login_required
def log():
    """Top queries, top queries with no results, click-through rate and deflections; staff and
    admins only."""
    require(can_view_search_log(current_user))
    days = request.args.get("days", 30, type=int)
    days = days if days in report.PERIODS else 30
    return render_template(
        "search/log.html",
        days=days,
        periods=report.PERIODS,
        summary=report.summary(days),
        top=report.top_queries(days),
        zero=report.top_queries(days, zero_results=True),
        deflections=report.deflections(days),
    )
