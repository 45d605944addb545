"""Every error the API can give is JSON in one shape, never an HTML page, never a 500 for
anything a client sends."""

import pytest

from forum.threads import services
from tests.api.conftest import bearer


def assert_json_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str)
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(
    "data, content_type, status, code",
    [
        ("{not json", "application/json", 400, "malformed_json"),
        ("", "application/json", 400, "malformed_json"),
        ("[1, 2]", "application/json", 400, "malformed_json"),
        ('"body"', "application/json", 400, "malformed_json"),
        (b"\xff\xfe", "application/json", 400, "malformed_json"),
        ("body=hello", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ('{"body": "hello"}', "text/plain", 415, "unsupported_media_type"),
        ('{"body": "hello"}', None, 415, "unsupported_media_type"),
    ],
)
def test_bodies_that_are_not_json_objects(
    client, thread, customer, data, content_type, status, code
):
    response = client.post(
        f"/api/v1/threads/{thread.id}/posts",
        data=data,
        content_type=content_type,
        headers=bearer(customer),
    )
    assert_json_error(response, status, code)


def test_body_too_large_is_413(client, thread, customer, app):
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(
        f"/api/v1/threads/{thread.id}/posts",
        data='{"body": "' + "x" * size + '"}',
        content_type="application/json",
        headers=bearer(customer),
    )
    assert_json_error(response, 413, "payload_too_large")


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v2/threads", "/api/docs/nothing", "/api/"]
)
def test_unknown_api_paths_are_json_404(client, path):
    assert_json_error(client.get(path), 404, "not_found")


def test_wrong_method_is_json_405_with_allow(client, thread):
    response = client.put(f"/api/v1/threads/{thread.id}", json={})
    assert_json_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}


def test_unexpected_failure_is_json_500(
    client, thread, customer, monkeypatch, undocumented_responses
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "reply", broken)
    response = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "hi"}, headers=bearer(customer)
    )
    error = assert_json_error(response, 500, "server_error")
    assert "disk on fire" not in error["message"]
    undocumented_responses.clear()  # the document promises no 500s; this one is forced


def test_forbidden_is_json_403(client, locked_thread, other_customer):
    response = client.post(
        f"/api/v1/threads/{locked_thread.id}/posts",
        json={"body": "hi"},
        headers=bearer(other_customer),
    )
    assert_json_error(response, 403, "forbidden")


def test_pages_outside_the_api_keep_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
