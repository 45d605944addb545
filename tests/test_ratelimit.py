import os
import uuid

import pytest

from config import TestingConfig, env_bool
from forum import create_app
from forum.extensions import db
from tests import factories


def limited_app(tmp_path, storage_uri, database, enabled=True):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database
        RATELIMIT_ENABLED = enabled
        RATELIMIT_STORAGE_URI = storage_uri
        # a fresh key prefix per test so runs never see each other's counters
        RATELIMIT_KEY_PREFIX = uuid.uuid4().hex
        LOGIN_RATE_LIMIT = "2 per minute"

    return create_app(Config)


def attempt(app):
    return app.test_client().post("/auth/login", data={"username": "nobody", "password": "x"})


def test_login_is_throttled_per_address(tmp_path):
    app = limited_app(tmp_path, "memory://", f"sqlite:///{tmp_path / 'a.db'}")
    with app.app_context():
        db.create_all()
    assert attempt(app).status_code == 400
    assert attempt(app).status_code == 400
    response = attempt(app)
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_ratelimit_enabled_reads_false_from_the_environment(monkeypatch):
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    assert env_bool("RATELIMIT_ENABLED", True) is False
    monkeypatch.setenv("RATELIMIT_ENABLED", "true")
    assert env_bool("RATELIMIT_ENABLED", False) is True


def test_ratelimit_enabled_false_turns_limits_off(tmp_path):
    app = limited_app(tmp_path, "memory://", f"sqlite:///{tmp_path / 'a.db'}", enabled=False)
    with app.app_context():
        db.create_all()
        factories.make_user()
    assert {attempt(app).status_code for _ in range(4)} == {400}


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"), reason="needs Redis: set TEST_REDIS_URL=redis://..."
)
def test_redis_limits_are_shared_between_workers(tmp_path):
    """Two app instances stand for two gunicorn workers (or hosts) sharing one Redis."""
    redis_url = os.environ["TEST_REDIS_URL"]
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    first = limited_app(tmp_path, redis_url, database)
    second = limited_app(tmp_path, redis_url, database)
    second.config["RATELIMIT_KEY_PREFIX"] = first.config["RATELIMIT_KEY_PREFIX"]
    with first.app_context():
        db.create_all()
    assert attempt(first).status_code == 400
    assert attempt(second).status_code == 400
    assert attempt(first).status_code == 429
    assert attempt(second).status_code == 429
