import re

import pytest
from openapi_spec_validator import validate

from forum.api.openapi import build_document

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def test_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"] == "3.1.0"
    validate(document)


def routes(app):
    """(METHOD, /api/v1/path/{param}) for every API rule in the URL map."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:<>]+:)?(\w+)>", r"{\1}", rule.rule)
            found |= {(method, path) for method in rule.methods - IGNORED_METHODS}
    return found


def test_document_and_routes_match_both_ways(app, client):
    document = client.get("/api/v1/openapi.json").json
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert documented == routes(app)
    assert len(documented) >= 14


def test_every_issue_endpoint_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for method, path in [
        ("post", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{id}"),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/categories"),
        ("get", "/api/v1/threads"),
        ("post", "/api/v1/threads"),
        ("get", "/api/v1/threads/{id}"),
        ("post", "/api/v1/threads/{id}/posts"),
        ("get", "/api/v1/posts/{id}"),
        ("patch", "/api/v1/posts/{id}"),
        ("delete", "/api/v1/posts/{id}"),
        ("get", "/api/v1/users/{username}"),
        ("get", "/api/v1/openapi.json"),
        ("get", "/api/v1/search"),
        ("get", "/api/v1/search/similar"),
        ("get", "/api/v1/moderation/queue"),
        ("post", "/api/v1/moderation/posts/{id}/approve"),
        ("post", "/api/v1/moderation/posts/{id}/remove"),
        ("post", "/api/v1/posts/{id}/flags"),
        ("post", "/api/v1/moderation/users/{id}/ban"),
        ("post", "/api/v1/moderation/spam/score"),
    ]:
        assert method in paths[path], (method, path)


def test_secured_operations_are_exactly_the_token_required_views(app, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    secured = {
        (method, path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if {} not in operation["security"]
    }
    assert secured == {
        ("get", "/api/v1/me"),
        ("get", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{id}"),
        ("post", "/api/v1/threads"),
        ("post", "/api/v1/threads/{id}/posts"),
        ("patch", "/api/v1/posts/{id}"),
        ("delete", "/api/v1/posts/{id}"),
        ("patch", "/api/v1/kb/articles/{id}"),
        ("post", "/api/v1/kb/articles/{id}/feedback"),
        ("post", "/api/v1/threads/{id}/accepted-answer"),
        ("delete", "/api/v1/threads/{id}/accepted-answer"),
        ("post", "/api/v1/posts/{id}/flags"),
        ("get", "/api/v1/moderation/queue"),
        ("post", "/api/v1/moderation/posts/{id}/approve"),
        ("post", "/api/v1/moderation/posts/{id}/remove"),
        ("post", "/api/v1/moderation/users/{id}/ban"),
        ("post", "/api/v1/moderation/spam/score"),
        ("get", "/api/v1/notifications"),
        ("post", "/api/v1/notifications/read"),
    }


def test_a_route_without_a_declaration_breaks_the_document(app):
    app.add_url_rule("/api/v1/undocumented", "undocumented", lambda: "")
    with pytest.raises(LookupError, match="/api/v1/undocumented"):
        build_document(app)


def test_docs_page_lists_every_operation_without_external_resources(client):
    document = client.get("/api/v1/openapi.json").json
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert f'id="op-{operation["operationId"]}"' in page
            assert f"{method.upper()} {path}" in page
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
