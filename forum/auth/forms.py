from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, ValidationError

from forum.forms import (
    CURRENT_PASSWORD,
    EMAIL,
    USERNAME,
    new_password_field,
    repeated_password_field,
)
from forum.users import services as users
from forum.users.rules import normalized_username, password_problem


class LoginForm(FlaskForm):
    username = StringField(
        "Username or email",
        validators=[DataRequired("Enter your username or email.")],
        render_kw=USERNAME,
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password.")], render_kw=CURRENT_PASSWORD
    )
    remember = BooleanField("Keep me signed in")


class RegisterForm(FlaskForm):
    """Every field is checked against every rule, so that one submission names every problem."""

    username = StringField(
        "Username",
        validators=[DataRequired("Choose a username.")],
        description="3–30 letters, digits, dots, dashes or underscores. Shown on your posts.",
        render_kw=USERNAME,
    )
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email address.")],
        description="Never shown to anyone; used for notifications and password resets.",
        render_kw=EMAIL,
    )
    password = new_password_field("Password", "Choose a password.")
    confirm = repeated_password_field("Repeat password", "Repeat your password.")

    def validate_username(self, field):
        if problem := users.new_username_problem(field.data):
            raise ValidationError(problem)

    def validate_email(self, field):
        if problem := users.new_email_problem(field.data):
            raise ValidationError(problem)

    def validate_password(self, field):
        username = normalized_username(self.username.data or "")
        if problem := password_problem(field.data, username, (self.email.data or "").lower()):
            raise ValidationError(problem)


class ForgotForm(FlaskForm):
    username = StringField(
        "Username or email",
        validators=[DataRequired("Enter your username or email.")],
        render_kw=USERNAME,
    )


class ResetForm(FlaskForm):
    """A new password for ``user``, under the rules of registration."""

    password = new_password_field()
    confirm = repeated_password_field()

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field):
        if problem := password_problem(field.data, self.user.username, self.user.email):
            raise ValidationError(problem)
