"""Forgotten passwords: asking for a link (the same answer whoever is asked for), the link's
page, setting the new password, and every way a link stops working."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from forum.auth import recovery
from forum.extensions import db
from forum.mail.models import MailMessage
from forum.mail.unsubscribe import token_for as unsubscribe_token
from forum.moderation.models import ModerationAction
from forum.outbox import OutboxEvent
from forum.users import services as users
from tests import factories
from tests.auth.test_views import autocomplete, signed_in_as
from tests.limits import rate_limited_app
from tests.pages import text

NEW_PASSWORD = "seven quiet lanterns"
SENT = "If an account matches what you typed and has an email address, a link to choose"
GONE = "This password reset link has expired or was already used."


@pytest.fixture
def config_overrides():
    """Mail on (nothing listens there: these tests read the queue, tests/mail sends)."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9}


def forgot(client, name):
    return client.post("/auth/forgot", data={"username": name})


def queued():
    return db.session.scalars(db.select(MailMessage).order_by(MailMessage.id)).all()


def link_path(message):
    """The path of the reset link in a queued message's plain text."""
    url = next(word for word in message.text_body.split() if "/auth/reset/" in word)
    assert url.startswith("http://forum.test/auth/reset/")
    return url.removeprefix("http://forum.test")


def reset(client, path, password=NEW_PASSWORD, confirm=None):
    data = {"password": password, "confirm": password if confirm is None else confirm}
    return client.post(path, data=data)


def path_for(user):
    return f"/auth/reset/{recovery.token_for(user)}"


def test_the_forgot_page_asks_for_a_username_or_an_email(client):
    response = client.get("/auth/forgot")
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Forgot your password?</h1>" in page
    assert '<label for="username">Username or email</label>' in page
    assert "The link works once, for 60 minutes." in page
    assert autocomplete(response, "username") == "username"


@pytest.mark.parametrize("name", ["carol", " CAROL@Example.com "], ids=["username", "email"])
def test_asking_by_username_or_email_queues_a_mail_with_a_link(client, customer, name):
    response = forgot(client, name)
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Check your email</h1>" in page and SENT in page
    [message] = queued()
    assert (message.to_address, message.user_id) == ("carol@example.com", customer.id)
    assert message.subject == "Reset your password on Community forum"
    assert "List-Unsubscribe" not in message.headers, "not a notification: no unsubscribing"
    path = link_path(message)
    assert f'href="http://forum.test{path}"' in message.html_body
    assert recovery.user_for(path.rsplit("/", 1)[1]).id == customer.id
    assert db.session.scalar(db.select(db.func.count(OutboxEvent.id))) == 0, "delivered"


