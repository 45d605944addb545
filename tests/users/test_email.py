"""Changing the account's email address at /settings/email."""

import pytest

from forum.auth import recovery
from forum.extensions import db
from forum.moderation.models import ModerationAction
from tests import factories
from tests.auth.test_views import autocomplete
from tests.pages import text


def change_email(client, email, password=factories.PASSWORD):
    return client.post("/settings/email", data={"email": email, "password": password})


def stored_email(user):
    db.session.refresh(user)
    return user.email


def test_settings_links_to_the_email_page_which_shows_the_address(client, auth, customer):
    auth.login(customer)
    assert 'href="/settings/email">Change your email address</a>' in text(client.get("/settings"))
    response = client.get("/settings/email")
    page = text(response)
    assert response.status_code == 200
    assert "Your email address is <strong>carol@example.com</strong>." in page
    assert autocomplete(response, "email") == "email"
    assert autocomplete(response, "password") == "current-password"


def test_a_new_address_is_saved_audited_and_used_to_sign_in(client, auth, customer):
    auth.login(customer)
    response = change_email(client, "  Carol.New@Example.COM ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings"
    assert "Your email address is now carol.new@example.com." in text(client.get("/settings"))
    assert stored_email(customer) == "carol.new@example.com"
    entry = db.session.scalar(db.select(ModerationAction))
    assert (entry.action, entry.actor_id, entry.target_id) == (
        "change_email",
        customer.id,
        customer.id,
    )
    assert "example.com" not in repr((entry.reason, entry.before, entry.after))
    auth.logout()
    signed = client.post(
        "/auth/login", data={"username": "carol.new@example.com", "password": factories.PASSWORD}
    )
    assert signed.status_code == 302


def test_a_wrong_password_changes_nothing(client, auth, customer):
    auth.login(customer)
    response = change_email(client, "carol.new@example.com", password="not my password")
    page = text(response)
    assert response.status_code == 400
    assert "Your current password is not correct." in page
    assert 'id="password-error"' in page
    assert 'value="carol.new@example.com"' in page
    assert stored_email(customer) == "carol@example.com"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your new email address."),
        ("not-an-email", "That doesn't look like an email address."),
        ("a" * 250 + "@example.com", "That email address is too long."),
        ("a\x00b@example.com", "That doesn't look like an email address."),
        ("OSCAR@example.com", "An account with that email address already exists."),
        ("Carol@Example.com", "That is already your email address."),
    ],
    ids=["empty", "malformed", "too long", "NUL", "taken", "own"],
)
def test_registration_rules_apply_to_the_new_address(
    client, auth, customer, other_customer, email, message
):
    auth.login(customer)
    response = change_email(client, email)
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert 'id="email-error"' in page
    assert factories.PASSWORD not in page
    assert stored_email(customer) == "carol@example.com"
    assert db.session.scalar(db.select(ModerationAction)) is None


def test_changing_the_address_retires_reset_links_sent_to_the_old_one(client, auth, customer):
    old_link = f"/auth/reset/{recovery.token_for(customer)}"
    auth.login(customer)
    change_email(client, "carol.new@example.com")
    auth.logout()
    response = client.get(old_link)
    assert response.status_code == 400
    assert "This password reset link has expired or was already used." in text(response)
    assert client.get(f"/auth/reset/{recovery.token_for(customer)}").status_code == 200


def test_two_accounts_taking_one_address_at_once_get_a_message_not_an_error(
    client, auth, customer, other_customer, monkeypatch
):
    from forum.users import services

    monkeypatch.setattr(services, "email_in_use", lambda email: None)
    auth.login(customer)
    response = change_email(client, "oscar@example.com")
    assert response.status_code == 400
    assert "An account with that email address already exists." in text(response)
    assert stored_email(customer) == "carol@example.com"
