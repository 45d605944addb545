from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user

from forum.categories import services
from forum.notifications import follows
from forum.pagination import paginate
from forum.permissions import can_follow_category
from forum.threads.queries import listed_threads

bp = Blueprint("categories", __name__)


def page_of(query, total=None):
    return paginate(query, current_app.config["THREADS_PER_PAGE"], total)


@bp.route("/")
def index():
    """Categories with their thread counts, and the latest threads across the forum."""
    categories = services.ordered()
    counts = {category.id: category.visible_threads for category in categories}
    return render_template(
        "categories/index.html",
        categories=categories,
        counts=counts,
        page=page_of(listed_threads(), total=sum(counts.values())),
    )


@bp.route("/c/<slug>")
def detail(slug):
    category = services.get_by_slug(slug)
    if category is None:
        abort(404)
    following = None
    if can_follow_category(current_user):
        following = follows.is_following_category(current_user, category)
    return render_template(
        "categories/detail.html",
        category=category,
        page=page_of(listed_threads(category), total=category.visible_threads),
        following=following,
    )
