"""JSON Schemas of the knowledge-base endpoints (merged into the OpenAPI components by
forum/api/kb.py)."""

from forum.api.schemas import COUNT, FLAG, ID, MAYBE_TIME, TEXT, TIME, URL, record, ref
from forum.kb.models import ARTICLE_STATUSES
from forum.kb.services import BODY_MAX, SUMMARY_MAX, TITLE_MAX, TITLE_MIN

MAYBE_ID = {"type": ["integer", "null"]}
STATUS = {"type": "string", "enum": list(ARTICLE_STATUSES)}
ARTICLE = {
    "id": ID,
    "title": TEXT,
    "slug": TEXT,
    "summary": TEXT,
    "body": {"type": "string", "description": "Markdown source."},
    "html": {"type": "string", "description": "Rendered and sanitised HTML."},
    "status": STATUS,
    "needs_review": {**FLAG, "description": "Its source thread changed since it was verified."},
    "category": {"oneOf": [record({"id": ID, "slug": TEXT}), {"type": "null"}]},
    "source_thread_id": MAYBE_ID,
    "source_post_id": MAYBE_ID,
    "credited_user": {"oneOf": [ref("UserSummary"), {"type": "null"}]},
    "helpful_yes": COUNT,
    "helpful_no": COUNT,
    "created_at": TIME,
    "updated_at": TIME,
    "published_at": MAYBE_TIME,
    "last_verified_at": MAYBE_TIME,
    "url": URL,
}

KB_SCHEMAS = {
    "Article": record(ARTICLE),
    "ArticleList": record(
        {
            "items": {"type": "array", "items": ref("Article")},
            "next_cursor": {"type": ["string", "null"]},
        }
    ),
    "ArticleEdit": record(
        {
            "title": {"type": "string", "minLength": TITLE_MIN, "maxLength": TITLE_MAX},
            "summary": {"type": "string", "maxLength": SUMMARY_MAX},
            "body": {"type": "string", "maxLength": BODY_MAX, "description": "Markdown."},
            "status": STATUS,
        },
        required=(),
        closed=False,
        example={"status": "published"},
    ),
    "Feedback": record({"helpful": FLAG}, closed=False, example={"helpful": True}),
    "FeedbackResult": record(
        {"article_id": ID, "counted": FLAG, "helpful_yes": COUNT, "helpful_no": COUNT}
    ),
    "AcceptAnswer": record(
        {
            "post_id": ID,
            "expected_post_id": {
                **MAYBE_ID,
                "description": "The accepted answer you saw (null: none); 409 if it changed.",
            },
        },
        required=("post_id",),
        closed=False,
    ),
}
