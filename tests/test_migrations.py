"""The migrations build exactly the schema the models describe, on SQLite and, when
TEST_DATABASE_URL names one, on PostgreSQL.

The real ``flask db`` commands run in a subprocess: Alembic's env.py reconfigures logging,
which must not leak into the rest of the suite.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory

from forum import models  # noqa: F401  (every model's table in the metadata)
from forum.extensions import db
from tests.schema import reset_postgres_schema

ROOT = Path(__file__).resolve().parent.parent


def flask_db(database_url, tmp_path, *args):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "SECRET_KEY": "migration-test",
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", "db", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def table_names(database_url):
    engine = sa.create_engine(database_url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def empty_postgres(database_url):
    """Drop what the suite or an earlier run left, so the upgrade starts from nothing."""
    engine = sa.create_engine(database_url)
    try:
        reset_postgres_schema(engine)
    finally:
        engine.dispose()


@contextmanager
def empty_database(database, tmp_path):
    """The URL of an empty database to migrate: a new SQLite file, or the PostgreSQL test
    database emptied before and after (the rest of the suite creates its own tables there)."""
    if database == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    empty_postgres(database)
    try:
        yield database
    finally:
        empty_postgres(database)


def databases():
    yield pytest.param("sqlite", id="sqlite")
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        yield pytest.param(url, id="postgresql")


def test_migrations_have_a_single_head():
    config = AlembicConfig()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several heads: {heads}; merge them or fix down_revision"


@pytest.mark.parametrize("database", list(databases()))
def test_upgrade_from_empty_then_check_finds_no_drift_and_downgrade_undoes_it(tmp_path, database):
    with empty_database(database, tmp_path) as url:
        upgrade = flask_db(url, tmp_path, "upgrade")
        assert upgrade.returncode == 0, upgrade.stderr
        assert table_names(url) == set(db.metadata.tables) | {"alembic_version"}

        check = flask_db(url, tmp_path, "check")
        assert check.returncode == 0, check.stdout + check.stderr
        assert "No new upgrade operations detected" in check.stdout + check.stderr

        downgrade = flask_db(url, tmp_path, "downgrade", "base")
        assert downgrade.returncode == 0, downgrade.stderr
        assert table_names(url) <= {"alembic_version"}


@pytest.mark.parametrize("database", list(databases()))
def test_audit_entries_filed_under_localproxy_become_entries_about_users(tmp_path, database):
    with empty_database(database, tmp_path) as url:
        before = flask_db(url, tmp_path, "upgrade", "0016_search_parts_hashed")
        assert before.returncode == 0, before.stderr
        engine = sa.create_engine(url)
        insert = sa.text(
            "INSERT INTO moderation_actions (action, target_type, target_id, reason, created_at)"
            " VALUES (:action, :target_type, :target_id, '', CURRENT_TIMESTAMP)"
        )
        rows = [("reject", "localproxy", 7), ("reject", "user", 8), ("remove", "post", 7)]
        with engine.begin() as connection:
            for action, target_type, target_id in rows:
                connection.execute(
                    insert, {"action": action, "target_type": target_type, "target_id": target_id}
                )
        upgrade = flask_db(url, tmp_path, "upgrade")
        assert upgrade.returncode == 0, upgrade.stderr
        with engine.connect() as connection:
            after = connection.execute(
                sa.text("SELECT action, target_type, target_id FROM moderation_actions ORDER BY id")
            ).all()
        engine.dispose()
        assert [tuple(row) for row in after] == [
            ("reject", "user", 7),
            ("reject", "user", 8),
            ("remove", "post", 7),
        ]
