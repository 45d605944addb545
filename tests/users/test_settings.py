import re

import pytest

from config import TestingConfig
from forum import create_app
from forum.api import services as tokens
from forum.api.models import ApiToken
from forum.extensions import db
from tests import factories


def test_settings_needs_sign_in(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_header_links_to_settings_and_settings_to_password(client, auth, customer):
    auth.login(customer)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/settings">Settings</a>' in page
    page = client.get("/settings").get_data(as_text=True)
    assert 'href="/settings/password"' in page
    assert 'href="/settings"' in client.get("/settings/password").get_data(as_text=True)


def test_create_token_shows_the_secret_once(client, auth, customer):
    auth.login(customer)
    response = client.post("/settings/tokens", data={"name": "Help desk"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    secret = re.search(r'<code id="new-token">(fpat_[\w-]+)</code>', page).group(1)
    assert "Copy your new token now" in page
    token = db.session.scalar(db.select(ApiToken))
    assert token.name == "Help desk" and token.user_id == customer.id
    assert token.token_hash == tokens.hash_secret(secret)
    later = client.get("/settings").get_data(as_text=True)
    assert "Help desk" in later
    assert secret not in later
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.json["username"] == "carol"


def test_token_name_too_long_is_refused_in_place(client, auth, customer):
    auth.login(customer)
    response = client.post("/settings/tokens", data={"name": "x" * 61})
    assert response.status_code == 400
    assert "Keep the name under 60 characters." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_settings_lists_only_own_active_tokens(client, auth, customer, other_customer):
    tokens.create_token(customer, "Mine")
    revoked, _ = tokens.create_token(customer, "Old one")
    tokens.revoke_token(revoked)
    tokens.create_token(other_customer, "Theirs")
    auth.login(customer)
    page = client.get("/settings").get_data(as_text=True)
    assert "Mine" in page
    assert "Old one" not in page and "Theirs" not in page
    assert "1 active token" in page


def test_revoke_goes_through_a_confirm_page(client, auth, customer):
    token, secret = tokens.create_token(customer, "Zapier")
    auth.login(customer)
    confirm = client.get(f"/settings/tokens/{token.id}/revoke")
    assert confirm.status_code == 200
    assert "Revoke the token “Zapier”?" in confirm.get_data(as_text=True)
    assert token.revoked_at is None
    response = client.post(f"/settings/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings"
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401


def test_cannot_revoke_someone_elses_token(client, auth, customer, other_customer):
    theirs, _ = tokens.create_token(other_customer, "Theirs")
    auth.login(customer)
    assert client.get(f"/settings/tokens/{theirs.id}/revoke").status_code == 404
    assert client.post(f"/settings/tokens/{theirs.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, theirs.id).revoked_at is None


@pytest.fixture
def csrf_client(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'csrf.db'}"
        WTF_CSRF_ENABLED = True

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        yield app.test_client()
        db.session.remove()
        db.drop_all()


def test_with_csrf_on_pages_need_a_token_and_the_api_does_not(csrf_client):
    client = csrf_client
    user = factories.make_user("customer", "dora")
    token, secret = tokens.create_token(user, "Bot")
    page = client.get("/auth/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/auth/login",
        data={"username": "dora", "password": factories.PASSWORD, "csrf_token": csrf},
    )
    assert client.post(f"/settings/tokens/{token.id}/revoke").status_code == 400
    assert db.session.get(ApiToken, token.id).revoked_at is None
    response = client.delete(
        f"/api/v1/tokens/{token.id}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 204
