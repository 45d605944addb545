from flask_wtf import FlaskForm

from forum.extensions import csrf

# Autofill hints (``render_kw``) that let browsers and password managers fill in, and offer to
# save, the right thing: https://html.spec.whatwg.org/multipage/form-control-infrastructure.html
USERNAME = {"autocomplete": "username"}
EMAIL = {"autocomplete": "email"}
CURRENT_PASSWORD = {"autocomplete": "current-password"}
NEW_PASSWORD = {"autocomplete": "new-password"}


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
