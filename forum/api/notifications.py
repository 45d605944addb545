"""Notification endpoints: what the token's user would see under the bell, and marking it
read. The same service and the same visibility as the page."""

from datetime import datetime

from flask import jsonify, url_for

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.errors import validation_error
from forum.api.inputs import MAX_ID, bool_arg, json_body, limit_arg
from forum.api.openapi import cursor_param, limit_param, operation, query_param
from forum.api.pagination import decode_cursor, keyset_page
from forum.api.schemas import COUNT, FLAG, ID, SCHEMAS, TEXT, TIME, record, ref
from forum.api.serializers import absolute
from forum.notifications import services
from forum.notifications.models import Notification

PER_PAGE = 25
MAX_IDS = 100
MAYBE_ID = {"type": ["integer", "null"]}
SCHEMAS.update(
    {
        "Notification": record(
            {
                "id": ID,
                "kind": {
                    "type": "string",
                    "enum": ["replies", "threads", "notice"],
                    "description": "replies: new replies in a thread you asked or follow; "
                    "threads: new questions in a category you follow; notice: about your own "
                    "post or account.",
                },
                "text": TEXT,
                "count": {**COUNT, "description": "How many events this line gathers."},
                "unread": FLAG,
                "thread_id": MAYBE_ID,
                "post_id": MAYBE_ID,
                "url": {"type": "string", "format": "uri", "description": "Where it leads."},
                "created_at": TIME,
                "updated_at": TIME,
            }
        ),
        "NotificationList": record(
            {
                "items": {"type": "array", "items": ref("Notification")},
                "unread_count": COUNT,
                "next_cursor": {"type": ["string", "null"]},
            }
        ),
        "NotificationsRead": record(
            {
                "ids": {
                    "type": "array",
                    "items": ID,
                    "maxItems": MAX_IDS,
                    "description": "The notifications to mark read; leave out to mark all.",
                }
            },
            required=(),
            closed=False,
        ),
        "NotificationsMarked": record({"marked": COUNT, "unread_count": COUNT}),
    }
)


def serialize(notification):
    target = notification.target()
    url = url_for(target[0], **target[1]) if target else url_for("notifications.index")
    return {
        "id": notification.id,
        "kind": notification.kind,
        "text": notification.sentence,
        "count": notification.count,
        "unread": notification.unread,
        "thread_id": notification.thread_id,
        "post_id": notification.post_id,
        "url": absolute(url),
        "created_at": notification.created_at.isoformat() + "Z",
        "updated_at": notification.updated_at.isoformat() + "Z",
    }


@bp.get("/notifications")
@operation(
    "Your notifications, latest activity first",
    "Notifications",
    response="NotificationList",
    query=(
        query_param("unread", {"type": "boolean"}, "true: only unread ones."),
        cursor_param(),
        limit_param(PER_PAGE),
    ),
)
@token_required
def list_notifications():
    user = api_user()
    query = services.listing(user)
    if bool_arg("unread"):
        query = query.where(Notification.read_at.is_(None))
    after = decode_cursor("cursor", datetime, int)
    if after:
        moment, id = after
        query = query.where(
            (Notification.updated_at < moment)
            | ((Notification.updated_at == moment) & (Notification.id < id))
        )
    items, next_cursor = keyset_page(
        query, limit_arg(default=PER_PAGE), key=lambda n: (n.updated_at, n.id)
    )
    return jsonify(
        items=[serialize(item) for item in items],
        unread_count=services.unread_count(user),
        next_cursor=next_cursor,
    )


@bp.post("/notifications/read")
@operation(
    "Mark notifications read (the listed ones, or all)",
    "Notifications",
    response="NotificationsMarked",
    body="NotificationsRead",
)
@token_required
def mark_notifications_read():
    user = api_user()
    body = json_body()
    if "ids" not in body:
        marked = services.mark_all_read(user)
    else:
        ids = body["ids"]
        if (
            not isinstance(ids, list)
            or len(ids) > MAX_IDS
            or not all(type(i) is int and 1 <= i <= MAX_ID for i in ids)
        ):
            raise validation_error({"ids": f"Must be a list of at most {MAX_IDS} ids."})
        marked = services.mark_read_ids(user, ids) if ids else 0
    return jsonify(marked=marked, unread_count=services.unread_count(user))