def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, customer):
    known = forgot(client, "carol")
    unknown = forgot(client, "nobody-at-all@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert [m.to_address for m in queued()] == ["carol@example.com"]


def test_suspended_and_imported_accounts_get_no_mail_and_the_same_answer(client, customer):
    customer.is_banned = True
    placeholder = factories.make_user("customer", "imported")
    placeholder.email = "imported@placeholder.invalid"
    db.session.commit()
    answers = {forgot(client, name).get_data() for name in ("carol", "imported", "nobody")}
    assert len(answers) == 1
    assert queued() == []


def test_without_site_url_no_mail_is_queued_and_the_page_says_why(app, client, customer):
    app.config["SITE_URL"] = ""
    response = forgot(client, "carol")
    page = text(response)
    assert response.status_code == 200
    assert "This forum cannot send email at the moment" in page
    assert "Ask the forum's support team or an administrator for a reset link." in page
    assert 'name="username"' not in page, "no form that could not work"
    assert queued() == []
    assert db.session.scalar(db.select(db.func.count(OutboxEvent.id))) == 0


def test_asking_with_an_empty_name_is_refused_with_a_message(client, customer):
    response = forgot(client, "  ")
    assert response.status_code == 400
    assert "Enter your username or email." in text(response)
    assert queued() == []


def test_the_link_opens_a_new_password_form_that_no_cache_keeps(client, customer):
    response = client.get(path_for(customer))
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Choose a new password</h1>" in page
    assert "This link is for the account <strong>carol</strong>." in page
    assert "You are signed in as" not in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert autocomplete(response, "password") == "new-password"
    assert autocomplete(response, "confirm") == "new-password"


def test_a_new_password_signs_in_signs_out_elsewhere_and_is_audited(app, client, customer):
    elsewhere = app.test_client()
    elsewhere.post("/auth/login", data={"username": "carol", "password": factories.PASSWORD})
    response = reset(client, path_for(customer))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Your new password is set and you are signed in." in text(client.get("/"))
    assert signed_in_as(client) == "carol"
    assert signed_in_as(elsewhere) is None, "every other session is signed out"
    db.session.refresh(customer)
    assert customer.check_password(NEW_PASSWORD)
    assert not customer.check_password(factories.PASSWORD)
    entry = db.session.scalar(db.select(ModerationAction))
    assert (entry.action, entry.actor_id, entry.target_type, entry.target_id) == (
        "password_reset",
        customer.id,
        "user",
        customer.id,
    )


def test_a_link_works_once(client, customer):
    path = path_for(customer)
    assert reset(client, path).status_code == 302
    client.post("/auth/logout")
    again = client.get(path)
    page = text(again)
    assert again.status_code == 400
    assert "<h1>This link no longer works</h1>" in page and GONE in page
    assert '<a class="button primary" href="/auth/forgot">Ask for a new link</a>' in page
    assert reset(client, path, password="another fine passphrase").status_code == 400
    db.session.refresh(customer)
    assert customer.check_password(NEW_PASSWORD)
    assert signed_in_as(client) is None


def test_a_link_expires_after_password_reset_seconds(client, customer, monkeypatch):
    with monkeypatch.context() as past:
        made = int(time.time()) - 3601
        past.setattr(TimestampSigner, "get_timestamp", lambda self: made)
        path = path_for(customer)
    response = client.get(path)
    assert response.status_code == 400
    assert GONE in text(response)


def test_the_lifetime_comes_from_the_configuration(app, client, customer, monkeypatch):
    app.config["PASSWORD_RESET_SECONDS"] = 7200
    assert "The link works once, for 120 minutes." in text(client.get("/auth/forgot"))
    with monkeypatch.context() as past:
        made = int(time.time()) - 3601
        past.setattr(TimestampSigner, "get_timestamp", lambda self: made)
        path = path_for(customer)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("change", ["password", "email"])
def test_a_link_stops_working_when_the_password_or_the_email_changes(client, customer, change):
    path = path_for(customer)
    if change == "password":
        users.change_password(customer, factories.PASSWORD, "an entirely new secret")
    else:
        users.change_email(customer, factories.PASSWORD, "carol.new@example.com")
    response = client.get(path)
    assert response.status_code == 400
    assert GONE in text(response)


def forged_tokens(user):
    serializer = URLSafeTimedSerializer("test-secret", salt=recovery.SALT)
    elsewhere = URLSafeTimedSerializer("another-secret", salt=recovery.SALT)
    good = recovery.token_for(user)
    return {
        "garbage": "not-a-token",
        "tampered": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        "unsubscribe token": unsubscribe_token(user),
        "other secret": elsewhere.dumps({"u": user.id, "f": recovery.fingerprint(user)}),
        "wrong fingerprint": serializer.dumps({"u": user.id, "f": "0" * 16}),
        "unknown account": serializer.dumps({"u": 99999, "f": recovery.fingerprint(user)}),
        "huge id": serializer.dumps({"u": 2**40, "f": recovery.fingerprint(user)}),
        "not an object": serializer.dumps([user.id]),
        "id as text": serializer.dumps({"u": str(user.id), "f": recovery.fingerprint(user)}),
        "no fingerprint": serializer.dumps({"u": user.id}),
    }


def test_forged_or_damaged_links_are_refused_without_an_error(client, customer):
    for name, token in forged_tokens(customer).items():
        for method in ("GET", "POST"):
            data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
            response = client.open(f"/auth/reset/{token}", method=method, data=data)
            assert response.status_code == 400, (name, method)
            assert GONE in text(response), name
    db.session.refresh(customer)
    assert customer.check_password(factories.PASSWORD)
    assert signed_in_as(client) is None


def test_a_new_password_follows_the_rules_of_registration_all_at_once(client, customer):
    response = reset(client, path_for(customer), password="carol rules!", confirm="different")
    page = text(response)
    assert response.status_code == 400
    assert "Password must not contain your username." in page
    assert "The two passwords differ." in page
    assert "carol rules!" not in page
    db.session.refresh(customer)
    assert customer.check_password(factories.PASSWORD)
    assert signed_in_as(client) is None


def test_a_suspended_account_cannot_reset_into_a_session(client, customer):
    path = path_for(customer)
    customer.is_banned = True
    db.session.commit()
    page = client.get(path)
    assert page.status_code == 403
    assert "This account has been suspended, so its password cannot be reset." in text(page)
    assert reset(client, path).status_code == 403
    db.session.refresh(customer)
    assert customer.check_password(factories.PASSWORD)
    assert signed_in_as(client) is None


def test_a_reset_lifts_the_lockout_of_the_account(app, client, customer):
    for _ in range(app.config["LOGIN_LOCKOUT_FAILURES"]):
        client.post("/auth/login", data={"username": "carol", "password": "wrong guess here"})
    locked = client.post("/auth/login", data={"username": "carol", "password": factories.PASSWORD})
    assert locked.status_code == 429
    reset(client, path_for(customer))
    client.post("/auth/logout")
    signed = client.post("/auth/login", data={"username": "carol", "password": NEW_PASSWORD})
    assert signed.status_code == 302


def test_someone_else_signed_in_is_told_both_names_before_the_link_switches_them(
    client, auth, other_customer, customer
):
    auth.login(other_customer)
    path = path_for(customer)
    page = text(client.get(path))
    assert "This link is for the account <strong>carol</strong>." in page
    assert "You are signed in as <strong>oscar</strong>, not carol." in page
    assert (
        "Setting this password signs you out of <strong>oscar</strong> and signs you in as "
        "<strong>carol</strong>." in page
    )
    assert signed_in_as(client) == "oscar", "opening the link changes nothing"
    assert reset(client, path).status_code == 302
    assert (
        "The new password of carol is set. You are signed in as carol and no longer as oscar;"
        in text(client.get("/"))
    )
    assert signed_in_as(client) == "carol"


def test_the_account_itself_signed_in_is_not_warned(client, auth, customer):
    auth.login(customer)
    path = path_for(customer)
    assert "You are signed in as" not in text(client.get(path))
    reset(client, path)
    assert "Your new password is set and you are signed in." in text(client.get("/"))
    assert signed_in_as(client) == "carol"


def limited_app(tmp_path, per_address, per_name):
    app = rate_limited_app(
        tmp_path,
        MAIL_SERVER="127.0.0.1",
        PASSWORD_RESET_RATE_LIMIT=per_address,
        PASSWORD_RESET_NAME_RATE_LIMIT=per_name,
    )
    with app.app_context():
        factories.make_user("customer", "carol")
        factories.make_user("customer", "oscar")
    return app


def statuses(client, *names):
    return [forgot(client, name).status_code for name in names]


def test_asking_too_often_from_one_address_gets_a_clear_429(tmp_path):
    client = limited_app(tmp_path, "2 per hour", "100 per hour").test_client()
    assert statuses(client, "carol", "oscar") == [200, 200]
    response = forgot(client, "nobody")
    page = text(response)
    assert response.status_code == 429
    assert "<h1>Slow down</h1>" in page
    assert "Too many password reset requests from your address or for this name." in page
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/auth/forgot").status_code == 200, "reading the page is not limited"


def test_asking_too_often_for_one_name_is_limited_whether_or_not_it_exists(tmp_path):
    client = limited_app(tmp_path, "100 per hour", "2 per hour").test_client()
    # Case and spacing do not make another name; an account's other name (its email) does,
    # so that a shared count never tells that a username and an email belong together.
    assert statuses(client, "carol", "CAROL", " carol ", "carol@example.com") == [
        200,
        200,
        429,
        200,
    ]
    assert statuses(client, "ghost", "Ghost", "ghost") == [200, 200, 429]
    assert statuses(client, "oscar") == [200]
