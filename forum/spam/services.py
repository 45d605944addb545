"""Admin changes to the spam policy: rules and settings. One commit each, audited, and this
process's cached policy dropped at once."""

from flask import current_app

from forum.clock import utcnow
from forum.extensions import db
from forum.moderation.models import ModerationAction, record
from forum.spam import rules, settings
from forum.spam.models import SpamRule, SpamSetting
from forum.spam.policy import invalidate
from forum.spam.settings import SettingError


def list_rules():
    return db.session.scalars(db.select(SpamRule).order_by(SpamRule.kind, SpamRule.pattern)).all()


def add_rule(actor, kind, pattern, action=None, note=""):
    """Add a rule; refuses duplicates, malformed patterns (RuleError with the regex parser's
    message) and regexes that take too long on a save-time trial."""
    timeout = current_app.config.get("SPAM_RULE_TIMEOUT", rules.TIMEOUT)
    kind, pattern, action = rules.clean(kind, pattern, action, timeout)
    duplicate = db.session.scalar(
        db.select(SpamRule.id).where(SpamRule.kind == kind, SpamRule.pattern == pattern)
    )
    if duplicate:
        raise rules.RuleError("That rule already exists.", "pattern")
    rule = SpamRule(
        kind=kind, pattern=pattern, action=action, note=(note or "").strip()[:200], created_by=actor
    )
    db.session.add(rule)
    db.session.flush()
    record(actor, "add_spam_rule", rule, after={"kind": kind, "pattern": pattern, "action": action})
    db.session.commit()
    invalidate()
    return rule


def delete_rule(actor, rule):
    record(
        actor,
        "delete_spam_rule",
        rule,
        before={"kind": rule.kind, "pattern": rule.pattern, "action": rule.action},
    )
    db.session.delete(rule)
    db.session.commit()
    invalidate()


def save_settings(actor, submitted):
    """Save the submitted settings that differ from the current ones; refuses (SettingError,
    with the setting's name as ``field``) any value that does not fit, saving none of them.
    A saved value that no longer parses is replaced even by the value in force. Returns what
    changed."""
    saved = _saved_rows()
    current = settings.resolve(current_app.config.get("SPAM_SETTINGS") or {}, saved)
    changes = {}
    for name, raw in submitted.items():
        try:
            value = settings.BY_NAME[name].coerce(raw)
        except SettingError as error:
            error.field = name
            raise
        if value != saved.get(name, current[name]):
            changes[name] = value
    for name, value in changes.items():
        row = db.session.get(SpamSetting, name) or SpamSetting(name=name)
        row.value, row.updated_by_id, row.updated_at = value, actor.id, utcnow()
        db.session.add(row)
    if changes:
        before = {name: current.get(name) for name in changes}
        db.session.add(
            ModerationAction(
                actor_id=actor.id,
                action="spam_settings",
                target_type="spam_settings",
                target_id=0,
                before=before,
                after=changes,
            )
        )
        db.session.commit()
        invalidate()
    return changes


def _saved_rows():
    return dict(db.session.execute(db.select(SpamSetting.name, SpamSetting.value)).all())


def saved_values():
    """The settings in force (saved over configured over default)."""
    return settings.resolve(current_app.config.get("SPAM_SETTINGS") or {}, _saved_rows())
