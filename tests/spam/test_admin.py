"""Admin screens for spam settings and rules."""

import pytest

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.spam.models import SpamRule, SpamSetting
from forum.spam.policy import load_policy

PAGES = ["/admin/spam", "/admin/spam/rules"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("customer", 403), ("moderator", 403), ("staff", 403), ("admin", 200)],
)
def test_spam_admin_access(client, auth, users, path, who, status):
    if who:
        auth.login(users[who])
    assert client.get(path).status_code == status


def test_settings_page_saves_and_applies(client, auth, admin):
    auth.login(admin)
    text = client.get("/admin/spam").get_data(as_text=True)
    assert "Hold at score (new accounts)" in text and 'value="4.0"' in text
    response = client.post("/admin/spam", data={"hold_score_new": "7.5", "dry_run": "y"})
    assert response.status_code == 302
    saved = dict(db.session.execute(db.select(SpamSetting.name, SpamSetting.value)).all())
    assert saved == {"hold_score_new": 7.5, "dry_run": True}
    assert load_policy().hold_score_new == 7.5


def test_settings_page_refuses_out_of_range_values(client, auth, admin):
    auth.login(admin)
    response = client.post("/admin/spam", data={"hold_score_new": "-3"})
    assert response.status_code == 400
    assert "must be between 0.5 and 100" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(SpamSetting.name)) is None


def test_rules_page_adds_and_refuses_a_malformed_regex(client, auth, admin):
    auth.login(admin)
    bad = client.post(
        "/admin/spam/rules", data={"kind": "regex", "pattern": "casino(", "action": "hold"}
    )
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Invalid regular expression: missing ) at position 7." in text
    assert 'value="casino("' in text
    good = client.post(
        "/admin/spam/rules", data={"kind": "regex", "pattern": "casino\\d+", "action": "hold"}
    )
    assert good.status_code == 302
    assert db.session.scalar(db.select(SpamRule.pattern)) == "casino\\d+"


def test_rule_delete_goes_through_a_confirm_page(client, auth, admin):
    from forum.spam import services

    rule = services.add_rule(admin, "word", "casino", "hold")
    auth.login(admin)
    confirm = client.get(f"/admin/spam/rules/{rule.id}/delete")
    assert "Delete this rule?" in confirm.get_data(as_text=True)
    assert db.session.get(SpamRule, rule.id) is not None
    client.post(f"/admin/spam/rules/{rule.id}/delete")
    assert db.session.get(SpamRule, rule.id) is None


def test_flask_db_upgrade_alone_leaves_a_neutral_classifier(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.db'}"

    app = create_app(Config)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    scored = runner.invoke(args=["spam", "score"], input='{"text": "online casino bonus"}\n')
    assert '"rule": "classifier"' not in scored.output
    assert scored.exit_code == 0
    with app.app_context():
        from forum.spam.classifier import totals

        assert not totals().trained
        db.session.remove()
