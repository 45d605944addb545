import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ProductionConfig, TestingConfig, env_number
from forum import create_app


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    class Config(ProductionConfig):
        SECRET_KEY = None

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config)


def test_production_starts_with_secret_key(tmp_path):
    class Config(ProductionConfig):
        SECRET_KEY = "from-the-environment"
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.db'}"

    assert create_app(Config).config["SECRET_KEY"] == "from-the-environment"


def test_database_defaults_to_sqlite_in_instance_folder(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = None
        SEARCH_INDEX_DIR = None

    app = create_app(Config)
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("forum.db")
    assert app.config["SEARCH_INDEX_DIR"].startswith(app.instance_path)


def test_healthz_reports_database_and_outbox(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["outbox_backlog"] == 0


def test_sqlite_runs_in_wal_mode_with_busy_timeout(app):
    from forum.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite-only: the suite runs on another database (TEST_DATABASE_URL)")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_security_headers_on_pages(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("POSTS_PER_PAGE", "nan", "POSTS_PER_PAGE must be a whole number of 1 or more"),
        ("POSTS_PER_PAGE", "0", "POSTS_PER_PAGE must be a whole number of 1 or more"),
        ("PAGE_CACHE_SECONDS", "inf", "PAGE_CACHE_SECONDS must be a number of 0 or more"),
        ("SEARCH_KB_BOOST", "-2", "SEARCH_KB_BOOST must be a number of 0 or more"),
        ("MAIL_DIGEST_HOUR", "24", "MAIL_DIGEST_HOUR must be a whole number from 0 to 23"),
        ("LOGIN_LOCKOUT_SECONDS", "a minute", "LOGIN_LOCKOUT_SECONDS must be a whole number"),
    ],
)
def test_a_numeric_setting_that_does_not_fit_stops_the_start_and_names_itself(name, value, message):
    env = {**os.environ, name: value}
    result = subprocess.run(
        [sys.executable, "-c", "import config"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
    assert repr(value) in result.stderr


def test_numeric_settings_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("POSTS_PER_PAGE", " 50 ")
    monkeypatch.setenv("SEARCH_KB_BOOST", "2.5")
    assert env_number("POSTS_PER_PAGE", 20, whole=True, low=1) == 50
    assert env_number("SEARCH_KB_BOOST", 2.0) == 2.5
    assert env_number("UNSET_NUMBER_FOR_THIS_TEST", 7) == 7
