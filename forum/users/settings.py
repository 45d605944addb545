"""Account settings: API tokens (create, list, revoke). The password page is in views.py."""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.api import services as tokens
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.users.forms import TokenForm
from forum.users.views import bp


def render_settings(form=None, new_secret=None, status=200):
    return render_template(
        "users/settings.html",
        form=form or TokenForm(),
        tokens=tokens.active_tokens(current_user),
        new_secret=new_secret,
    ), status


@bp.route("/settings")
@login_required
def settings():
    return render_settings()


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
