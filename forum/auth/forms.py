from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from forum.users.rules import PASSWORD_MIN


class LoginForm(FlaskForm):
    username = StringField(
        "Username or email", validators=[DataRequired("Enter your username or email.")]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in")


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired("Choose a username.")],
        description="3–30 letters, digits, dots, dashes or underscores. Shown on your posts.",
    )
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Enter your email address."),
            Length(max=254, message="That email address is too long."),
            Email("That doesn't look like an email address.", check_deliverability=False),
        ],
        description="Never shown to anyone; used for notifications and password resets.",
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Choose a password.")],
        description=f"At least {PASSWORD_MIN} characters; a short sentence works well.",
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[
            DataRequired("Repeat your password."),
            EqualTo("password", "The two passwords differ."),
        ],
    )
