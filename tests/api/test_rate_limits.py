import os
import subprocess
import sys

import pytest

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from tests import factories

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def limited_client(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'limits.db'}"
        SEARCH_INDEX_DIR = str(tmp_path / "index")
        RATELIMIT_ENABLED = True
        API_RATE_LIMIT = "4 per minute"
        API_WRITE_RATE_LIMIT = "2 per minute"
        API_TOKEN_RATE_LIMIT = "2 per minute"

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        yield app.test_client()
        db.session.remove()
        db.drop_all()


def token_headers(client, user):
    response = client.post(
        "/api/v1/tokens", json={"username": user.username, "password": factories.PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_reads_are_limited_per_token_with_retry_after(limited_client):
    client = limited_client
    alice = token_headers(client, factories.make_user("customer", "alice"))
    for _ in range(4):
        assert client.get("/api/v1/categories", headers=alice).status_code == 200
    response = client.get("/api/v1/categories", headers=alice)
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # Another token has its own budget, even from the same address.
    bob = token_headers(client, factories.make_user("customer", "bobby"))
    assert client.get("/api/v1/categories", headers=bob).status_code == 200


def test_anonymous_requests_are_limited_per_address(limited_client):
    client = limited_client
    for _ in range(4):
        assert client.get("/api/v1/threads").status_code == 200
    assert client.get("/api/v1/threads").status_code == 429
    other = {"REMOTE_ADDR": "10.0.0.9"}
    assert client.get("/api/v1/threads", environ_base=other).status_code == 200


def test_writes_have_a_tighter_limit(limited_client):
    client = limited_client
    alice = factories.make_user("customer", "alice")
    headers = token_headers(client, alice)
    thread = factories.make_thread(alice, factories.make_category("General", "general"))
    url = f"/api/v1/threads/{thread.id}/posts"
    assert client.post(url, json={"body": "one"}, headers=headers).status_code == 201
    assert client.post(url, json={"body": "two"}, headers=headers).status_code == 201
    response = client.post(url, json={"body": "three"}, headers=headers)
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_token_creation_is_limited_per_address(limited_client):
    client = limited_client
    body = {"username": "nobody", "password": "guessing-passwords"}
    assert client.post("/api/v1/tokens", json=body).status_code == 401
    assert client.post("/api/v1/tokens", json=body).status_code == 401
    assert client.post("/api/v1/tokens", json=body).status_code == 429


@pytest.mark.parametrize("value, enabled", [("false", False), ("0", False), ("true", True)])
def test_ratelimit_enabled_comes_from_the_environment(value, enabled):
    script = "import config; print(config.Config.RATELIMIT_ENABLED)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "RATELIMIT_ENABLED": value},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(enabled)


def test_disabled_limits_never_answer_429(client, app):
    app.config.update(API_RATE_LIMIT="1 per minute", LOGIN_RATE_LIMIT="1 per minute")
    assert app.config["RATELIMIT_ENABLED"] is False
    for _ in range(3):
        assert client.get("/api/v1/categories").status_code == 200
        assert (
            client.post("/auth/login", data={"username": "x", "password": "y"}).status_code == 400
        )
