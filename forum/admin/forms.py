from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.threads.forms import category_choice
from forum.users.models import ROLES


class CategoryForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Give the category a name."), Length(max=60)]
    )
    slug = StringField(
        "Slug",
        validators=[Length(max=60)],
        description="Used in the address, e.g. /c/billing. Leave empty to derive it from the name.",
    )
    description = TextAreaField("Description", validators=[Length(max=300)])


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[(r, r.capitalize()) for r in ROLES])


class DeleteCategoryForm(FlaskForm):
    """Deleting a category that holds threads: every one of them (and its KB articles) moves
    to the category chosen here."""

    move_to = SelectField("Move its threads and KB articles to", validate_choice=False)

    def __init__(self, others, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.move_to.choices = [("", "Choose a category…")] + [(c.slug, c.name) for c in others]
        self.move_to.validators = category_choice(others)
