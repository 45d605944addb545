"""Migration 0008 turns the moderation notices into notifications, and back on downgrade."""

import pytest
import sqlalchemy as sa

from tests.test_migrations import databases, empty_postgres, flask_db

BEFORE = "0005_kb"


def run(url, tmp_path, *args):
    result = flask_db(url, tmp_path, *args)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("database", list(databases()))
def test_notices_survive_the_upgrade_and_the_downgrade(tmp_path, database):
    url = f"sqlite:///{tmp_path / 'notices.db'}" if database == "sqlite" else database
    if database != "sqlite":
        empty_postgres(url)
    engine = sa.create_engine(url)
    try:
        run(url, tmp_path, "upgrade", BEFORE)
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO users (id, username, username_key, email, password_hash, role, "
                    "is_banned, session_token, created_at, approved_posts, flags_helpful, "
                    "flags_declined) VALUES (1, 'carol', 'carol', 'carol@example.com', 'x', "
                    "'customer', false, 't', '2026-01-01 10:00:00', 0, 0, 0)"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO notices (user_id, text, created_at, read_at) VALUES "
                    "(1, 'Your post was removed.', '2026-01-02 10:00:00', NULL), "
                    "(1, 'You reported a post.', '2026-01-03 10:00:00', '2026-01-04 10:00:00')"
                )
            )
        run(url, tmp_path, "upgrade")
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT user_id, kind, text, count, read_at IS NULL, created_at, updated_at "
                    "FROM notifications ORDER BY id"
                )
            ).all()
            preference = connection.execute(
                sa.text("SELECT email_notifications FROM users")
            ).scalar()
        assert [(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows] == [
            (1, "notice", "Your post was removed.", 1, True),
            (1, "notice", "You reported a post.", 1, False),
        ]
        assert str(rows[0][5]).startswith("2026-01-02 10:00:00") and rows[0][5] == rows[0][6]
        assert preference == "immediately"
        run(url, tmp_path, "downgrade", BEFORE)
        with engine.connect() as connection:
            back = connection.execute(
                sa.text("SELECT text, read_at IS NULL FROM notices ORDER BY id")
            ).all()
        assert [(text, bool(unread)) for text, unread in back] == [
            ("Your post was removed.", True),
            ("You reported a post.", False),
        ]
    finally:
        engine.dispose()
        if database != "sqlite":
            empty_postgres(url)
