"""Team actions on threads: lock, pin, move."""

from flask import flash, redirect, render_template
from flask_login import current_user, login_required

from forum.categories import services as categories
from forum.forms import ConfirmForm
from forum.permissions import can_moderate, require
from forum.threads import services
from forum.threads.forms import MoveForm
from forum.threads.queries import get_thread_or_404
from forum.threads.views import bp

TOGGLES = {
    "lock": ("locked", True, "Thread locked: only the team can reply now."),
    "unlock": ("locked", False, "Thread unlocked."),
    "pin": ("pinned", True, "Thread pinned to the top of its category."),
    "unpin": ("pinned", False, "Thread unpinned."),
}


@bp.route("/threads/<int:id>/<any(lock, unlock, pin, unpin):action>", methods=("POST",))
@login_required
def toggle(id, action):
    thread = get_thread_or_404(id, current_user)
    require(can_moderate(current_user))
    if ConfirmForm().validate_on_submit():
        field, value, message = TOGGLES[action]
        services.set_flag(current_user, thread, field, value)
        flash(message, "success")
    return redirect(thread.url)


@bp.route("/threads/<int:id>/move", methods=("GET", "POST"))
@login_required
def move(id):
    thread = get_thread_or_404(id, current_user)
    require(can_moderate(current_user))
    form = MoveForm(categories.ordered(), category=thread.category.slug)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("threads/move.html", form=form, thread=thread), status
    services.move_thread(current_user, thread, categories.get_by_slug(form.category.data))
    flash(f"Moved to {thread.category.name}.", "success")
    return redirect(thread.url)
