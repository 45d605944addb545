"""Keyset pagination: opaque cursors holding the sort key of the last item of a page, so pages
stay stable while new content arrives and deep pages cost no more than the first."""

import base64
import binascii
import json
import math
from datetime import datetime

from flask import request

from forum.api.errors import validation_error
from forum.api.inputs import MAX_ID
from forum.extensions import db

CURSOR_MAX = 200


def keyset_page(query, limit, key):
    """One page of ``query`` (already ordered and filtered past the cursor) and the cursor of
    the next page, or None when this is the last one. ``key(item)`` is the item's sort key."""
    items = db.session.scalars(query.limit(limit + 1)).all()
    if len(items) <= limit:
        return items, None
    return items[:limit], encode_cursor(*key(items[limit - 1]))


def encode_cursor(*values):
    """An opaque cursor for keyset pagination: base64 of the last item's sort key."""
    packed = json.dumps(
        [v.isoformat() if isinstance(v, datetime) else v for v in values], separators=(",", ":")
    )
    return base64.urlsafe_b64encode(packed.encode()).decode().rstrip("=")


def decode_cursor(name, *types):
    """The sort key in the cursor parameter ``name`` (None when absent), checked against
    ``types`` (int, float or datetime per position); 422 when it is not one of ours."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        if len(raw) > CURSOR_MAX:
            raise ValueError(raw)
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError(raw)
        return tuple(_cursor_value(value, kind) for value, kind in zip(values, types, strict=True))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise validation_error(
            {name: "Not a cursor this API gave out; pass back next_cursor unchanged."}
        ) from error


def _cursor_value(value, kind):
    if kind is int and type(value) is int and 0 <= value <= MAX_ID:
        return value
    if kind is float and type(value) in (int, float) and math.isfinite(value):
        return float(value)
    if kind is datetime and isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=None)
    raise ValueError(value)
