from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from forum.forms import (
    EMAIL,
    current_password_field,
    new_password_field,
    repeated_password_field,
)
from forum.users import services as users


class PasswordForm(FlaskForm):
    current = current_password_field()
    password = new_password_field()
    confirm = repeated_password_field()


class EmailForm(FlaskForm):
    email = EmailField(
        "New email address",
        validators=[DataRequired("Enter your new email address.")],
        description="Never shown to anyone; notifications and password resets go here.",
        render_kw=EMAIL,
    )
    password = current_password_field(description="To make sure it is you.")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_email(self, field):
        if problem := users.new_email_problem(field.data, self.user):
            raise ValidationError(problem)


class DeleteAccountForm(FlaskForm):
    password = current_password_field()
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
