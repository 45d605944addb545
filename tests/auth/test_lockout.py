"""Sign-in lockouts: per account and per address, growing, shared through the database, the
same generic message whatever went wrong, and the API's token endpoint under the same rules."""

from datetime import timedelta

import pytest

from config import TestingConfig
from forum import create_app
from forum.auth.models import LoginThrottle
from forum.auth.services import FAILED
from forum.clock import utcnow
from forum.extensions import db
from tests import factories
from tests.pages import text

WRONG = "not the password at all"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand."""

    class Clock:
        now = utcnow()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr("forum.auth.throttle.utcnow", lambda: clock.now)
    return clock


def sign_in(client, username="carol", password=WRONG, address="192.0.2.1"):
    return client.post(
        "/auth/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def fail(client, times, username="carol", address="192.0.2.1"):
    for _ in range(times):
        response = sign_in(client, username, address=address)
        assert response.status_code == 400, "locked too early"
        assert FAILED in text(response)


def signed_in(client):
    return "Sign out" in client.get("/").get_data(as_text=True)


def test_five_failures_lock_the_account_even_against_the_right_password(client, customer):
    fail(client, 5)
    response = sign_in(client, password=factories.PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    page = text(response)
    assert FAILED in page and 'value="carol"' in page
    assert "<h1>Sign in</h1>" in page  # the form again, in the site's look
    assert not signed_in(client)
    row = db.session.scalar(db.select(LoginThrottle).where(LoginThrottle.key.like("account:%")))
    assert row.lockouts == 1 and row.locked_until > utcnow()


def test_a_lockout_reads_exactly_like_a_wrong_password(client, customer):
    fail(client, 5)
    locked = sign_in(client, password=factories.PASSWORD)
    wrong = sign_in(client, username="oscar")
    assert locked.status_code == 429 and wrong.status_code == 400

    def message(response):
        return text(response).split('class="form-errors"', 1)[1].split("</div>", 1)[0]

    assert message(locked) == message(wrong)


def test_unknown_names_lock_the_same_way_so_a_lockout_reveals_no_account(client, customer):
    fail(client, 5, username="nobody-here")
    response = sign_in(client, username="nobody-here")
    assert response.status_code == 429
    assert FAILED in text(response)
    assert sign_in(client, password=factories.PASSWORD).status_code == 302  # carol unaffected


def test_username_and_email_count_against_one_account(client, customer):
    fail(client, 3, username="carol")
    fail(client, 2, username="CAROL@example.com")
    assert sign_in(client, password=factories.PASSWORD).status_code == 429


def test_lockouts_double_up_to_an_hour(client, customer, clock):
    seen = []
    for _ in range(9):
        fail(client, 5)
        response = sign_in(client)
        assert response.status_code == 429
        seen.append(int(response.headers["Retry-After"]))
        clock.advance(seconds=seen[-1] + 1)
    assert seen == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    assert sign_in(client, password=factories.PASSWORD).status_code == 302


def test_a_lockout_ends_when_its_time_is_up(client, customer, clock):
    fail(client, 5)
    clock.advance(seconds=59)
    assert sign_in(client, password=factories.PASSWORD).status_code == 429
    clock.advance(seconds=2)
    assert sign_in(client, password=factories.PASSWORD).status_code == 302


def test_attempts_while_locked_are_not_counted_or_checked(client, customer, clock, monkeypatch):
    from forum.users.models import User

    fail(client, 5)
    checked = []
    monkeypatch.setattr(User, "check_password", lambda self, pw: checked.append(pw) or True)
    for _ in range(10):
        assert sign_in(client).status_code == 429
    assert checked == []
    clock.advance(seconds=61)
    assert sign_in(client, password=factories.PASSWORD).status_code == 302


def test_success_clears_the_account_count(client, customer):
    fail(client, 4)
    assert sign_in(client, password=factories.PASSWORD).status_code == 302
    client.post("/auth/logout")
    fail(client, 4)
    assert sign_in(client, password=factories.PASSWORD).status_code == 302


def test_a_day_without_failures_forgets_them(client, customer, clock):
    fail(client, 5)
    clock.advance(seconds=61)
    fail(client, 4)
    clock.advance(hours=25)
    fail(client, 5)  # a fresh count: not locked after the fifth of the day before
    response = sign_in(client)
    assert response.headers["Retry-After"] == "60"  # and the first lockout again, not doubled


def test_an_address_is_locked_after_twenty_failures_whatever_the_names(client, customer):
    for n in range(20):
        assert sign_in(client, username=f"guess{n}").status_code == 400
    assert sign_in(client, password=factories.PASSWORD).status_code == 429
    # Another address still gets in: the account itself was never the target.
    assert sign_in(client, password=factories.PASSWORD, address="198.51.100.7").status_code == 302


def test_a_successful_sign_in_does_not_reset_its_address(client, customer, other_customer):
    for n in range(19):
        sign_in(client, username=f"guess{n}")
    assert sign_in(client, username="oscar", password=factories.PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert sign_in(client, username="guess-again").status_code == 400
    assert sign_in(client, username="guess-once-more").status_code == 429


def test_the_api_token_endpoint_shares_the_account_lockout(client, customer):
    for _ in range(3):
        response = client.post("/api/v1/tokens", json={"username": "carol", "password": WRONG})
        assert response.status_code == 401
        assert response.json["error"] == {"code": "invalid_credentials", "message": FAILED}
    fail(client, 2, address="127.0.0.1")
    response = client.post(
        "/api/v1/tokens", json={"username": "carol", "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert response.json["error"] == {"code": "rate_limited", "message": FAILED}
    assert response.headers["Retry-After"] == "60"
    assert sign_in(client, password=factories.PASSWORD, address="203.0.113.9").status_code == 429


@pytest.mark.parametrize("config_overrides", [{"LOGIN_LOCKOUT_FAILURES": 0}])
def test_zero_turns_the_account_lockout_off(client, customer):
    fail(client, 12)
    assert sign_in(client, password=factories.PASSWORD).status_code == 302


def test_lockouts_are_shared_between_workers(app, customer):
    """A second application on the same database stands for another worker or host."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        SEARCH_INDEX_DIR = app.config["SEARCH_INDEX_DIR"]

    other = create_app(Config)
    fail(app.test_client(), 5)
    with other.app_context():
        response = sign_in(other.test_client(), password=factories.PASSWORD)
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 429


def test_stale_rows_are_deleted_as_new_failures_come_in(client, customer, clock):
    fail(client, 3, username="someone-old")
    clock.advance(hours=25)
    fail(client, 1)
    keys = set(db.session.scalars(db.select(LoginThrottle.key)))
    assert len(keys) == 2 and all(key.startswith(("account:", "ip:")) for key in keys)


@pytest.mark.parametrize("config_overrides", [{"TRUSTED_PROXIES": 1}])
def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(client, customer):
    def through_proxy(username, forwarded_for, password=WRONG):
        return client.post(
            "/auth/login",
            data={"username": username, "password": password},
            headers={"X-Forwarded-For": forwarded_for},
        )

    for n in range(20):
        assert through_proxy(f"guess{n}", "203.0.113.5").status_code == 400
    assert through_proxy("carol", "203.0.113.5", factories.PASSWORD).status_code == 429
    assert through_proxy("carol", "198.51.100.8", factories.PASSWORD).status_code == 302
