"""Account settings: notification email, followed threads and categories, API tokens (create,
list, revoke). The password page is in views.py."""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.api import services as tokens
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.notifications import follows
from forum.notifications.services import set_email_preference
from forum.users.forms import EmailNotificationsForm, TokenForm
from forum.users.views import bp


def render_settings(form=None, new_secret=None, status=200, email_form=None):
    followed_threads, followed_categories = follows.followed(current_user)
    return render_template(
        "users/settings.html",
        form=form or TokenForm(),
        email_form=email_form
        or EmailNotificationsForm(email_notifications=current_user.email_notifications),
        followed_threads=followed_threads,
        followed_categories=followed_categories,
        tokens=tokens.active_tokens(current_user),
        new_secret=new_secret,
    ), status


@bp.route("/settings")
@login_required
def settings():
    return render_settings()


@bp.route("/settings/notifications", methods=("POST",))
@login_required
@csrf_checked_by_form
def email_notifications():
    """How often notification email comes: immediately, as a daily digest, or never."""
    form = EmailNotificationsForm()
    if not form.validate_on_submit():
        return render_settings(email_form=form, status=400)
    set_email_preference(current_user, form.email_notifications.data)
    flash("Your email setting is saved.", "success")
    return redirect(url_for("users.settings"))


@bp.route("/settings/tokens", methods=("POST",))
@login_required
@csrf_checked_by_form
def create_token():
    """Create a token and show its secret on this one response; it is never shown again."""
    form = TokenForm()
    if not form.validate_on_submit():
        return render_settings(form, status=400)
    try:
        _, secret = tokens.create_token(current_user, form.name.data)
    except tokens.TokenError as error:
        add_error(form, error.field, str(error))
        return render_settings(form, status=400)
    response = make_response(render_settings(TokenForm(formdata=None), new_secret=secret))
    response.headers["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@bp.route("/settings/tokens/<int:id>/revoke", methods=("GET", "POST"))
@login_required
def revoke_token(id):
    """Confirm, then revoke one of your own tokens; other people's tokens are a 404."""
    token = tokens.get_user_token(current_user, id)
    if token is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("users/revoke_token.html", form=form, token=token)
    tokens.revoke_token(token)
    flash(f"The token “{token.name}” is revoked; anything using it is refused now.", "success")
    return redirect(url_for("users.settings"))
