"""Moderator pages about an account: its history, silence, ban and purge."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.forms import csrf_checked_by_form
from forum.moderation import accounts, queries
from forum.moderation.errors import ModerationError
from forum.moderation.forms import BanForm, SilenceForm
from forum.moderation.views import bp
from forum.permissions import can_ban, can_review, require
from forum.spam.policy import load_policy
from forum.spam.trust import user_level
from forum.threads.models import Post
from forum.users.models import User


def render_user(user, silence_form=None, ban_form=None, status=200):
    posts = db.session.scalars(
        db.select(Post)
        .where(Post.author_id == user.id)
        .options(selectinload(Post.thread))
        .order_by(Post.id.desc())
        .limit(30)
    ).all()
    return render_template(
        "moderation/user.html",
        user=user,
        posts=posts,
        history=queries.author_histories({user.id})[user.id],
        trust=user_level(user, load_policy()),
        silence_form=silence_form or SilenceForm(),
        ban_form=ban_form or BanForm(purge=request.args.get("purge") == "1"),
        purgeable=sum(1 for post in posts if post.status not in ("removed", "deleted")),
    ), status


def get_user_or_404(id):
    return db.session.get(User, id) or abort(404)


@bp.route("/users/<int:id>")
@login_required
def user(id):
    """An author's posts in every status, trust and flags, with silence and ban forms (the
    ban form is the confirmation page for "ban and purge")."""
    require(can_review(current_user))
    return render_user(get_user_or_404(id))


@bp.route("/users/<int:id>/silence", methods=("POST",))
@login_required
@csrf_checked_by_form
def silence(id):
    require(can_review(current_user))
    target = get_user_or_404(id)
    require(can_ban(current_user, target))
    form = SilenceForm()
    if not form.validate_on_submit():
        return render_user(target, silence_form=form, status=400)
    try:
        accounts.silence(current_user, target, int(form.days.data), form.reason.data or "")
    except ModerationError as error:
        flash(str(error), "error")
    else:
        flash(f"{target.username} is silenced for {form.days.data} day(s).", "success")
    return redirect(url_for("moderation.user", id=target.id))


@bp.route("/users/<int:id>/ban", methods=("POST",))
@login_required
@csrf_checked_by_form
def ban(id):
    """Ban, optionally purging every post; refuses team accounts (403)."""
    require(can_review(current_user))
    target = get_user_or_404(id)
    require(can_ban(current_user, target))
    form = BanForm()
    if not form.validate_on_submit():
        return render_user(target, ban_form=form, status=400)
    try:
        entry = accounts.ban(
            current_user, target, form.purge.data, form.spam.data, form.reason.data or ""
        )
    except ModerationError as error:
        flash(str(error), "error")
        return redirect(url_for("moderation.user", id=target.id))
    purged = entry.after["purged"]
    flash(
        f"{target.username} is banned" + (f"; {purged} post(s) removed." if purged else "."),
        "success",
    )
    return redirect(url_for("moderation.queue"))
