from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

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
