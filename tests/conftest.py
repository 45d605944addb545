import pathlib
import shutil

import jinja2
import pytest
from flask import g, request_started

from config import TestingConfig
from forum import create_app
from forum.extensions import db, limiter
from tests import factories, routes
from tests.schema import reset_postgres_schema

ROLES = ("customer", "moderator", "staff", "admin")


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by every test's app (keyed by the source's checksum):
    compiling them again for each new app took a good part of the suite's time."""

    def __init__(self):
        self.store = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = MemoryBytecodeCache()


def forget_request_caches(sender, **extra):
    """The app fixture keeps one app context, and so one ``g``, for the whole test. Without
    this, the user Flask-Login caches on ``g`` in one request would answer the next request
    whichever client sent it, and so would the CSRF token Flask-WTF caches there."""
    g.pop("_login_user", None)
    g.pop(sender.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


_postgres_schema_built = False


def fresh_schema():
    """An empty schema. SQLite files are new per test, so the tables are simply created. On
    PostgreSQL (TEST_DATABASE_URL) dropping and creating ~30 tables per test dominated the
    run, so the schema is rebuilt from nothing once per run and then emptied with TRUNCATE;
    when a test (migrations) dropped tables, it is rebuilt again."""
    global _postgres_schema_built
    if db.engine.dialect.name == "sqlite":
        db.drop_all()
        db.create_all()
        return
    if _postgres_schema_built:
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        try:
            db.session.execute(db.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
            return
        except Exception:  # a table is missing: build the schema again
            db.session.rollback()
    db.session.remove()
    reset_postgres_schema(db.engine)
    db.create_all()
    _postgres_schema_built = True


@pytest.fixture
def config_overrides():
    """Settings that differ from TestingConfig; a test module overrides this fixture to run
    its tests with, say, CSRF protection on."""
    return {}


@pytest.fixture
def app(tmp_path, config_overrides):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = TestingConfig.SQLALCHEMY_DATABASE_URI
        SEARCH_INDEX_DIR = str(tmp_path / "index")

    for name, value in config_overrides.items():
        setattr(Config, name, value)

    if Config.SQLALCHEMY_DATABASE_URI == "sqlite://":
        Config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'test.db'}"
    app = create_app(Config)
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    request_started.connect(forget_request_caches, app)
    with app.app_context():
        fresh_schema()
        yield app
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            db.drop_all()
        # Close the pool now: on PostgreSQL, pools left to the garbage collector pile up
        # connections until the server refuses new ones.
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user, password=factories.PASSWORD):
        response = self.client.post(
            "/auth/login", data={"username": user.username, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def customer(app):
    return factories.make_user("customer", "carol")


@pytest.fixture
def other_customer(app):
    return factories.make_user("customer", "oscar")


@pytest.fixture
def moderator(app):
    return factories.make_user("moderator", "morgan")


@pytest.fixture
def staff(app):
    return factories.make_user("staff", "stacy")


@pytest.fixture
def admin(app):
    return factories.make_user("admin", "adele")


@pytest.fixture
def users(customer, other_customer, moderator, staff, admin):
    """Every role, keyed by the names the access matrices use."""
    return {
        "customer": customer,
        "other_customer": other_customer,
        "moderator": moderator,
        "staff": staff,
        "admin": admin,
    }


@pytest.fixture
def category(app):
    return factories.make_category("Sync & backup", "sync-backup")


@pytest.fixture
def thread(customer, category):
    return factories.make_thread(customer, category, "Sync stops at 99 percent")


@pytest.fixture
def locked_thread(customer, category, moderator):
    from forum.threads import services

    locked = factories.make_thread(customer, category, "Old outage report")
    services.set_flag(moderator, locked, "locked", True)
    return locked


@pytest.fixture(scope="session")
def scenario_snapshot(tmp_path_factory):
    """One application and the routes scenario for the route matrices, saved as a copy of
    the SQLite file: building them for each of ~500 cases would dominate the suite's time.
    On another database (TEST_DATABASE_URL) nothing is saved; each case rebuilds it."""
    path = tmp_path_factory.mktemp("routes")

    class Config(TestingConfig):
        SEARCH_INDEX_DIR = str(path / "index")

    if Config.SQLALCHEMY_DATABASE_URI == "sqlite://":
        Config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{path / 'routes.db'}"
    app = create_app(Config)
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return app, None, None
        db.drop_all()
        db.create_all()
        scenario = routes.build_scenario()
        db.session.remove()
        database = db.engine.url.database
        db.engine.dispose()  # closing the last connection folds the WAL into the file
    snapshot = path / "snapshot.db"
    shutil.copy(database, snapshot)
    return app, scenario, (snapshot, database)


@pytest.fixture
def route_scenario(scenario_snapshot):
    """(app, the scenario's ids) with a pristine database. No app context stays pushed, so
    every request gets its own session and ``g``, as in production."""
    app, scenario, files = scenario_snapshot
    # Flask-Limiter keeps one global state that the last create_app sets: a test that built a
    # rate-limited app since would otherwise limit this session-long app's sign-ins.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    if files:
        snapshot, database = files
        for leftover in (f"{database}-wal", f"{database}-shm"):
            pathlib.Path(leftover).unlink(missing_ok=True)
        shutil.copy(snapshot, database)
    else:
        with app.app_context():
            fresh_schema()
            scenario = routes.build_scenario()
    yield app, scenario
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def newcomer(app):
    """A brand-new customer account: no approved posts yet."""
    return factories.make_user("customer", "newton")


@pytest.fixture
def held_post(newcomer, thread):
    return factories.make_held_reply(newcomer, thread)
