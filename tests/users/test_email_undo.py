"""Undoing an email change from the old address: the notice mailed there carries a link that
cancels the change while it waits for confirmation, or puts the old address back after it,
once, and only until a newer change."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from forum.api import services as tokens
from forum.extensions import db
from forum.users import email_change
from forum.users import services as users
from tests import factories
from tests.auth.test_views import signed_in_as
from tests.limits import rate_limited_app
from tests.pages import text
from tests.users.test_email_confirm import actions, change_email, link_in, queued, stored_email

GONE = "This link to keep your email address has expired or was already used."


@pytest.fixture
def config_overrides():
    """Mail on (nothing listens there: these tests read the queue)."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9}


def undo_link_in(message):
    path = message.text_body.split("http://forum.test", 1)[1].split()[0]
    assert path.startswith("/settings/email/undo/")
    return path


def links_of_a_change(client, email="carol.new@example.com"):
    """Ask for a change (the client is signed in as carol): the confirmation link mailed to
    the new address and the undo link in the notice to the old one."""
    change_email(client, email)
    confirm, notice = queued()[-2:]
    return link_in(confirm), undo_link_in(notice)


def test_the_notice_to_the_old_address_carries_a_link_that_keeps_it(client, auth, customer):
    auth.login(customer)
    change_email(client)
    confirm, notice = queued()
    assert notice.to_address == "carol@example.com"
    assert "open this link within 7 days to keep this address" in notice.text_body
    assert "/settings/email/undo/" in notice.text_body
    assert '">Keep this email address</a>' in notice.html_body
    assert "/settings/email/undo/" not in confirm.text_body + confirm.html_body
    assert "/settings/email/confirm/" not in notice.text_body + notice.html_body


def test_before_confirmation_the_link_asks_then_cancels_the_change(app, client, auth, customer):
    auth.login(customer)
    confirm, undo = links_of_a_change(client)
    mailbox = app.test_client()  # the old mailbox's owner, in any browser
    response = mailbox.get(undo)
    page = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "<h1>Keep your email address</h1>" in page
    assert (
        "from <strong>carol@example.com</strong> to <strong>carol.new@example.com</strong>" in page
    )
    assert ">Cancel the change</button>" in page
    assert actions() == ["request_email_change"]  # opening the link changes nothing

    response = mailbox.post(undo)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/reset/")
    page = text(mailbox.get(response.headers["Location"]))
    assert "<h1>Choose a new password</h1>" in page
    assert (
        "The change to carol.new@example.com is cancelled: carol keeps carol@example.com." in page
    )
    assert "If you did not ask for the change, someone knows your password" in page
    assert stored_email(customer) == "carol@example.com"
    assert actions() == ["request_email_change", "cancel_email_change"]
    assert signed_in_as(client) == "carol", "a cancel ends no session"

    refused = client.post(confirm)
    assert refused.status_code == 400
    assert "This email confirmation link has expired or was already used." in text(refused)
    assert stored_email(customer) == "carol@example.com"


def test_after_confirmation_the_link_puts_the_old_address_back_and_ends_every_way_in(
    app, client, auth, customer
):
    auth.login(customer)
    laptop = app.test_client()
    laptop.post("/auth/login", data={"username": "carol", "password": factories.PASSWORD})
    _, secret = tokens.create_token(customer, "CRM")
    api = {"Authorization": f"Bearer {secret}"}
    confirm, undo = links_of_a_change(client)
    assert client.post(confirm).status_code == 302
    assert stored_email(customer) == "carol.new@example.com"

    page = text(client.get(undo))
    assert "<h1>Put your old email address back</h1>" in page
    assert "was changed from\n  <strong>carol@example.com</strong> to" in page
    assert "signs the account out on every device and revokes its API tokens" in page
    assert stored_email(customer) == "carol.new@example.com"

    response = client.post(undo)
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session, "this browser was signed out"
    reset = response.headers["Location"]
    assert reset.startswith("/auth/reset/")
    page = text(client.get(reset))
    assert "carol@example.com is the email address of carol again." in page
    assert "Every session and API token of the account has been ended." in page
    assert "You are signed in as" not in page, "this browser was signed out too"
    assert stored_email(customer) == "carol@example.com"
    assert actions() == ["request_email_change", "change_email", "restore_email"]
    assert signed_in_as(client) is None
    assert signed_in_as(laptop) is None
    assert client.get("/api/v1/me", headers=api).status_code == 401

    new_password = "seven quiet lanterns"
    done = client.post(reset, data={"password": new_password, "confirm": new_password})
    assert done.status_code == 302
    assert signed_in_as(client) == "carol"


def test_after_a_restore_the_confirmation_link_does_not_come_back_to_life(client, auth, customer):
    auth.login(customer)
    confirm, undo = links_of_a_change(client)
    client.post(confirm)
    client.post(undo)
    assert client.post(confirm).status_code == 400
    assert stored_email(customer) == "carol@example.com"


