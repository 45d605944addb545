"""JSON Schemas of the moderation endpoints and of reporting a post (see ``schemas.py``)."""

from forum.api.inputs import MAX_ID
from forum.api.schemas import COUNT, CURSOR, FLAG, ID, STATUS, TEXT, TIME, URL, page_of, record, ref
from forum.moderation.flags import NOTE_MAX
from forum.moderation.models import FLAG_REASONS
from forum.spam.probe import KINDS, NUMBER_MAX, ROLES, TEXT_MAX, TITLE_MAX
from forum.spam.trust import LEVELS
from forum.spam.verdict import ACTIONS

REASON_MAX = 500  # ModerationAction.reason
MAYBE_NUMBER = {"type": ["number", "null"]}
AMOUNT = {"type": ["number", "null"], "minimum": 0, "maximum": NUMBER_MAX}
MAYBE_TEXT = {"type": ["string", "null"]}
REASON = {
    "type": "string",
    "maxLength": REASON_MAX,
    "description": "Why; the author reads it in the notice about the decision.",
}
VERSION = {
    "type": "integer",
    "minimum": 0,
    "maximum": MAX_ID,
    "description": "The queue item's version: refuse (409) if the post changed since you saw it.",
}
SPAM_REASON = record(
    {
        "rule": TEXT,
        "weight": {"type": "number"},
        "evidence": TEXT,
        "action": {"type": "string", "description": "A forced outcome: block, hold or flag."},
    },
    required=("rule", "weight", "evidence"),
)
AUDIT_ID = {**ID, "description": "The audit log entry (undo it at /moderation/log)."}

MODERATION_SCHEMAS = {
    "QueueItem": record(
        {
            "post_id": ID,
            "thread_id": ID,
            "thread_title": TEXT,
            "is_question": FLAG,
            "status": STATUS,
            "score": {**MAYBE_NUMBER, "description": "Spam score; null if never screened."},
            "version": VERSION,
            "reasons": {"type": "array", "items": SPAM_REASON},
            "flags": {"type": "array", "items": ref("OpenFlag")},
            "author": ref("QueueAuthor"),
            "body": {"type": "string", "description": "Markdown source."},
            "excerpt": TEXT,
            "created_at": TIME,
            "url": URL,
        }
    ),
    "OpenFlag": record(
        {
            "id": ID,
            "reason": {"type": "string", "enum": [*FLAG_REASONS, "rule"]},
            "note": TEXT,
            "weight": {"type": "number"},
            "flagger": {"type": ["string", "null"], "description": "null: an admin rule."},
            "created_at": TIME,
        }
    ),
    "QueueAuthor": record(
        {
            "id": ID,
            "username": TEXT,
            "role": TEXT,
            "trust": {"type": "string", "enum": list(LEVELS)},
            "approved_posts": {"type": "integer"},
            "history": {
                "type": "object",
                "additionalProperties": COUNT,
                "description": 'Their posts by status, e.g. {"visible": 4, "held": 1}.',
            },
        }
    ),
    "ModerationQueue": page_of(
        "QueueItem",
        total={**COUNT, "description": "Posts of this kind waiting."},
        next_cursor=CURSOR,
    ),
    "Approval": record({"reason": REASON, "version": VERSION}, required=(), closed=False),
    "Removal": record(
        {
            "spam": {"type": "boolean", "description": "true trains the spam classifier."},
            "reason": REASON,
            "version": VERSION,
        },
        required=("spam",),
        closed=False,
        example={"spam": True, "reason": "Advertising"},
    ),
    "Approved": record({"post_id": ID, "status": STATUS, "audit_id": AUDIT_ID}),
    "Removed": record({"post_id": ID, "status": STATUS, "spam": FLAG, "audit_id": AUDIT_ID}),
    "NewFlag": record(
        {
            "reason": {"type": "string", "enum": list(FLAG_REASONS)},
            "note": {
                "type": "string",
                "maxLength": NOTE_MAX,
                "description": "Required with reason other.",
            },
        },
        required=("reason",),
        closed=False,
        example={"reason": "spam", "note": "Advertises a casino"},
    ),
    "FlagCreated": record(
        {
            "flag_id": ID,
            "post_id": ID,
            "weight": {"type": "number", "description": "Your trust × your reports' accuracy."},
            "hidden": {"type": "boolean", "description": "The post is hidden until reviewed."},
        }
    ),
    "Ban": record(
        {
            "purge": {"type": "boolean", "description": "Also remove every post of theirs."},
            "spam": {
                "type": "boolean",
                "description": "Train the classifier on the purged "
                "posts as spam (default: the same as purge).",
            },
            "reason": REASON,
        },
        required=("purge",),
        closed=False,
        example={"purge": True, "reason": "Spam account"},
    ),
    "Banned": record(
        {
            "user_id": ID,
            "banned": {"type": "boolean", "const": True},
            "purged": {**COUNT, "description": "Posts removed."},
            "audit_id": AUDIT_ID,
        }
    ),
    "SpamProbe": record(
        {
            "text": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX},
            "title": {**MAYBE_TEXT, "maxLength": TITLE_MAX, "description": "Makes it a question."},
            "kind": {"enum": [*KINDS, None]},
            "author": {
                **record(
                    {
                        "username": MAYBE_TEXT,
                        "posts": {**AMOUNT, "description": "Approved posts."},
                        "age_days": AMOUNT,
                        "role": {"enum": [*ROLES, None], "description": "Default customer."},
                    },
                    required=(),
                    closed=False,
                ),
                "type": ["object", "null"],
            },
        },
        required=("text",),
        closed=False,
        description="One line of `flask spam score`'s input; null means absent.",
        example={
            "text": "Call our support number 1-800-555-0199 for a fast fix!",
            "author": {"username": "newbie", "posts": 0, "age_days": 0},
        },
    ),
    "SpamVerdict": record(
        {
            "action": {"type": "string", "enum": list(ACTIONS)},
            "score": {"type": "number"},
            "trust": {"type": "string", "enum": list(LEVELS)},
            "reasons": {"type": "array", "items": SPAM_REASON},
            "dry_run": {"type": "boolean", "const": True},
        },
        required=("action", "score", "trust", "reasons"),
    ),
}
