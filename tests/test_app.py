import pytest

from config import ProductionConfig, TestingConfig
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
