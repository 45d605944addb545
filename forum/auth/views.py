from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from forum.auth import services as auth
from forum.auth.forms import LoginForm, RegisterForm
from forum.auth.redirects import safe_next
from forum.extensions import limiter
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.users import services

bp = Blueprint("auth", __name__, url_prefix="/auth")
FAILED = auth.FAILED


def start_session(user, remember=False):
    session.clear()  # a fresh session on every login: no fixation
    login_user(user, remember=remember)


@bp.route("/login", methods=("GET", "POST"))
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@csrf_checked_by_form
def login():
    """Sign in; one generic failure message whatever was wrong."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = auth.authenticate(form.username.data, form.password.data)
        except auth.Locked as locked:
            form.form_errors.append(FAILED)
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(locked.retry_after)
            return response
        if user is not None and user.is_banned:
            form.form_errors.append("This account has been suspended.")
        elif user is not None:
            start_session(user, form.remember.data)
            flash(f"Welcome back, {user.username}.", "success")
            return redirect(safe_next(request.args.get("next")))
        else:
            form.form_errors.append(FAILED)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/register", methods=("GET", "POST"))
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
@csrf_checked_by_form
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.email.data, form.password.data)
        except services.AccountError as error:
            add_error(form, error.field, str(error))
        else:
            start_session(user)
            flash(f"Welcome, {user.username}! Your account is ready.", "success")
            return redirect(safe_next(request.args.get("next")))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/logout", methods=("POST",))
def logout():
    if ConfirmForm().validate_on_submit() and current_user.is_authenticated:
        logout_user()
        session.clear()
        flash("You are signed out.", "success")
    return redirect(url_for("categories.index"))
