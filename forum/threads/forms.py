from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from forum.threads.services import BODY_MAX, TITLE_MAX, TITLE_MIN

BODY_MESSAGE = f"Please write between 1 and {BODY_MAX:,} characters."
UNKNOWN_CATEGORY = "Please choose one of the listed categories."


def category_choice(categories):
    """Validators for a category <select>: WTForms' own choice check only says "Not a valid
    choice.", so the listed slugs are checked here with a message a person understands."""
    return [
        DataRequired("Please choose a category."),
        AnyOf([c.slug for c in categories], UNKNOWN_CATEGORY),
    ]


class ReplyForm(FlaskForm):
    body = TextAreaField(
        "Your reply",
        validators=[
            DataRequired("Please write your reply."),
            Length(max=BODY_MAX, message=BODY_MESSAGE),
        ],
    )


class ThreadForm(FlaskForm):
    category = SelectField("Category", validate_choice=False)
    title = StringField(
        "Title",
        validators=[
            DataRequired("Please give your question a title."),
            Length(
                TITLE_MIN, TITLE_MAX, f"Title must be {TITLE_MIN} to {TITLE_MAX} characters long."
            ),
        ],
        description="Summarise the problem in one sentence, e.g. “Sync stops at 99% on macOS”.",
    )
    body = TextAreaField(
        "Details",
        validators=[
            DataRequired("Please describe your question."),
            Length(max=BODY_MAX, message=BODY_MESSAGE),
        ],
        description="What did you try, what happened, which version? Markdown is supported.",
    )

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", "Choose a category…")] + [
            (c.slug, c.name) for c in categories
        ]
        self.category.validators = category_choice(categories)


class EditPostForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            Length(
                TITLE_MIN, TITLE_MAX, f"Title must be {TITLE_MIN} to {TITLE_MAX} characters long."
            )
        ],
    )
    body = TextAreaField(
        "Text",
        validators=[
            DataRequired("The text cannot be empty."),
            Length(max=BODY_MAX, message=BODY_MESSAGE),
        ],
    )


class MoveForm(FlaskForm):
    category = SelectField("Move to category", validate_choice=False)

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [(c.slug, c.name) for c in categories]
        self.category.validators = category_choice(categories)
