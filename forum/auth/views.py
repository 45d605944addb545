import hashlib
import unicodedata

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

from forum.auth import recovery
from forum.auth import services as auth
from forum.auth.forms import ForgotForm, LoginForm, RegisterForm, ResetForm
from forum.auth.redirects import safe_next
from forum.extensions import limiter
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.users import services

bp = Blueprint("auth", __name__, url_prefix="/auth")
FAILED = auth.FAILED
TOO_MANY_RESETS = (
    "Too many password reset requests from your address or for this name. "
    "Wait a while (up to an hour) and try again."
)


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


def reset_name_key():
    """The per-name rate limit's key: the name typed, as accounts are looked up (case and
    width folded). Never the account found: a limit shared by a username and its email
    would tell that they belong together, and so that the account exists."""
    typed = " ".join(request.form.get("username", "").split())
    folded = unicodedata.normalize("NFKC", typed).casefold()
    return "reset-name:" + hashlib.sha256(folded.encode("utf-8", "replace")).hexdigest()


@bp.route("/forgot", methods=("GET", "POST"))
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"],
    methods=["POST"],
    error_message=TOO_MANY_RESETS,
)
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_NAME_RATE_LIMIT"],
    methods=["POST"],
    key_func=reset_name_key,
    error_message=TOO_MANY_RESETS,
)
@csrf_checked_by_form
def forgot():
    """Ask for a password reset link by username or email; the same answer either way."""
    form = ForgotForm()
    can_mail, minutes = recovery.mail_enabled(), recovery.lifetime_minutes()
    sent = form.validate_on_submit()
    if sent:
        auth.request_password_reset(form.username.data)
    status = 400 if form.is_submitted() and not sent else 200
    return render_template(
        "auth/forgot.html", form=form, sent=sent, can_mail=can_mail, minutes=minutes
    ), status


@bp.route("/reset/<token>", methods=("GET", "POST"))
@csrf_checked_by_form
def reset(token):
    """Choose a new password with a reset link, then be signed in; a link that expired or
    was used says so and offers a new one."""
    user = recovery.user_for(token)
    if user is None or user.is_banned:
        page = render_template("auth/reset_invalid.html", suspended=user is not None)
        return private(page, 400 if user is None else 403)
    form = ResetForm(user)
    if form.validate_on_submit():
        other = current_user.is_authenticated and current_user.id != user.id
        leaving = current_user.username if other else None
        try:
            services.reset_password(user, form.password.data)
        except services.AccountError as error:
            add_error(form, error.field, str(error))
        else:
            start_session(user)
            flash(reset_done(user, leaving), "success")
            return redirect(url_for("categories.index"))
    status = 400 if form.is_submitted() else 200
    return private(render_template("auth/reset.html", form=form, user=user), status)


def reset_done(user, leaving):
    """What the link's holder reads once the password is set, naming both accounts when
    someone else (``leaving``) was signed in here."""
    if leaving is None:
        return "Your new password is set and you are signed in. Other devices are signed out."
    return (
        f"The new password of {user.username} is set. You are signed in as {user.username} "
        f"and no longer as {leaving}; {user.username} is signed out on other devices."
    )


def private(page, status):
    """A response that no cache keeps and whose address (the link) no Referer carries."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
