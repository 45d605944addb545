"""Configuration classes. Every setting comes from the environment; see the README."""

import os


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means "a SQLite file in the instance folder"; create_app fills it in.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # whoosh or postgres; unset: postgres on a PostgreSQL database, whoosh otherwise.
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND") or None
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR")
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "5 per hour")
    # API limits count per token, or per address for requests without one.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
    API_WRITE_RATE_LIMIT = os.environ.get("API_WRITE_RATE_LIMIT", "30 per minute")
    API_TOKEN_RATE_LIMIT = os.environ.get("API_TOKEN_RATE_LIMIT", "10 per minute")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024))
    THREADS_PER_PAGE = int(os.environ.get("THREADS_PER_PAGE", 25))
    POSTS_PER_PAGE = int(os.environ.get("POSTS_PER_PAGE", 20))
    SEARCH_RESULTS_PER_PAGE = int(os.environ.get("SEARCH_RESULTS_PER_PAGE", 20))
    # Score multipliers for solved threads and KB articles over open threads (see docs/search.md).
    SEARCH_SOLVED_BOOST = float(os.environ.get("SEARCH_SOLVED_BOOST", 1.5))
    SEARCH_KB_BOOST = float(os.environ.get("SEARCH_KB_BOOST", 2.0))
    SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "60 per minute")
    # Publish the KB article drafted when a staff member accepts an answer (docs/kb.md).
    KB_AUTO_PUBLISH = env_bool("KB_AUTO_PUBLISH", False)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Strict-Transport-Security: on (one year) when the site says it is served over HTTPS.
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", 31_536_000 if SESSION_COOKIE_SECURE else 0))
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    PASSWORD_HASH_METHOD = "scrypt"
    REQUIRE_SECRET_KEY = False
    # SPAM_<NAME>=value sets the install default of spam setting <name> (forum/spam/settings.py);
    # values saved in the admin UI override them. SPAM_POLICY_TTL: seconds a worker caches them.
    SPAM_POLICY_TTL = float(os.environ.get("SPAM_POLICY_TTL", 5))
    SPAM_SETTINGS = {
        key[5:].lower(): value
        for key, value in os.environ.items()
        if key.startswith("SPAM_") and key != "SPAM_POLICY_TTL"
    }


class DevelopmentConfig(Config):
    SECRET_KEY = Config.SECRET_KEY or "dev-only-not-secret"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SPAM_SETTINGS = {}  # tests set what they need, whatever the environment says
    KB_AUTO_PUBLISH = False
    WTF_CSRF_ENABLED = False
    # Fast hashing keeps the suite quick; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    REQUIRE_SECRET_KEY = True
