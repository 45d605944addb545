"""The bell: the notifications page, marking read, and following threads and categories."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.categories import services as categories
from forum.forms import ConfirmForm
from forum.notifications import follows, services
from forum.pagination import paginate
from forum.permissions import can_follow_category, can_follow_thread, require
from forum.threads.queries import get_thread_or_404

bp = Blueprint("notifications", __name__)
PER_PAGE = 30


@bp.app_context_processor
def notification_count():
    """Templates call ``unread_notifications()`` where they show the bell: one query then,
    none on pages that do not."""

    def unread_notifications():
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user)

    return {"unread_notifications": unread_notifications}


@bp.route("/notifications")
@login_required
def index():
    """Your notifications, latest first; reading the page marks nothing read."""
    page = paginate(services.listing(current_user), PER_PAGE)
    return render_template("notifications/index.html", page=page)


@bp.route("/notifications/read", methods=("POST",))
@login_required
def read_all():
    if ConfirmForm().validate_on_submit():
        services.mark_all_read(current_user)
        flash("All notifications are marked read.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/<int:id>/read", methods=("POST",))
@login_required
def read(id):
    """Mark one notification read; with ``open``, go on to what it is about."""
    notification = services.get_own(current_user, id)
    if notification is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("notifications.index"))
    target = notification.target()
    services.mark_read(notification)
    if request.form.get("open") and target:
        return redirect(url_for(target[0], **target[1]))
    return redirect(url_for("notifications.index"))


@bp.route("/threads/<int:id>/<any(follow, unfollow):action>", methods=("POST",))
@login_required
def follow_thread(id, action):
    thread = get_thread_or_404(id, current_user)
    require(can_follow_thread(current_user, thread))
    if ConfirmForm().validate_on_submit():
        follows.follow_thread(current_user, thread, active=action == "follow")
        if action == "follow":
            flash("You're following this thread: new replies will notify you.", "success")
        else:
            flash("You no longer follow this thread.", "success")
    return redirect(thread.url)


@bp.route("/c/<slug>/<any(follow, unfollow):action>", methods=("POST",))
@login_required
def follow_category(slug, action):
    category = categories.get_by_slug(slug)
    if category is None:
        abort(404)
    require(can_follow_category(current_user))
    if ConfirmForm().validate_on_submit():
        follows.follow_category(current_user, category, active=action == "follow")
        if action == "follow":
            flash(f"You're following {category.name}: new questions will notify you.", "success")
        else:
            flash(f"You no longer follow {category.name}.", "success")
    return redirect(category.url)
