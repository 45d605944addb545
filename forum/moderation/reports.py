"""Pages for every signed-in user: reporting a post (the old notices page now redirects to the
notifications). And the moderators' scoring tool."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.forms import csrf_checked_by_form
from forum.moderation import flags
from forum.moderation.forms import FlagForm, ScoreForm
from forum.moderation.views import bp, get_post_or_404
from forum.permissions import can_flag, can_review, require
from forum.spam import probe


@bp.route("/posts/<int:id>/flag", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def flag(id):
    """Report a post (once); says whether it is hidden now or waits for a moderator."""
    post = get_post_or_404(id)
    require(can_flag(current_user, post))
    form = FlagForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("moderation/flag.html", form=form, post=post), status
    try:
        _, hidden = flags.flag(current_user, post, form.reason.data, form.note.data)
    except flags.FlagError as error:
        flash(str(error), "error")
        return redirect(post.thread.url)
    if hidden:
        flash("Thank you. The post is hidden until a moderator reviews it.", "success")
    else:
        flash("Thank you. A moderator will review the post; you'll get a notice.", "success")
    thread = post.thread
    return redirect(thread.url if thread.status == "visible" else thread.category.url)


@bp.route("/notices")
def notices_page():
    """Notices moved under the bell: /notifications."""
    return redirect(url_for("notifications.index"), 301)


@bp.route("/score", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def score():
    """Score a text as a post by a given author would be scored; stores nothing."""
    require(can_review(current_user))
    form = ScoreForm()
    verdict = None
    if form.validate_on_submit():
        data = {
            "title": form.title.data,
            "text": form.text.data,
            "author": {
                "username": form.username.data,
                "posts": max(form.posts.data or 0, 0),
                "age_days": max(form.age_days.data or 0, 0),
            },
        }
        try:
            verdict = probe.score(data)
        except probe.ProbeError as error:
            form.form_errors.append(str(error))
    status = 400 if form.is_submitted() and verdict is None else 200
    return render_template("moderation/score.html", form=form, verdict=verdict), status
