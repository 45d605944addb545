from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from forum.users.rules import PASSWORD_MIN


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a new password.")],
        description=f"At least {PASSWORD_MIN} characters; a short sentence works well.",
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("password", "The two passwords differ."),
        ],
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[Length(max=60, message="Keep the name under 60 characters.")],
        description="Say what will use it, e.g. “Help desk sync”.",
    )
