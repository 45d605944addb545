"""The OpenAPI 3.1 document, generated from the routes themselves.

Each API view carries an ``@operation(...)`` declaring what it reads and returns; paths, path
parameters, methods and security come from the URL map and the view. A route without a
declaration makes the document fail to build, so the document cannot fall behind the code.
"""

import re
from dataclasses import dataclass

from flask import current_app

from forum.api.inputs import MAX_ID, MAX_LIMIT
from forum.api.moderation_schemas import MODERATION_SCHEMAS
from forum.api.schemas import SCHEMAS, ref

PREFIX = "/api/v1"
RULE_ARG = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
ERRORS = {
    400: "Malformed JSON body.",
    401: "No token where one is needed, or a token that is invalid or revoked.",
    403: "Not allowed (including suspended accounts).",
    404: "Not found, or not visible to you.",
    409: "Conflicts with the current state.",
    413: "Request body too large.",
    415: "Body is not JSON.",
    422: "Invalid field or parameter; see error.details.",
    429: "Rate limited; retry after Retry-After seconds.",
    503: "Temporarily unavailable (the search index is missing or being rebuilt).",
}
DESCRIPTION = """The forum's JSON API. Send `Authorization: Bearer <token>`; create a token with
`POST /api/v1/tokens` or on your settings page. Reads work without a token and show what an
anonymous visitor sees. Errors are `{"error": {"code", "message", "details"?}}`. Lists use
keyset cursors: pass back `next_cursor` until it is null. Write responses report the post's
`status`: `visible` is public, `held` waits for review."""

SCREENING = """Posts are screened for spam: a post waiting for review has `status` "held" and
`held_reason` (why, in plain words, as its author is told); a post refused outright is 422
`post_rejected`; a silenced account gets 403 `account_silenced`; a new account posting faster
than it may gets 429 `rate_limited` with Retry-After."""


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    response: str | None = None  # schema name; None means 204 No Content
    status: int = 200
    body: str | None = None
    query: tuple = ()
    errors: tuple = ()
    description: str = ""
    location: bool = False  # a 201 whose Location header says where to read what was made


def operation(summary, tag, **fields):
    """Declare a view's place in the OpenAPI document (see ``Operation``)."""

    def decorate(view):
        view.openapi = Operation(summary, tag, **fields)
        return view

    return decorate


def query_param(name, schema, description):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def limit_param(default):
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": default}
    return query_param("limit", schema, f"Items per page (at most {MAX_LIMIT}).")


def cursor_param(name="cursor"):
    return query_param(name, {"type": "string"}, "The next_cursor of the previous page.")


def openapi_path(rule):
    """'/threads/<id:id>' → ('/threads/{id}', [path parameter objects])."""
    parameters = []
    for converter, name in RULE_ARG.findall(rule.rule):
        if converter == "id":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        elif converter in ("", "string"):
            schema = {"type": "string"}
        else:
            raise ValueError(f"no OpenAPI type for converter {converter!r} in {rule.rule}")
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return RULE_ARG.sub(r"{\2}", rule.rule), parameters


def error_statuses(spec, path_parameters):
    statuses = {401, 403, 429, *spec.errors}  # any token may be bad, any account suspended
    if path_parameters:
        statuses.add(404)
    if spec.query:
        statuses.add(422)
    if spec.body:
        statuses.update((400, 413, 415, 422))
    return sorted(statuses)


def responses(spec, path_parameters):
    result = {}
    if spec.response is None:
        result[str(spec.status)] = {"description": "Done."}
    else:
        result[str(spec.status)] = {
            "description": "OK." if spec.status == 200 else "Created.",
            "content": {"application/json": {"schema": ref(spec.response)}},
        }
    if spec.location:
        result[str(spec.status)]["headers"] = {
            "Location": {
                "required": True,
                "schema": {"type": "string"},
                "description": "Where to read it.",
            }
        }
    for status in error_statuses(spec, path_parameters):
        result[str(status)] = {"$ref": f"#/components/responses/E{status}"}
    return result


def operation_object(view, spec, path_parameters):
    security = [{"bearer": []}] if getattr(view, "token_required", False) else [{}, {"bearer": []}]
    result = {
        "operationId": view.__name__,
        "summary": spec.summary,
        "tags": [spec.tag],
        "security": security,
        "parameters": path_parameters + list(spec.query),
        "responses": responses(spec, path_parameters),
    }
    if spec.description:
        result["description"] = spec.description
    if spec.body:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(spec.body)}},
        }
    return result


def error_response(status, description):
    response = {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {
                "required": True,
                "schema": {"type": "string"},
                "description": "Seconds to wait.",
            }
        }
    return response


def build_document(app):
    """The OpenAPI document for every route under /api/v1 in ``app``'s URL map."""
    paths = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        view = app.view_functions[rule.endpoint]
        spec = getattr(view, "openapi", None)
        if spec is None:
            raise LookupError(f"API route {rule.rule} ({rule.endpoint}) has no @operation")
        path, parameters = openapi_path(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = operation_object(view, spec, parameters)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Community forum API", "version": "1", "description": DESCRIPTION},
        "paths": paths,
        "components": {
            "schemas": {**SCHEMAS, **MODERATION_SCHEMAS},
            "responses": {f"E{s}": error_response(s, text) for s, text in ERRORS.items()},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "An API token."}
            },
        },
    }


def document():
    """The current app's document, built once per process."""
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = build_document(current_app)
    return current_app.extensions["openapi"]
