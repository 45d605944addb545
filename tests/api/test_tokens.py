import hashlib

from forum.api.models import ApiToken
from forum.auth.services import FAILED
from forum.extensions import db
from tests import factories
from tests.api.conftest import bearer


def create(client, username="carol", password=factories.PASSWORD, **extra):
    return client.post("/api/v1/tokens", json={"username": username, "password": password, **extra})


def test_create_token_returns_secret_once_and_stores_only_its_hash(client, customer):
    response = create(client, name="Help desk")
    assert response.status_code == 201
    secret = response.json["token"]
    assert secret.startswith("fpat_") and len(secret) > 40
    assert response.json["name"] == "Help desk"
    assert response.headers["Cache-Control"] == "no-store"
    token = db.session.get(ApiToken, response.json["id"])
    assert token.user_id == customer.id
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(db.session.execute(db.select(ApiToken.__table__)).all())


def test_token_authenticates_requests(client, customer):
    secret = create(client).json["token"]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json["username"] == "carol"
    assert db.session.scalar(db.select(ApiToken.last_used_at)) is not None


def test_create_token_accepts_email_as_username(client, customer):
    assert create(client, username="carol@example.com").status_code == 201


def test_wrong_password_is_401_without_saying_which_part(client, customer):
    for username, password in (("carol", "wrong password"), ("nobody", factories.PASSWORD)):
        response = create(client, username, password)
        assert response.status_code == 401
        assert response.json["error"]["message"] == FAILED
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_banned_user_cannot_create_token(client, customer):
    customer.is_banned = True
    db.session.commit()
    response = create(client)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "account_suspended"


def test_create_token_validates_fields(client, customer):
    response = client.post("/api/v1/tokens", json={"username": 7})
    assert response.status_code == 422
    assert response.json["error"]["details"] == {
        "username": "Must be a string.",
        "password": "This field is required.",
    }
    response = create(client, name="x" * 61)
    assert response.status_code == 422
    assert "name" in response.json["error"]["details"]


def test_list_tokens_shows_own_tokens_without_secrets(client, customer, other_customer):
    headers = bearer(customer)
    bearer(other_customer)
    response = client.get("/api/v1/tokens", headers=headers)
    assert response.status_code == 200
    assert [item["name"] for item in response.json["items"]] == ["test"]
    assert set(response.json["items"][0]) == {"id", "name", "created_at", "last_used_at"}


def test_revoked_token_is_refused(client, customer):
    created = create(client).json
    headers = {"Authorization": f"Bearer {created['token']}"}
    response = client.delete(f"/api/v1/tokens/{created['id']}", headers=headers)
    assert response.status_code == 204
    assert db.session.get(ApiToken, created["id"]).revoked_at is not None
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"


def test_cannot_revoke_someone_elses_token(client, customer, other_customer):
    theirs = create(client, "oscar").json
    response = client.delete(f"/api/v1/tokens/{theirs['id']}", headers=bearer(customer))
    assert response.status_code == 404
    assert db.session.get(ApiToken, theirs["id"]).revoked_at is None


def test_banned_users_tokens_are_refused(client, customer):
    headers = bearer(customer)
    customer.is_banned = True
    db.session.commit()
    response = client.get("/api/v1/threads", headers=headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "account_suspended"


def test_bad_authorization_headers_are_401_with_a_challenge(client, customer):
    for header in ("Bearer fpat_not-a-real-token", "Bearer", "Basic Y2Fyb2w6eA==", "fpat_x"):
        response = client.get("/api/v1/categories", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json["error"]["code"] == "invalid_token"


def test_session_cookie_grants_nothing(client, auth, customer, category):
    auth.login(customer)
    assert client.get("/api/v1/me").status_code == 401
    response = client.post(
        "/api/v1/threads", json={"category": category.slug, "title": "Hello", "body": "Hi"}
    )
    assert response.status_code == 401


def test_api_responses_set_no_cookie(client, customer):
    response = client.get("/api/v1/me", headers=bearer(customer))
    assert "Set-Cookie" not in response.headers


def test_cli_creates_a_working_token(runner, client, customer):
    result = runner.invoke(args=["tokens", "create", "carol", "--name", "Zapier"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.json["username"] == "carol"
    assert db.session.scalar(db.select(ApiToken.name)) == "Zapier"


def test_cli_refuses_unknown_user(runner, app):
    result = runner.invoke(args=["tokens", "create", "nobody"])
    assert result.exit_code != 0
    assert "No user named 'nobody'" in result.output
