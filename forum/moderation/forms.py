from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.moderation.accounts import SILENCE_DAYS
from forum.moderation.models import FLAG_REASONS
from forum.moderation.services import BULK_ACTIONS

REASON = "Reason (optional; the author sees it)"


class DecisionForm(FlaskForm):
    reason = StringField(REASON, validators=[Length(max=500)])
    # The post's review_version when the moderator saw it: a stale decision is refused.
    version = IntegerField(validators=[Optional()])


class BulkForm(FlaskForm):
    action = SelectField(
        "With the selected posts",
        choices=[
            (a, {"approve": "Approve", "spam": "Remove as spam", "remove": "Remove"}[a])
            for a in BULK_ACTIONS
        ],
    )
    reason = StringField(REASON, validators=[Length(max=500)])


class FlagForm(FlaskForm):
    reason = RadioField(
        "What is wrong with this post?",
        choices=list(FLAG_REASONS.items()),
        validators=[DataRequired("Choose why you are reporting this post.")],
    )
    note = TextAreaField(
        "Anything moderators should know? (required for “Something else”)",
        validators=[Length(max=500, message="Please keep the note under 500 characters.")],
    )

    def validate_note(self, field):
        # The service refuses it too; saying so here keeps the reporter's form and choice.
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError("Please say in a few words what is wrong with the post.")


class SilenceForm(FlaskForm):
    days = SelectField(
        "Silence for", choices=[(str(d), f"{d} day{'s' if d > 1 else ''}") for d in SILENCE_DAYS]
    )
    reason = StringField(REASON, validators=[Length(max=500)])


class BanForm(FlaskForm):
    purge = BooleanField("Also remove every post by this account (purge)")
    spam = BooleanField("The purged posts are spam (teach the classifier)", default=True)
    reason = StringField("Reason (kept in the audit log)", validators=[Length(max=500)])


class ScoreForm(FlaskForm):
    title = StringField("Title (leave empty for a reply)", validators=[Length(max=200)])
    text = TextAreaField(
        "Text", validators=[DataRequired("Paste the text to score."), Length(max=50_000)]
    )
    username = StringField("Author's username", default="newcomer", validators=[Length(max=30)])
    posts = IntegerField("Approved posts", default=0, validators=[Optional()])
    age_days = IntegerField("Account age in days", default=0, validators=[Optional()])
