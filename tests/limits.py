"""An app with rate limits on, for the tests of one limit."""

import uuid

from config import TestingConfig
from forum import create_app
from forum.extensions import db


def rate_limited_app(tmp_path, **settings):
    """A new app on its own SQLite file with rate limits on, counted in memory under a key
    prefix of its own (so no other test's requests count), ``settings`` set over
    TestingConfig's, and its tables created."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'limits.db'}"
        SEARCH_INDEX_DIR = str(tmp_path / "index")
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        RATELIMIT_KEY_PREFIX = uuid.uuid4().hex

    for name, value in settings.items():
        setattr(Config, name, value)
    app = create_app(Config)
    with app.app_context():
        db.create_all()
    return app
