"""Configuration classes. Every setting comes from the environment; see the README."""

import math
import os


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_number(name, default, *, whole=False, low=0, high=None):
    """A finite number from low to high (a whole one if `whole`) from the environment.
    Anything else stops the start with a message that names the variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = (int if whole else float)(value.strip())
    except ValueError:
        number = None
    too_high = high is not None and number is not None and number > high
    if number is None or not math.isfinite(number) or number < low or too_high:
        noun = "a whole number" if whole else "a number"
        bounds = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise ValueError(f"{name} must be {noun} {bounds}; it is {value!r}")
    return number


def env_seconds(name, default):
    """A number of seconds from the environment; text that is not a number is kept as it is,
    for the startup check (forum.spam.settings.check_config) to name the variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        return value


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
    # Password reset (forum/auth/recovery.py): how long a link works, and how often reset
    # mail may be asked for, per address and per name typed (username or email).
    PASSWORD_RESET_SECONDS = env_number("PASSWORD_RESET_SECONDS", 3600, whole=True, low=1)
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour")
    PASSWORD_RESET_NAME_RATE_LIMIT = os.environ.get("PASSWORD_RESET_NAME_RATE_LIMIT", "3 per hour")
    # Using the link that undoes an email change (forum/users/email_change.py), per address.
    EMAIL_UNDO_RATE_LIMIT = os.environ.get("EMAIL_UNDO_RATE_LIMIT", "10 per hour")
    # API limits count per token, or per address for requests without one.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
    API_WRITE_RATE_LIMIT = os.environ.get("API_WRITE_RATE_LIMIT", "30 per minute")
    API_TOKEN_RATE_LIMIT = os.environ.get("API_TOKEN_RATE_LIMIT", "10 per minute")
    # Sign-in lockouts (forum/auth/throttle.py): failures before a lockout per account and per
    # address (0 turns that one off), the first lockout's length, doubling up to the maximum.
    LOGIN_LOCKOUT_FAILURES = env_number("LOGIN_LOCKOUT_FAILURES", 5, whole=True)
    LOGIN_LOCKOUT_IP_FAILURES = env_number("LOGIN_LOCKOUT_IP_FAILURES", 20, whole=True)
    LOGIN_LOCKOUT_SECONDS = env_number("LOGIN_LOCKOUT_SECONDS", 60, whole=True)
    LOGIN_LOCKOUT_MAX_SECONDS = env_number("LOGIN_LOCKOUT_MAX_SECONDS", 3600, whole=True)
    # How many proxies in front of the forum set X-Forwarded-For/-Proto (0: none is trusted).
    TRUSTED_PROXIES = env_number("TRUSTED_PROXIES", 0, whole=True)
    MAX_CONTENT_LENGTH = env_number("MAX_CONTENT_LENGTH", 1024 * 1024, whole=True, low=1)
    THREADS_PER_PAGE = env_number("THREADS_PER_PAGE", 25, whole=True, low=1)
    POSTS_PER_PAGE = env_number("POSTS_PER_PAGE", 20, whole=True, low=1)
    SEARCH_RESULTS_PER_PAGE = env_number("SEARCH_RESULTS_PER_PAGE", 20, whole=True, low=1)
    # Score multipliers for solved threads and KB articles over open threads (see docs/search.md).
    SEARCH_SOLVED_BOOST = env_number("SEARCH_SOLVED_BOOST", 1.5)
    SEARCH_KB_BOOST = env_number("SEARCH_KB_BOOST", 2.0)
    SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "60 per minute")
    # Live previews per signed-in account (the editor asks 300 ms after typing stops; a hostile
    # 50,000-character body takes up to a second to render).
    PREVIEW_RATE_LIMIT = os.environ.get("PREVIEW_RATE_LIMIT", "60 per minute")
    # Deliver outbox events (search index, webhooks, mail queues) and run due background jobs
    # in each web process, in a thread, after the response; turn off when `flask worker` runs.
    OUTBOX_DRAIN_INLINE = env_bool("OUTBOX_DRAIN_INLINE", True)
    # Seconds between the embedded courier's passes when no request pokes it.
    OUTBOX_POLL_SECONDS = env_number("OUTBOX_POLL_SECONDS", 5)
    # Thread pages rendered for visitors (not signed in), kept per process (forum/pagecache.py):
    # at most this many seconds (0: off) and megabytes; served without asking the database
    # whether the thread changed for PAGE_CACHE_CHECK_SECONDS after the last time it had not.
    PAGE_CACHE_SECONDS = env_number("PAGE_CACHE_SECONDS", 30)
    PAGE_CACHE_MB = env_number("PAGE_CACHE_MB", 16)
    PAGE_CACHE_CHECK_SECONDS = env_number("PAGE_CACHE_CHECK_SECONDS", 1)
    # The categories' names and slugs for the search pages' filters, kept per process for at
    # most this many seconds (0: off); a change made in the same process shows at once
    # (forum/categories/directory.py).
    CATEGORY_CACHE_SECONDS = env_number("CATEGORY_CACHE_SECONDS", 30)
    # Publish the KB article drafted when a staff member accepts an answer (docs/kb.md).
    KB_AUTO_PUBLISH = env_bool("KB_AUTO_PUBLISH", False)
    # Notifications, mail, feeds (docs/notifications.md). SITE_URL makes the absolute links of
    # mail, feeds, sitemaps and canonical tags; without it pages use the request's host.
    SITE_NAME = os.environ.get("SITE_NAME", "Community forum")
    SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_PORT = env_number(
        "MAIL_PORT", 465 if MAIL_USE_SSL else 587 if MAIL_USE_TLS else 25, whole=True, high=65535
    )
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "")
    MAIL_TIMEOUT = env_number("MAIL_TIMEOUT", 10)
    MAIL_MAX_ATTEMPTS = env_number("MAIL_MAX_ATTEMPTS", 8, whole=True, low=1)
    MAIL_RETRY_SECONDS = env_number("MAIL_RETRY_SECONDS", 60, whole=True)
    MAIL_DIGEST_HOUR = env_number("MAIL_DIGEST_HOUR", 7, whole=True, high=23)
    # Webhooks (docs/webhooks.md). Private, loopback and link-local targets are refused
    # unless WEBHOOK_ALLOW_PRIVATE is set (SSRF).
    WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
    WEBHOOK_TIMEOUT = env_number("WEBHOOK_TIMEOUT", 5)
    WEBHOOK_MAX_ATTEMPTS = env_number("WEBHOOK_MAX_ATTEMPTS", 8, whole=True, low=1)
    WEBHOOK_BACKOFF_BASE = env_number("WEBHOOK_BACKOFF_BASE", 30)
    WEBHOOK_RETENTION_DAYS = env_number("WEBHOOK_RETENTION_DAYS", 30, whole=True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Strict-Transport-Security: on (one year) when the site says it is served over HTTPS.
    HSTS_MAX_AGE = env_number(
        "HSTS_MAX_AGE", 31_536_000 if SESSION_COOKIE_SECURE else 0, whole=True
    )
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    PASSWORD_HASH_METHOD = "scrypt"
    REQUIRE_SECRET_KEY = False
    # SPAM_<NAME>=value sets the install default of spam setting <name> (forum/spam/settings.py);
    # values saved in the admin UI override them. SPAM_POLICY_TTL: seconds a worker caches them.
    # create_app refuses to start on a value that does not fit (or an unknown SPAM_ name).
    SPAM_POLICY_TTL = env_seconds("SPAM_POLICY_TTL", 5.0)
    # Seconds one admin regex may take on one post before it gives up and the post is held
    # (forum/spam/rules.py); also the limit a new regex must keep on the save-time trials.
    SPAM_RULE_TIMEOUT = env_seconds("SPAM_RULE_TIMEOUT", 0.1)
    SPAM_SETTINGS = {
        key[5:].lower(): value
        for key, value in os.environ.items()
        if key.startswith("SPAM_") and key not in ("SPAM_POLICY_TTL", "SPAM_RULE_TIMEOUT")
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
    PAGE_CACHE_SECONDS = 0  # tests that want it turn it on (tests/test_pagecache.py)
    SITE_URL = "http://forum.test"
    MAIL_SERVER = ""  # tests that send mail start their own SMTP server
    WTF_CSRF_ENABLED = False
    # The webhook tests deliver to a receiver on 127.0.0.1; the SSRF tests turn this off.
    WEBHOOK_ALLOW_PRIVATE = True
    WEBHOOK_TIMEOUT = 2.0
    # Fast hashing keeps the suite quick; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    REQUIRE_SECRET_KEY = True
