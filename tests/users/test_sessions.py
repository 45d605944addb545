"""Sessions: a new one at every sign-in, bound to the account's session token, and ended
everywhere (remember-me cookies included) by "Sign out everywhere" or a password change."""

import pytest

from forum.extensions import db
from tests import factories
from tests.pages import text

NEW_PASSWORD = "purple otters juggle"


def sign_in(client, remember=False):
    data = {"username": "carol", "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302
    return response


def signed_in(client):
    return "Sign out" in client.get("/").get_data(as_text=True)


def cookie(client, name):
    found = client.get_cookie(name)
    return found.value if found else None


def with_only(app, name, value):
    """A new browser holding nothing but one cookie, as a thief who copied it would."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def test_signing_in_issues_a_new_session_and_the_old_one_stays_anonymous(app, client, customer):
    with client.session_transaction() as session:
        session["visited"] = True  # an anonymous session the browser already holds
    before = cookie(client, "session")
    sign_in(client)
    after = cookie(client, "session")
    assert after != before
    assert not signed_in(with_only(app, "session", before))
    assert signed_in(with_only(app, "session", after))


def test_the_session_is_bound_to_the_session_token(client, customer):
    sign_in(client)
    with client.session_transaction() as session:
        assert session["_user_id"] == f"{customer.id}:{customer.session_token}"
        session["_user_id"] = f"{customer.id}:forged-token"
    assert not signed_in(client)


def test_a_remember_me_cookie_alone_signs_in(app, client, customer):
    sign_in(client, remember=True)
    assert signed_in(with_only(app, "remember_token", cookie(client, "remember_token")))


def test_settings_offer_to_sign_out_everywhere(client, auth, customer):
    auth.login(customer)
    page = text(client.get("/settings"))
    assert 'action="/settings/sessions/end"' in page
    assert ">Sign out everywhere</button>" in page


def test_sign_out_everywhere_ends_every_session_and_remember_me_cookie(app, client, customer):
    sign_in(client, remember=True)
    remembered = cookie(client, "remember_token")
    copied_session = cookie(client, "session")
    laptop = app.test_client()
    sign_in(laptop, remember=True)
    token_before = customer.session_token

    response = client.post("/settings/sessions/end")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "You are signed out everywhere" in text(client.get("/"))
    assert not signed_in(client)
    assert not signed_in(laptop)
    assert not signed_in(with_only(app, "remember_token", remembered))
    assert not signed_in(with_only(app, "remember_token", cookie(laptop, "remember_token")))
    assert not signed_in(with_only(app, "session", copied_session))
    db.session.refresh(customer)
    assert customer.session_token != token_before
    sign_in(client)  # the password still works
    assert signed_in(client)


def test_sign_out_everywhere_needs_a_post_with_a_csrf_token(client, auth, customer):
    auth.login(customer)
    assert client.get("/settings/sessions/end").status_code == 405


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_sign_out_everywhere_refuses_a_forged_request(client, customer):
    sign_in_page = client.get("/auth/login").get_data(as_text=True)
    token = sign_in_page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post(
        "/auth/login",
        data={"username": "carol", "password": factories.PASSWORD, "csrf_token": token},
    )
    assert signed_in(client)
    response = client.post("/settings/sessions/end")  # no token: a cross-site form
    assert response.status_code == 400
    assert signed_in(client)


def test_a_password_change_ends_other_sessions_and_remember_me_cookies(app, client, customer):
    sign_in(client, remember=True)
    phone = app.test_client()
    sign_in(phone, remember=True)
    remembered = cookie(phone, "remember_token")
    response = client.post(
        "/settings/password",
        data={"current": factories.PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert signed_in(client)  # this device stays signed in
    assert not signed_in(phone)
    assert not signed_in(with_only(app, "remember_token", remembered))
    assert signed_in(with_only(app, "remember_token", cookie(client, "remember_token")))
