from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.orm import selectinload

from forum.auth import recovery
from forum.auth.views import private
from forum.extensions import db, limiter
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.permissions import can_delete_account
from forum.threads.models import Post
from forum.threads.queries import public_post_count, public_posts_by
from forum.users import deletion, email_change, services
from forum.users.forms import DeleteAccountForm, EmailForm, PasswordForm

bp = Blueprint("users", __name__)
TOO_MANY_UNDOS = "Too many email changes undone from your address. Wait a while and try again."
CHOOSE_PASSWORD = (
    "If you did not ask for the change, someone knows your password: choose a new one now."
)


@bp.route("/u/<username>")
def profile(username):
    """Public profile: join date, post count, recent visible posts; never the email."""
    user = services.get_by_username(username)
    if user is None:
        abort(404)
    if user.username != username:
        return redirect(url_for("users.profile", username=user.username), 301)
    recent = db.session.scalars(
        public_posts_by(user).options(selectinload(Post.thread)).order_by(Post.id.desc()).limit(10)
    ).all()
    return render_template(
        "users/profile.html", user=user, post_count=public_post_count(user), recent=recent
    )


@bp.route("/settings/password", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def password():
    """Change password; every other session of the account is logged out."""
    form = PasswordForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("users/password.html", form=form), status
    try:
        services.change_password(current_user, form.current.data, form.password.data)
    except services.AccountError as error:
        add_error(form, error.field, str(error))
        return render_template("users/password.html", form=form), 400
    # This device stays signed in, with a "keep me signed in" cookie for the new token if it
    # had one for the old.
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(current_user._get_current_object(), remember=remembered)
    flash("Your password is changed. Other devices have been signed out.", "success")
    return redirect(url_for("users.password"))


@bp.route("/settings/email", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def email():
    """Change the account's email address; needs the current password. When the forum can
    mail, the new address must be confirmed from a link sent there first."""
    form = EmailForm(current_user)
    confirming = recovery.mail_enabled()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("users/email.html", form=form, confirming=confirming), status
    change = services.request_email_change if confirming else services.change_email
    try:
        change(current_user, form.password.data, form.email.data)
    except services.AccountError as error:
        add_error(form, error.field, str(error))
        return render_template("users/email.html", form=form, confirming=confirming), 400
    if confirming:
        flash(f"To finish, open the link we sent to {form.email.data.strip().lower()}.", "success")
    else:
        flash(f"Your email address is now {current_user.email}.", "success")
    return redirect(url_for("users.settings"))


@bp.route("/settings/email/confirm/<token>", methods=("GET", "POST"))
def confirm_email(token):
    """Make the mailed new address the account's: opening the link asks, the button applies."""
    pending = email_change.pending_change(token)
    if pending is None:
        return private(render_template("users/email_confirm_invalid.html"), 400)
    user, new = pending
    form = ConfirmForm()
    if not form.validate_on_submit():
        page = render_template("users/email_confirm.html", form=form, user=user, new=new)
        return private(page, 400 if form.is_submitted() else 200)
    try:
        services.confirm_email_change(user, new)
    except services.AccountError as error:
        form.form_errors.append(str(error))
        page = render_template("users/email_confirm.html", form=form, user=user, new=new)
        return private(page, 400)
    flash(f"The email address of {user.username} is now {new}.", "success")
    mine = current_user.is_authenticated and current_user.id == user.id
    return redirect(url_for("users.settings" if mine else "categories.index"))


@bp.route("/settings/email/undo/<token>", methods=("GET", "POST"))
@limiter.limit(
    lambda: current_app.config["EMAIL_UNDO_RATE_LIMIT"],
    methods=["POST"],
    error_message=TOO_MANY_UNDOS,
)
def undo_email(token):
    """Keep the old address, from the link in the notice mailed to it: opening asks, the
    button cancels the change or puts the old address back, then leads to a new password."""
    pending = email_change.pending_undo(token)
    if pending is None:
        page = render_template("users/email_undo_invalid.html", days=email_change.undo_days())
        return private(page, 400)
    user, old, new = pending
    form = ConfirmForm()
    if form.validate_on_submit():
        mine = current_user.is_authenticated and current_user.id == user.id
        try:
            restored = services.undo_email_change(user, old, new)
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            return after_undo(user, old, new, restored, mine)
    page = render_template("users/email_undo.html", form=form, user=user, old=old, new=new)
    return private(page, 400 if form.is_submitted() else 200)


def after_undo(user, old, new, restored, mine):
    """Say what the undo did and lead to a new password: whoever changed the address knew
    the current one. A restore ended the account's sessions, this browser's (``mine``) too."""
    if restored and mine:
        logout_user()
        session.clear()
    if restored:
        done = (
            f"{old} is the email address of {user.username} again. Every session and API "
            "token of the account has been ended."
        )
    else:
        done = f"The change to {new} is cancelled: {user.username} keeps {old}."
    flash(f"{done} {CHOOSE_PASSWORD}", "success")
    return redirect(url_for("auth.reset", token=recovery.token_for(user)))


@bp.route("/settings/sessions/end", methods=("POST",))
@login_required
def end_sessions():
    """Sign out everywhere: every browser signed in to this account, this one included, and
    every "keep me signed in" cookie."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash("You are signed out everywhere, on this device too.", "success")
    return redirect(url_for("categories.index"))


@bp.route("/settings/delete", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def delete_account():
    """Explain, then delete (anonymise) the account; needs the password and the username
    typed again. Team accounts see why they cannot, and a POST from them is a 403."""
    form = DeleteAccountForm()
    allowed = can_delete_account(current_user)
    if request.method == "POST" and not allowed:
        abort(403)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("users/delete.html", form=form, allowed=allowed), status
    try:
        deletion.delete_account(current_user, form.password.data, form.confirm.data)
    except services.AccountError as error:
        add_error(form, error.field, str(error))
        return render_template("users/delete.html", form=form, allowed=allowed), 400
    logout_user()
    session.clear()
    flash("Your account is deleted and you are signed out. Your public posts remain.", "success")
    return redirect(url_for("categories.index"))
