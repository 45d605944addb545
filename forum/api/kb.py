"""Knowledge-base and accepted-answer endpoints."""

from flask import jsonify, request

from forum.api import bp, serializers
from forum.api.auth import api_user, token_required
from forum.api.errors import validation_error
from forum.api.inputs import MAX_ID, json_body, limit_arg, text_fields
from forum.api.kb_schemas import KB_SCHEMAS
from forum.api.openapi import cursor_param, limit_param, operation, query_param
from forum.api.pagination import decode_cursor, keyset_page
from forum.api.schemas import SCHEMAS
from forum.extensions import db
from forum.kb import feedback, queries, services
from forum.kb.models import Article
from forum.permissions import can_accept_answer, can_manage_kb, require
from forum.threads import answers
from forum.threads.models import Post
from forum.threads.queries import get_thread_or_404

SCHEMAS.update(KB_SCHEMAS)  # this module's shapes join the OpenAPI components
ARTICLES_PER_PAGE = 25
STATUS_FILTERS = ("published", "draft", "archived", "needs_review", "all")


def status_arg():
    raw = request.args.get("status", "published")
    if raw not in STATUS_FILTERS:
        raise validation_error({"status": f"Must be one of {', '.join(STATUS_FILTERS)}."})
    return raw


@bp.get("/kb/articles")
@operation(
    "List knowledge-base articles, most recently updated first",
    "Knowledge base",
    response="ArticleList",
    query=(
        query_param(
            "status",
            {"type": "string", "enum": list(STATUS_FILTERS), "default": "published"},
            "Which articles. Only staff see anything but published ones.",
        ),
        cursor_param(),
        limit_param(ARTICLES_PER_PAGE),
    ),
)
def list_articles():
    view = status_arg()
    query = queries.manage_query(view).order_by(None)
    if not can_manage_kb(api_user()):
        query = query.where(Article.status == "published")
    after = decode_cursor("cursor", int)
    if after:
        query = query.where(Article.id < after[0])
    articles, next_cursor = keyset_page(
        query.order_by(Article.id.desc()),
        limit_arg(default=ARTICLES_PER_PAGE),
        key=lambda article: (article.id,),
    )
    return jsonify(items=[article_json(a) for a in articles], next_cursor=next_cursor)


def article_json(article):
    """An article as the ``Article`` schema describes it."""
    category, credited = article.category, article.credited_user
    return {
        "id": article.id,
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "html": article.html,
        "status": article.status,
        "needs_review": article.needs_review,
        "category": {"id": category.id, "slug": category.slug} if category else None,
        "source_thread_id": article.source_thread_id,
        "source_post_id": article.source_post_id,
        "credited_user": serializers.user_summary(credited) if credited else None,
        "helpful_yes": article.helpful_yes,
        "helpful_no": article.helpful_no,
        "created_at": serializers.timestamp(article.created_at),
        "updated_at": serializers.timestamp(article.updated_at),
        "published_at": serializers.timestamp(article.published_at),
        "last_verified_at": serializers.timestamp(article.last_verified_at),
        "url": serializers.absolute(article.url),
    }


@bp.get("/kb/articles/<id:id>")
@operation("Read one knowledge-base article", "Knowledge base", response="Article")
def get_article(id):
    return jsonify(article_json(queries.get_article_or_404(id, api_user())))


@bp.patch("/kb/articles/<id:id>")
@operation(
    "Edit, publish, unpublish or archive an article (staff)",
    "Knowledge base",
    response="Article",
    body="ArticleEdit",
    description="Every text change keeps a revision. Setting status to published publishes "
    "(422 when the article has no text).",
)
@token_required
def edit_article(id):
    user = api_user()
    require(can_manage_kb(user))
    article = queries.get_article_or_404(id, user)
    fields = text_fields(json_body(), optional=("title", "summary", "body", "status"))
    status = fields.pop("status", None)
    if status is not None and status not in ("draft", "published", "archived"):
        raise validation_error({"status": "Must be draft, published or archived."})
    if not fields and status is None:
        raise validation_error({"body": "Send at least one of title, summary, body, status."})
    if fields:
        text = {name: fields.get(name, getattr(article, name)) for name in ("title", "summary")}
        services.save(
            user,
            article,
            text["title"],
            text["summary"],
            fields.get("body", article.body),
            article.category,
            publish=status == "published",
        )
    if status is not None:
        services.set_status(user, article, status)
    return jsonify(article_json(article))


@bp.post("/kb/articles/<id:id>/feedback")
@operation(
    "Answer “Was this helpful?” for an article",
    "Knowledge base",
    response="FeedbackResult",
    body="Feedback",
    description="Counted once per account and article; a second answer changes nothing "
    "(counted: false).",
)
@token_required
def article_feedback(id):
    user = api_user()
    article = queries.get_article_or_404(id, user)
    if article.status != "published":
        raise validation_error({"helpful": "Only published articles take feedback."})
    helpful = json_body().get("helpful")
    if not isinstance(helpful, bool):
        raise validation_error({"helpful": "Must be true or false."})
    counted = feedback.vote(article, feedback.reader(user), helpful)
    return jsonify(
        article_id=article.id,
        counted=counted,
        helpful_yes=article.helpful_yes,
        helpful_no=article.helpful_no,
    )


def post_id_field(data, thread):
    value = data.get("post_id")
    if type(value) is not int or not 0 < value <= MAX_ID:
        raise validation_error({"post_id": "Must be the id of a reply in this thread."})
    post = db.session.get(Post, value)
    if post is None:
        raise validation_error({"post_id": "No post has that id."})
    return post


def expected_field(data):
    if "expected_post_id" not in data:
        return answers.CURRENT
    value = data["expected_post_id"]
    if value is not None and (type(value) is not int or not 0 < value <= MAX_ID):
        raise validation_error({"expected_post_id": "Must be a post id or null."})
    return value


@bp.post("/threads/<id:id>/accepted-answer")
@operation(
    "Accept a reply as the thread's answer, or change it (team)",
    "Threads",
    response="Thread",
    body="AcceptAnswer",
    errors=(409,),
    description="Refuses (422) a post of another thread, the question, a deleted or held "
    "post. With expected_post_id (the accepted answer you saw, null for none), a change "
    "someone made meanwhile is refused with 409. Drafts a KB article from the answer.",
)
@token_required
def accept_answer(id):
    user = api_user()
    thread = get_thread_or_404(id, user)
    require(can_accept_answer(user, thread))
    data = json_body()
    post = post_id_field(data, thread)
    answers.accept_answer(user, post, thread, expected=expected_field(data))
    return jsonify(serializers.thread(thread))


@bp.delete("/threads/<id:id>/accepted-answer")
@operation(
    "Unmark the thread's accepted answer (team)",
    "Threads",
    response="Thread",
    errors=(409,),
    description="Puts the thread's KB article on the needs-review list.",
)
@token_required
def unaccept_answer(id):
    user = api_user()
    thread = get_thread_or_404(id, user)
    require(can_accept_answer(user, thread))
    answers.unaccept_answer(user, thread)
    return jsonify(serializers.thread(thread))
