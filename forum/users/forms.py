from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from forum.forms import CURRENT_PASSWORD, EMAIL, NEW_PASSWORD
from forum.users import services as users
from forum.users.rules import PASSWORD_HELP


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw=CURRENT_PASSWORD,
    )
    password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a new password.")],
        description=PASSWORD_HELP,
        render_kw=NEW_PASSWORD,
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("password", "The two passwords differ."),
        ],
        render_kw=NEW_PASSWORD,
    )


class EmailForm(FlaskForm):
    email = EmailField(
        "New email address",
        validators=[DataRequired("Enter your new email address.")],
        description="Never shown to anyone; notifications and password resets go here.",
        render_kw=EMAIL,
    )
    password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        description="To make sure it is you.",
        render_kw=CURRENT_PASSWORD,
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_email(self, field):
        if problem := users.new_email_problem(field.data, self.user):
            raise ValidationError(problem)


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw=CURRENT_PASSWORD,
    )
    confirm = StringField(
        "Type your username to confirm",
        validators=[DataRequired("Type your username to confirm.")],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[Length(max=60, message="Keep the name under 60 characters.")],
        description="Say what will use it, e.g. “Help desk sync”.",
    )


class EmailNotificationsForm(FlaskForm):
    email_notifications = RadioField(
        "Notification email",
        choices=[
            ("immediately", "Immediately: an email for each new notification"),
            ("daily", "Daily digest: one email a day with what is new"),
            ("never", "Never: notifications only under the bell"),
        ],
        validators=[InputRequired("Choose how often you want notification email.")],
    )
