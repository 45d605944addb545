"""JSON Schemas of what the API reads and writes (OpenAPI 3.1 components). Response schemas
forbid unknown properties, so a serialiser that drifts from its schema fails the tests."""

from forum.api.inputs import MAX_ID
from forum.api.services import NAME_MAX
from forum.threads.models import POST_STATUSES
from forum.threads.services import BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN
from forum.users.models import ROLES

ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
TEXT = {"type": "string"}
FLAG = {"type": "boolean"}
COUNT = {"type": "integer", "minimum": 0}
TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
URL = {"type": "string", "format": "uri", "description": "The page for people."}
CURSOR = {
    "type": ["string", "null"],
    "description": "Pass back as the cursor parameter for the next page; null on the last page.",
}
TITLE = {"type": "string", "minLength": TITLE_MIN, "maxLength": TITLE_MAX}
BODY = {
    "type": "string",
    "minLength": BODY_MIN,
    "maxLength": BODY_MAX,
    "description": "Markdown.",
}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def record(properties, required=None, closed=True, description=None, example=None):
    """An object schema: every property required unless ``required`` names some; ``closed``
    (responses) forbids other properties, open ones (requests) ignore them."""
    schema = {"type": "object", "properties": properties}
    schema["required"] = list(properties if required is None else required)
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    if example:
        schema["examples"] = [example]
    return schema


def page_of(name, **extra):
    return record({"items": {"type": "array", "items": ref(name)}, **extra})


USER = {"id": ID, "username": TEXT, "role": {"type": "string", "enum": list(ROLES)}}
PROFILE = {**USER, "created_at": TIME, "post_count": COUNT, "url": URL}
STATUS = {
    "type": "string",
    "enum": list(POST_STATUSES),
    "description": "visible: public. held: waiting for review (only its author and the team "
    "see it). hidden, removed, deleted: gone from public view.",
}
THREAD = {
    "id": ID,
    "title": TEXT,
    "category": record({"id": ID, "slug": TEXT}),
    "author": ref("UserSummary"),
    "status": STATUS,
    "created_at": TIME,
    "last_activity_at": TIME,
    "locked": FLAG,
    "pinned": FLAG,
    "solved": FLAG,
    "accepted_post_id": {"type": ["integer", "null"]},
    "reply_count": COUNT,
    "url": URL,
}
HELD_REASON = {
    "type": "string",
    "description": "Only while the post is held: why it waits for review, in plain words.",
}
POST = {
    "id": ID,
    "thread_id": ID,
    "is_question": FLAG,
    "author": ref("UserSummary"),
    "body": {"type": "string", "description": "Markdown source."},
    "html": {"type": "string", "description": "Rendered and sanitised HTML."},
    "status": STATUS,
    "created_at": TIME,
    "edited_at": MAYBE_TIME,
    "url": URL,
    "held_reason": HELD_REASON,
}
SEARCH_HIT = {
    "type": {"type": "string", "enum": ["thread", "article"]},
    "id": ID,
    "title": TEXT,
    "url": URL,
    "snippet": {
        "type": "string",
        "description": "HTML-escaped text whose only markup is <mark> around matched words.",
    },
    "score": {"type": "number", "description": "Relevance; compare within one response only."},
}
TOKEN = {"id": ID, "name": TEXT, "created_at": TIME, "last_used_at": MAYBE_TIME}
ERROR = record(
    {
        "code": {"type": "string", "description": "Stable, machine-readable: not_found, ..."},
        "message": {"type": "string", "description": "For people; may change."},
        "details": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Per-field messages (validation errors only).",
        },
    },
    required=("code", "message"),
)

SCHEMAS = {
    "OpenApiDocument": record(
        {"openapi": TEXT, "info": {"type": "object"}, "paths": {"type": "object"}},
        required=("openapi", "info", "paths"),
        closed=False,
    ),
    "Error": record({"error": ERROR}),
    "UserSummary": record(USER),
    "Profile": record(PROFILE, description="A public profile. Never includes the email."),
    "Me": record({**PROFILE, "email": {"type": "string"}}),
    "Category": record(
        {
            "id": ID,
            "slug": TEXT,
            "name": TEXT,
            "description": TEXT,
            "thread_count": COUNT,
            "url": URL,
        }
    ),
    "CategoryList": page_of("Category"),
    "Thread": record(THREAD),
    "ThreadList": page_of("Thread", next_cursor=CURSOR),
    "ThreadDetail": record(
        {
            **THREAD,
            "post_count": {**COUNT, "description": "Posts you can see, the question included."},
            "posts": {"type": "array", "items": ref("Post")},
            "next_posts_cursor": CURSOR,
        }
    ),
    "ThreadCreated": record(
        {**THREAD, "post": ref("Post"), "held_reason": HELD_REASON},
        required=[*THREAD, "post"],
    ),
    "Post": record(POST, required=[name for name in POST if name != "held_reason"]),
    "SearchHit": record(SEARCH_HIT),
    "SearchResult": record(
        {
            **SEARCH_HIT,
            "open_url": {
                "type": "string",
                "format": "uri",
                "description": "Opens the result and records the click in the search log.",
            },
        }
    ),
    "SearchResults": page_of(
        "SearchResult",
        total={
            **COUNT,
            "description": "How many results there are in all; the PostgreSQL search "
            "backend stops counting at 2000.",
        },
        matched_any={
            "type": "boolean",
            "description": "No result had every word; these have some of them.",
        },
        notices={
            "type": "array",
            "items": {"type": "string"},
            "description": "What the search did with your query, e.g. an operator it ignored.",
        },
        next_cursor=CURSOR,
    ),
    "SimilarThreads": page_of("SearchHit"),
    "PostStatus": record({"id": ID, "thread_id": ID, "status": STATUS}),
    "Token": record(TOKEN, description="A token without its secret."),
    "NewToken": record(
        {**TOKEN, "token": {"type": "string", "description": "The secret. Shown only once."}}
    ),
    "TokenList": page_of("Token"),
    "TokenRequest": record(
        {
            "username": {"type": "string", "description": "Username or email address."},
            "password": TEXT,
            "name": {"type": "string", "maxLength": NAME_MAX, "description": "Your label."},
        },
        required=("username", "password"),
        closed=False,
    ),
    "NewThread": record(
        {
            "category": {"type": "string", "description": "A category slug."},
            "title": TITLE,
            "body": BODY,
        },
        required=("category", "title", "body"),
        closed=False,
        example={
            "category": "getting-started",
            "title": "How do I move my files to a new laptop?",
            "body": "I bought a new laptop. Do I **reinstall** the app or copy the folder?",
        },
    ),
    "NewPost": record(
        {"body": BODY}, closed=False, example={"body": "Sign in on the new laptop first."}
    ),
    "PostEdit": record(
        {"body": BODY, "title": {**TITLE, "description": "Questions only: the thread's title."}},
        required=("body",),
        closed=False,
    ),
}
