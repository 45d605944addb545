"""Accepted-answer routes on the threads blueprint: the team accepts or unmarks, the asker
suggests."""

from flask import flash, redirect, request
from flask_login import current_user, login_required

from forum.forms import ConfirmForm
from forum.permissions import can_accept_answer, can_suggest_answer, require
from forum.threads import answers
from forum.threads.errors import ContentError
from forum.threads.queries import get_post_or_404, get_thread_or_404
from forum.threads.views import bp


def expected_answer():
    """The accepted answer the form was rendered with (``expected``), so a change someone
    made meanwhile is noticed; absent means "no check"."""
    raw = request.form.get("expected")
    if raw is None:
        return answers.CURRENT
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


@bp.route("/posts/<int:id>/accept", methods=("POST",))
@login_required
def accept(id):
    """Mark a reply as the accepted answer (team); refusals and conflicts are flashed."""
    post = get_post_or_404(id, current_user)
    require(can_accept_answer(current_user, post.thread))
    if ConfirmForm().validate_on_submit():
        try:
            answers.accept_answer(current_user, post, expected=expected_answer())
            flash("Marked as the accepted answer.", "success")
        except ContentError as error:
            flash(str(error), "error")
    return redirect(post.thread.url)


@bp.route("/threads/<int:id>/unaccept", methods=("POST",))
@login_required
def unaccept(id):
    thread = get_thread_or_404(id, current_user)
    require(can_accept_answer(current_user, thread))
    if ConfirmForm().validate_on_submit():
        try:
            answers.unaccept_answer(current_user, thread, expected=expected_answer())
            flash("The thread has no accepted answer now.", "success")
        except ContentError as error:
            flash(str(error), "error")
    return redirect(thread.url)


@bp.route("/posts/<int:id>/suggest", methods=("POST",))
@login_required
def suggest(id):
    """The asker says this reply solved it; the team is notified and decides."""
    post = get_post_or_404(id, current_user)
    require(can_suggest_answer(current_user, post))
    if ConfirmForm().validate_on_submit():
        answers.suggest_answer(current_user, post)
        flash("Thanks! The team is told that this reply solved it and will confirm.", "success")
    return redirect(post.thread.url)
