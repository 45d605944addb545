"""Staff answering tools: the unanswered queue and the service-quality dashboard."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from forum.categories import services as categories
from forum.clock import utcnow
from forum.extensions import db
from forum.permissions import can_view_dashboard, can_view_unanswered, require
from forum.staff import charts, metrics
from forum.threads.models import Thread

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/unanswered")
@login_required
def unanswered():
    """Customers' questions with no staff reply and no accepted answer, oldest first."""
    require(can_view_unanswered(current_user))
    slug = request.args.get("category") or None
    category = categories.get_by_slug(slug) if slug else None
    if slug and category is None:
        abort(404)
    query = metrics.unanswered_query()
    if category is not None:
        query = query.where(Thread.category_id == category.id)
    page = db.paginate(
        query.order_by(Thread.created_at, Thread.id),
        per_page=current_app.config["THREADS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "staff/unanswered.html",
        page=page,
        category=category,
        categories=categories.ordered(),
        now=utcnow(),
    )


@bp.route("/dashboard")
@login_required
def dashboard():
    """Service quality over the last 7, 30 or 90 days."""
    require(can_view_dashboard(current_user))
    days = request.args.get("days", 30, type=int)
    days = days if days in metrics.PERIODS else 30
    figures = metrics.figures(days)
    return render_template(
        "staff/dashboard.html",
        figures=figures,
        periods=metrics.PERIODS,
        response_chart=charts.bar_chart(
            "chart-response", "Time to first response (threads asked)", figures.distribution
        ),
        unanswered_chart=charts.bar_chart(
            "chart-unanswered", "Unanswered threads by age", figures.unanswered
        ),
    )


@bp.app_template_filter("duration")
def duration(seconds):
    """'45 min', '3 h 20 min', '2 d 4 h'; '—' for None."""
    if seconds is None:
        return "—"
    minutes = int(round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@bp.app_template_filter("percent")
def percent(share):
    return "—" if share is None else f"{share * 100:.1f}%"
