"""Spam settings refuse numbers they cannot use: NaN and infinities from the admin page, the
database or the environment never reach the thresholds."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.spam.models import SpamSetting
from forum.spam.policy import invalidate, load_policy
from forum.spam.settings import SettingError
from forum.threads.models import Post

ROOT = Path(__file__).resolve().parents[2]
PHONE = "Call us on +1 (800) 555-0199 for the details"  # scores 4.5 by its phone number alone


def saved_settings():
    return dict(db.session.execute(db.select(SpamSetting.name, SpamSetting.value)).all())


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan", "inf", "-inf", "1e999"])
def test_settings_page_refuses_numbers_that_are_not_finite(client, auth, admin, value):
    auth.login(admin)
    response = client.post("/admin/spam", data={"hold_score_new": value, "reject_score": "20"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Hold at score (new accounts):" in text
    assert "between 0.5 and 100" in text
    assert f'value="{value}"' in text  # the admin's text is kept in the field
    assert saved_settings() == {}  # nothing of the form is saved, not even the valid value
    assert load_policy().hold_score_new == 4.0


def test_settings_page_refuses_nan_weights_too(client, auth, admin):
    auth.login(admin)
    response = client.post("/admin/spam", data={"w_phone": "nan"})
    assert response.status_code == 400
    assert "Phone number: must be a finite number between 0 and 50." in response.get_data(
        as_text=True
    )
    assert saved_settings() == {}


def test_a_nan_saved_before_the_fix_no_longer_stops_holding_spam(
    client, auth, admin, newcomer, thread
):
    # What the settings page stored before it refused NaN (as text: PostgreSQL's JSON has no NaN).
    db.session.add(SpamSetting(name="hold_score_new", value="nan"))
    db.session.commit()
    invalidate()  # as a restart would
    auth.login(newcomer)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": PHONE})
    assert response.status_code == 302
    post = db.session.scalar(db.select(Post).where(Post.author_id == newcomer.id))
    assert (post.status, post.spam_score) == ("held", 4.5)  # over the default threshold, 4
    assert "waiting for review" in client.get(response.headers["Location"]).get_data(as_text=True)
    auth.logout()

    auth.login(admin)
    page = client.get("/admin/spam").get_data(as_text=True)
    assert 'name="hold_score_new" step="any" type="number" value="4.0"' in page
    assert client.post("/admin/spam", data={"hold_score_new": "4.0"}).status_code == 302
    assert saved_settings() == {"hold_score_new": 4.0}  # saving replaces the unreadable row


def configured(tmp_path, **environment):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'env.db'}"
        SPAM_SETTINGS = environment

    return Config


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "hold_score_new",
            "nan",
            "SPAM_HOLD_SCORE_NEW=nan: Hold at score (new accounts): must be a finite",
        ),
        ("reject_score", "inf", "SPAM_REJECT_SCORE=inf: Reject at score"),
        ("w_phone", "lots", "SPAM_W_PHONE=lots: Phone number: 'lots' is not a number"),
        ("links_new", "1e999", "SPAM_LINKS_NEW=1e999: Links allowed per post"),
        ("dry_run", "perhaps", "SPAM_DRY_RUN=perhaps: Dry run"),
        ("rate_limit_new", "sometimes", "SPAM_RATE_LIMIT_NEW=sometimes: Posting limit"),
        ("hold_score_newt", "5", "SPAM_HOLD_SCORE_NEWT is not a spam setting"),
    ],
)
def test_a_bad_spam_environment_variable_stops_the_app_from_starting(
    tmp_path, name, value, message
):
    with pytest.raises(SettingError) as refused:
        create_app(configured(tmp_path, **{name: value}))
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SPAM_POLICY_TTL", float("nan")),
        ("SPAM_POLICY_TTL", -1.0),
        ("SPAM_POLICY_TTL", "soon"),
        ("SPAM_RULE_TIMEOUT", 0.0),
        ("SPAM_RULE_TIMEOUT", float("inf")),
    ],
)
def test_a_bad_time_in_seconds_stops_the_app_from_starting(tmp_path, name, value):
    config = configured(tmp_path)
    setattr(config, name, value)
    with pytest.raises(SettingError, match=f"{name}=.*: must be a number of seconds"):
        create_app(config)


def test_good_environment_values_are_the_defaults_the_admin_page_overrides(tmp_path, admin):
    app = create_app(configured(tmp_path, hold_score_new="9", w_phone="1.5", dry_run="yes"))
    with app.app_context():
        db.create_all()
        policy = load_policy()
        assert (policy.hold_score_new, policy.w_phone, policy.dry_run) == (9.0, 1.5, True)
        db.session.add(SpamSetting(name="hold_score_new", value=5.0))
        db.session.commit()
        invalidate()
        assert load_policy().hold_score_new == 5.0
        db.session.remove()


def test_the_real_startup_names_the_bad_variable(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.db'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "SECRET_KEY": "startup-test",
        "SPAM_HOLD_SCORE_NEW": "nan",
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "routes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SPAM_HOLD_SCORE_NEW=nan" in result.stderr
    assert "must be a finite number" in result.stderr
