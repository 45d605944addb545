"""Admin screens for the spam policy: settings (thresholds, weights, modes) and rules."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField
from wtforms.validators import Length, Optional

from forum.admin.views import bp
from forum.extensions import db
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.spam import services, settings
from forum.spam.models import RULE_ACTIONS, SpamRule
from forum.spam.rules import RuleError

KIND_LABELS = {
    "word": "Watched word or phrase",
    "regex": "Watched regular expression",
    "blocked_domain": "Blocked domain (posts linking to it are rejected)",
    "allowed_domain": "Allowed domain (links to it never count)",
}


class RuleForm(FlaskForm):
    kind = SelectField("Kind", choices=list(KIND_LABELS.items()))
    pattern = StringField("Word, regex or domain", validators=[Length(max=200)])
    action = SelectField(
        "Action (words and regexes)",
        choices=[(a, a.capitalize()) for a in RULE_ACTIONS],
        description="Block refuses the post; hold sends it to the queue; "
        "flag publishes it and queues it.",
    )
    note = StringField("Note for other admins", validators=[Length(max=200)])


def settings_form(values, formdata=None):
    """A form with one field per setting, filled with the values in force."""

    class SettingsForm(FlaskForm):
        pass

    for setting in settings.SETTINGS:
        if setting.kind is bool:
            field = BooleanField(setting.label)
        elif setting.kind is str:
            field = StringField(setting.label, validators=[Length(max=200)])
        else:
            number = IntegerField if setting.kind is int else FloatField
            field = number(setting.label, validators=[Optional()])
        setattr(SettingsForm, setting.name, field)
    if formdata is None:
        return SettingsForm(data=values)
    return SettingsForm()


@bp.route("/spam", methods=("GET", "POST"))
@csrf_checked_by_form
def spam_settings():
    """Thresholds, weights, trust levels and modes; changes apply within seconds everywhere."""
    values = services.saved_values()
    form = settings_form(values, formdata=True)
    if form.validate_on_submit():
        submitted = {
            s.name: form[s.name].data for s in settings.SETTINGS if form[s.name].data is not None
        }
        try:
            changed = services.save_settings(current_user, submitted)
        except settings.SettingError as error:
            add_error(form, error.field, str(error))
        else:
            flash(f"Saved {len(changed)} change(s)." if changed else "Nothing changed.", "success")
            return redirect(url_for("admin.spam_settings"))
    elif not form.is_submitted():
        form = settings_form(values)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/spam_settings.html",
        form=form,
        groups=settings.GROUPS,
        form_settings=lambda group: [s for s in settings.SETTINGS if s.group == group],
    ), status


@bp.route("/spam/rules", methods=("GET", "POST"))
@csrf_checked_by_form
def spam_rules():
    """The rule list and a form to add one; a malformed regex is refused with its error."""
    form = RuleForm()
    if form.validate_on_submit():
        try:
            services.add_rule(
                current_user, form.kind.data, form.pattern.data, form.action.data, form.note.data
            )
        except RuleError as error:
            add_error(form, error.field, str(error))
        else:
            flash("Rule added.", "success")
            return redirect(url_for("admin.spam_rules"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/spam_rules.html", form=form, rules=services.list_rules(), kinds=KIND_LABELS
    ), status


@bp.route("/spam/rules/<int:id>/delete", methods=("GET", "POST"))
def spam_rule_delete(id):
    rule = db.session.get(SpamRule, id) or abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template(
            "admin/spam_rule_delete.html", form=form, rule=rule, kinds=KIND_LABELS
        )
    services.delete_rule(current_user, rule)
    flash("Rule deleted.", "success")
    return redirect(url_for("admin.spam_rules"))
