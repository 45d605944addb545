from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from forum.extensions import csrf
from forum.users.rules import PASSWORD_HELP

# Autofill hints (``render_kw``) that let browsers and password managers fill in, and offer to
# save, the right thing: https://html.spec.whatwg.org/multipage/form-control-infrastructure.html
USERNAME = {"autocomplete": "username"}
EMAIL = {"autocomplete": "email"}
CURRENT_PASSWORD = {"autocomplete": "current-password"}
NEW_PASSWORD = {"autocomplete": "new-password"}


def new_password_field(label="New password", missing="Choose a new password."):
    return PasswordField(
        label, validators=[DataRequired(missing)], description=PASSWORD_HELP, render_kw=NEW_PASSWORD
    )


def repeated_password_field(label="Repeat new password", missing="Repeat the new password."):
    """The new password typed again; it must equal the form's ``password`` field."""
    return PasswordField(
        label,
        validators=[DataRequired(missing), EqualTo("password", "The two passwords differ.")],
        render_kw=NEW_PASSWORD,
    )


def current_password_field(**options):
    return PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw=CURRENT_PASSWORD,
        **options,
    )


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


def add_error(form, field, message):
    """Attach a service's refusal to a field (or to the form) so the page shows it in place."""
    target = getattr(form, field, None) if field else None
    if target is None:
        form.form_errors.append(message)
    else:
        target.errors = [*target.errors, message]


def csrf_checked_by_form(view):
    """Let the view's own FlaskForm check the CSRF token instead of the global check, so an
    expired token re-renders the form with the user's text and a message instead of a bare
    400 page. Only for views that validate a FlaskForm before changing anything."""
    return csrf.exempt(view)
