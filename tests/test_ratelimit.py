import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from config import TestingConfig, env_bool
from forum import create_app
from forum.extensions import db
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"), reason="needs Redis: set TEST_REDIS_URL=redis://..."
)
def test_redis_url_in_the_environment_puts_the_limits_in_redis(tmp_path):
    """What an operator sets: REDIS_URL alone moves every limit (and so new accounts' posting
    limits) to Redis. Run in a fresh interpreter, because config reads the environment once."""
    script = (
        "from config import ProductionConfig as C; from forum import create_app; "
        "from forum.extensions import limiter; app = create_app(C); "
        "print(C.RATELIMIT_STORAGE_URI, type(limiter.storage).__name__, limiter.storage.check())"
    )
    env = {
        **os.environ,
        "REDIS_URL": os.environ["TEST_REDIS_URL"],
        "SECRET_KEY": "redis-test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'env.db'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [os.environ["TEST_REDIS_URL"], "RedisStorage", "True"]
