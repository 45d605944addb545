"""Reading API requests: JSON bodies and query parameters. Every refusal is an ``ApiError``
(400, 415 or 422), never an exception that would become a 500."""

import re

from flask import request
from werkzeug.exceptions import BadRequest

from forum import routing
from forum.api.errors import ApiError, validation_error

MAX_LIMIT = 100
MAX_ID = routing.MAX_ID
LIMIT_RE = re.compile(r"[0-9]{1,3}")


def json_body():
    """The request's JSON object: 415 unless the body is JSON, 400 when it does not parse or is
    not an object."""
    if not request.is_json:
        raise ApiError(415, "Send the body as JSON with 'Content-Type: application/json'.")
    try:
        data = request.get_json()
    except BadRequest as error:
        raise ApiError(400, "The request body is not valid JSON.", "malformed_json") from error
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.", "malformed_json")
    return data


def text_fields(data, required=(), optional=()):
    """The named string fields of ``data``; 422 with a message per missing or non-text field.
    Absent optional fields are left out of the result."""
    return typed_fields(data, required, optional, text_problem)


def text_problem(value):
    if not isinstance(value, str):
        return "Must be a string."
    if not is_text(value):
        return "Must be valid Unicode text."
    return None


def typed_fields(data, required, optional, problem):
    """The named fields of ``data`` that ``problem(value)`` accepts (it returns None); 422 with
    a message per missing or refused field. Absent optional fields are left out."""
    values, details = {}, {}
    for name in (*required, *optional):
        value = data.get(name)
        if value is None and name in required:
            details[name] = "This field is required."
        elif name not in data:
            continue
        elif message := problem(value):
            details[name] = message
        else:
            values[name] = value
    if details:
        raise validation_error(details)
    return values


def is_text(value):
    # JSON may carry lone surrogates ("\ud800") that no database can store.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def limit_arg(name="limit", default=25):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not LIMIT_RE.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise validation_error({name: f"Must be a whole number from 1 to {MAX_LIMIT}."})
    return int(raw)


def bool_arg(name):
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise validation_error({name: "Must be true or false."})
    return raw == "true"


def bool_fields(data, required=(), optional=()):
    """The named true/false fields of ``data``; 422 with a message per missing or non-boolean
    field. Absent optional fields are left out of the result."""
    return typed_fields(data, required, optional, bool_problem)


def bool_problem(value):
    return None if isinstance(value, bool) else "Must be true or false."


def whole_number(data, name, maximum=MAX_ID):
    """The optional whole number ``name`` of ``data`` (0 to ``maximum``), or None when absent."""
    value = data.get(name)
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= maximum:
        raise validation_error({name: f"Must be a whole number from 0 to {maximum}."})
    return value


def bounded_text(fields, name, limit):
    """``fields[name]`` (or "" when absent); 422 when it is longer than ``limit`` characters."""
    value = fields.get(name, "")
    if len(value) > limit:
        raise validation_error({name: f"Must be at most {limit} characters long."})
    return value