@pytest.mark.parametrize("confirmed", [False, True], ids=["cancel", "restore"])
def test_a_link_works_once(app, client, auth, customer, confirmed):
    auth.login(customer)
    confirm, undo = links_of_a_change(client)
    if confirmed:
        client.post(confirm)
    mailbox = app.test_client()
    assert mailbox.post(undo).status_code == 302
    for again in (mailbox.get(undo), mailbox.post(undo)):
        assert again.status_code == 400
        assert GONE in text(again)
    assert stored_email(customer) == "carol@example.com"
    assert actions().count("cancel_email_change") + actions().count("restore_email") == 1


def test_a_newer_change_voids_the_links_of_the_one_before(app, client, auth, customer):
    auth.login(customer)
    first_confirm, first_undo = links_of_a_change(client, "first@example.com")
    second_confirm, second_undo = links_of_a_change(client, "second@example.com")
    mailbox = app.test_client()
    assert mailbox.post(first_undo).status_code == 400
    assert mailbox.post(first_confirm).status_code == 400
    assert mailbox.post(second_confirm).status_code == 302
    assert stored_email(customer) == "second@example.com"
    assert mailbox.post(first_undo).status_code == 400
    assert mailbox.post(second_undo).status_code == 302
    assert stored_email(customer) == "carol@example.com"


def test_a_change_made_after_the_one_confirmed_voids_its_link(app, client, auth, customer):
    """Once the new address asked for a further change, the first one's link cannot roll the
    account back over it."""
    auth.login(customer)
    confirm, undo = links_of_a_change(client, "first@example.com")
    client.post(confirm)
    change_email(client, "second@example.com")
    assert app.test_client().post(undo).status_code == 400
    assert stored_email(customer) == "first@example.com"


def test_an_immediate_change_without_mail_voids_the_link(app, client, auth, customer):
    auth.login(customer)
    _, undo = links_of_a_change(client)
    app.config["MAIL_SERVER"] = None
    change_email(client, "at.once@example.com")
    assert stored_email(customer) == "at.once@example.com"
    assert app.test_client().post(undo).status_code == 400
    assert stored_email(customer) == "at.once@example.com"


def test_the_old_address_taken_since_cannot_be_put_back(app, client, auth, customer):
    auth.login(customer)
    confirm, undo = links_of_a_change(client)
    client.post(confirm)
    users.create_user("carla", "carol@example.com", factories.PASSWORD)
    response = app.test_client().post(undo)
    assert response.status_code == 400
    assert "Another account has had the address carol@example.com since" in text(response)
    assert stored_email(customer) == "carol.new@example.com"
    assert signed_in_as(client) == "carol", "nothing was undone"
    assert "restore_email" not in actions()


def forged(user):
    """Undo tokens a forger could make: other keys and salts, or changed contents."""
    other_key = URLSafeTimedSerializer("another-secret", salt=email_change.UNDO_SALT)
    payload = {"u": user.id, "f": str(user.email_version), "o": user.email, "e": "x@example.com"}
    _, timestamp, signature = email_change.undo_token_for(user, "x@example.com").rsplit(".", 2)
    mallory = other_key.dumps({**payload, "o": "mallory@example.com"}).rsplit(".", 2)[0]
    return {
        "garbage": "garbage",
        "other key": other_key.dumps(payload),
        "confirmation link": email_change.token_for(user, "x@example.com"),
        "signature of other contents": f"{mallory}.{timestamp}.{signature}",
        "long": "x" * 5000,
    }


def test_damaged_forged_and_foreign_links_are_refused(app, client, customer):
    for name, token in forged(customer).items():
        for response in (
            client.get(f"/settings/email/undo/{token}"),
            client.post(f"/settings/email/undo/{token}"),
        ):
            assert response.status_code == 400, name
            assert GONE in text(response), name
    assert actions() == []


def made_days_ago(days, monkeypatch, make):
    with monkeypatch.context() as past:
        made = int(time.time() - days * 24 * 3600)
        past.setattr(TimestampSigner, "get_timestamp", lambda self: made)
        return make()


def test_a_link_works_for_seven_days(client, customer, monkeypatch):
    def make():
        return f"/settings/email/undo/{email_change.undo_token_for(customer, 'new@example.com')}"

    assert client.get(made_days_ago(6.9, monkeypatch, make)).status_code == 200
    response = client.post(made_days_ago(7.01, monkeypatch, make))
    assert response.status_code == 400
    assert GONE in text(response)
    assert "Each link works for\n  7 days, once" in text(response)
    assert actions() == []


def test_a_suspended_account_cannot_use_the_link(client, auth, customer):
    auth.login(customer)
    _, undo = links_of_a_change(client)
    customer.is_banned = True
    db.session.commit()
    assert client.post(undo).status_code == 400
    assert actions() == ["request_email_change"]


def test_using_links_too_often_from_one_address_gets_a_clear_429(tmp_path):
    app = rate_limited_app(tmp_path, EMAIL_UNDO_RATE_LIMIT="2 per hour")
    with app.app_context():
        carol = factories.make_user("customer", "carol")
        path = f"/settings/email/undo/{email_change.undo_token_for(carol, 'new@example.com')}"
    client = app.test_client()
    assert [client.post(path).status_code for _ in range(2)] == [302, 400]
    response = client.post(path)
    assert response.status_code == 429
    assert "Too many email changes undone from your address." in text(response)
    assert int(response.headers["Retry-After"]) > 0
    assert client.get(path).status_code == 400, "opening a link is not limited"
