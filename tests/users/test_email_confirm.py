"""Changing the email address when the forum can mail: a link to the new address confirms it,
and the old address is told."""

import pytest

from forum.extensions import db
from forum.mail.models import MailMessage
from forum.moderation.models import ModerationAction
from forum.users import email_change
from tests import factories
from tests.pages import text


@pytest.fixture
def config_overrides():
    """Mail on (nothing listens there: these tests read the queue)."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9}


def change_email(client, email="carol.new@example.com", password=factories.PASSWORD):
    return client.post("/settings/email", data={"email": email, "password": password})


def queued():
    return db.session.scalars(db.select(MailMessage).order_by(MailMessage.id)).all()


def link_in(message):
    path = message.text_body.split("http://forum.test", 1)[1].split()[0]
    assert path.startswith("/settings/email/confirm/")
    return path


def stored_email(user):
    db.session.refresh(user)
    return user.email


def actions():
    return db.session.scalars(
        db.select(ModerationAction.action).where(ModerationAction.target_type == "user")
    ).all()


def test_the_address_waits_for_the_link_and_the_old_one_is_told(client, auth, customer):
    auth.login(customer)
    page = text(client.get("/settings/email"))
    assert "We send a link to the new address, and a notice to the current one." in page
    response = change_email(client, " Carol.New@Example.com ")
    assert response.status_code == 302
    assert "To finish, open the link we sent to carol.new@example.com." in text(
        client.get("/settings")
    )
    assert stored_email(customer) == "carol@example.com"
    confirm, notice = queued()
    assert confirm.to_address == "carol.new@example.com"
    assert confirm.headers == {} and "Confirm your new email address" in confirm.subject
    assert notice.to_address == "carol@example.com"
    assert "carol.new@example.com" in notice.text_body
    assert "/settings/email/confirm/" not in notice.text_body + notice.html_body
    assert actions() == ["request_email_change"]


def test_the_link_asks_then_applies_the_change(client, auth, customer):
    auth.login(customer)
    change_email(client)
    link = link_in(queued()[0])
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    assert "Make <strong>carol.new@example.com</strong> the email address" in page
    assert "of the account <strong>carol</strong>?" in page
    assert stored_email(customer) == "carol@example.com"  # opening the link changes nothing
    response = client.post(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings"
    assert "The email address of carol is now carol.new@example.com." in text(
        client.get("/settings")
    )
    assert stored_email(customer) == "carol.new@example.com"
    assert actions() == ["request_email_change", "change_email"]
    assert client.get(link).status_code == 400  # the address it was made for has changed


def test_the_link_works_without_being_signed_in(client, auth, customer):
    auth.login(customer)
    change_email(client)
    auth.logout()
    response = client.post(link_in(queued()[0]))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert stored_email(customer) == "carol.new@example.com"


def test_a_link_stops_working_after_any_change_of_address(client, auth, customer):
    auth.login(customer)
    change_email(client, "first@example.com")
    change_email(client, "second@example.com")
    first, _, second, _ = queued()
    assert client.post(link_in(second)).status_code == 302
    response = client.post(link_in(first))
    assert response.status_code == 400
    assert "This email confirmation link has expired or was already used." in text(response)
    assert stored_email(customer) == "second@example.com"


def test_asking_again_retires_the_link_of_the_earlier_request(client, auth, customer):
    auth.login(customer)
    change_email(client, "first@example.com")
    change_email(client, "second@example.com")
    first, _, second, _ = queued()
    response = client.post(link_in(first))
    assert response.status_code == 400
    assert "This email confirmation link has expired or was already used." in text(response)
    assert client.post(link_in(second)).status_code == 302
    assert stored_email(customer) == "second@example.com"


def test_the_address_is_checked_again_when_the_link_is_used(client, auth, customer):
    auth.login(customer)
    change_email(client, "taken.later@example.com")
    factories.make_user("customer", "taken.later")  # registers taken.later@example.com
    response = client.post(link_in(queued()[0]))
    assert response.status_code == 400
    assert "An account with that email address already exists." in text(response)
    assert stored_email(customer) == "carol@example.com"


def test_the_rules_and_the_password_still_apply_and_nothing_is_sent(client, auth, customer):
    auth.login(customer)
    assert change_email(client, password="not my password").status_code == 400
    assert change_email(client, "not-an-email").status_code == 400
    assert queued() == [] and actions() == []


@pytest.mark.parametrize(
    "token",
    ["garbage", "eyJ1IjoxfQ.bad.signature", "x" * 5000],
    ids=["garbage", "forged", "long"],
)
def test_damaged_links_are_refused(client, customer, token):
    response = client.get(f"/settings/email/confirm/{token}")
    assert response.status_code == 400
    assert "This email confirmation link has expired or was already used." in text(response)


def test_a_link_is_refused_once_it_expires_or_for_another_salt(client, customer, monkeypatch):
    from forum.auth import recovery

    assert client.get(f"/settings/email/confirm/{recovery.token_for(customer)}").status_code == 400
    token = email_change.token_for(customer, "carol.new@example.com")
    monkeypatch.setattr(email_change, "EMAIL_CHANGE_SECONDS", -1)
    assert client.get(f"/settings/email/confirm/{token}").status_code == 400
