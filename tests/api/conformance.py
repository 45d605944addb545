"""Check API responses against the OpenAPI document, so every contract test is also a schema
test: an undocumented status or a body that drifts from its schema fails the test."""

import re

from flask import request
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from forum.api.openapi import document

RULE_ARG = re.compile(r"<(?:[^:<>]+:)?(\w+)>")


def response_schema(doc, operation, status):
    response = operation["responses"].get(str(status))
    if response is None:
        return None, f"status {status} is not documented"
    if "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    content = response.get("content", {}).get("application/json")
    return (content or {}).get("schema"), None


def problems_with(response):
    """What is wrong with ``response`` according to the document (empty when it conforms)."""
    rule = request.url_rule
    if (
        rule is None
        or not rule.rule.startswith("/api/v1/")
        or request.method in ("HEAD", "OPTIONS")
    ):
        return []
    doc = document()
    path = RULE_ARG.sub(r"{\1}", rule.rule)
    operation = doc["paths"][path][request.method.lower()]
    schema, problem = response_schema(doc, operation, response.status_code)
    label = f"{request.method} {request.path} → {response.status_code}"
    if problem:
        return [f"{label}: {problem}"]
    if schema is None:
        return [] if not response.get_data() else [f"{label}: body where none is documented"]
    registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(doc))
    validator = Draft202012Validator(
        {"$ref": "urn:api#" + schema["$ref"][1:]}, registry=registry, format_checker=FormatChecker()
    )
    return [f"{label}: {error.message}" for error in validator.iter_errors(response.get_json())]
