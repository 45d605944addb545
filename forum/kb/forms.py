from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.kb.services import BODY_MAX, SUMMARY_MAX, TITLE_MAX, TITLE_MIN


class ArticleForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Please give the article a title."),
            Length(
                TITLE_MIN, TITLE_MAX, f"Title must be {TITLE_MIN} to {TITLE_MAX} characters long."
            ),
        ],
    )
    summary = TextAreaField(
        "Summary",
        validators=[Length(max=SUMMARY_MAX, message=f"At most {SUMMARY_MAX} characters.")],
        description="One or two sentences: the problem this article solves.",
    )
    category = SelectField("Category", validate_choice=False)
    body = TextAreaField(
        "Article",
        validators=[Length(max=BODY_MAX, message=f"At most {BODY_MAX:,} characters.")],
        description="Markdown. A draft may be empty; publishing needs the text.",
    )
    save = SubmitField("Save")
    publish = SubmitField("Save and publish")

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", "No category")] + [(c.slug, c.name) for c in categories]
