from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, widgets
from wtforms.validators import Length

from forum.webhooks.addresses import URL_MAX
from forum.webhooks.models import EVENTS

EVENT_LABELS = {
    "thread.created": "thread.created — a new question is published",
    "post.created": "post.created — a reply is published",
    "post.held": "post.held — a post waits for review",
    "answer.accepted": "answer.accepted — the team accepts an answer",
    "article.published": "article.published — a KB article is published",
}


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        """Unknown values are dropped by the service, not shown back as an error."""


class WebhookForm(FlaskForm):
    url = StringField(
        "Payload URL",
        validators=[Length(max=URL_MAX)],
        description="Where the forum POSTs JSON: http:// or https://, a public address.",
    )
    description = StringField("Description", validators=[Length(max=200)])
    events = CheckboxesField(
        "Events", choices=[(name, EVENT_LABELS[name]) for name in EVENTS], default=list(EVENTS)
    )
    enabled = BooleanField("Enabled (deliver events)", default=True)
