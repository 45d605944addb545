"""The outbox consumer: forum events → webhook deliveries (rows only; sending is a job).

It runs inside the outbox drain, so it only reads and adds rows in the drain's transaction.
It re-reads what each event names and decides from the content as it is now, so nothing held
or hidden is ever described as created: a held post goes out as ``post.held`` only, and as
``post.created`` (or ``thread.created`` for a question) once a moderator approves it. A
content's *created* event goes to each webhook at most once.
"""

from contextlib import contextmanager

from flask import current_app, has_request_context, url_for
from sqlalchemy.orm import selectinload

from forum import markup
from forum.api import serializers
from forum.api.kb import article_json
from forum.extensions import db
from forum.kb.models import Article
from forum.spam.explain import author_reason
from forum.threads.models import Post, Thread
from forum.webhooks.models import Webhook, WebhookDelivery

EXCERPT_CHARS = 300
# Outbox topics this consumer reads; several become a content's "created" event.
BECOMES_VISIBLE = ("thread.created", "post.created", "post.approved", "post.restored")
TOPICS = (*BECOMES_VISIBLE, "post.held", "answer.accepted", "article.published")
CREATED = ("thread.created", "post.created")


@contextmanager
def site_context():
    """A request context whose host is ``SITE_URL``, so payload URLs are absolute and the
    same whether the outbox drains after a request or in ``flask worker``."""
    base = current_app.config.get("SITE_URL")
    if base:
        with current_app.test_request_context("/", base_url=base):
            yield
    elif has_request_context():
        yield
    else:
        with current_app.test_request_context("/"):
            yield


def consume(events):
    """Outbox consumer: add a pending delivery for each event each enabled webhook wants."""
    events = [e for e in events if e.topic in TOPICS and isinstance(e.payload, dict)]
    if not events:
        return
    hooks = db.session.scalars(db.select(Webhook).where(Webhook.enabled.is_(True))).all()
    wanted = {name for hook in hooks for name in hook.events or ()}
    if not wanted:
        return
    content = Content(events)
    with site_context():
        items = [item for event in events for item in describe(event, content)]
    items = [item for item in items if item[0] in wanted]
    sent = already_sent([subject for name, subject, _ in items if name in CREATED])
    for name, subject, data in items:
        for hook in hooks:
            if not hook.wants(name) or (name in CREATED and (hook.id, subject) in sent):
                continue
            if name in CREATED:
                sent.add((hook.id, subject))
            db.session.add(
                WebhookDelivery(webhook_id=hook.id, event=name, subject=subject, payload=data)
            )


def already_sent(subjects):
    """``{(webhook_id, subject)}`` of *created* deliveries made before, for ``subjects``."""
    if not subjects:
        return set()
    rows = db.session.execute(
        db.select(WebhookDelivery.webhook_id, WebhookDelivery.subject).where(
            WebhookDelivery.subject.in_(set(subjects)), WebhookDelivery.event.in_(CREATED)
        )
    )
    return {tuple(row) for row in rows}


def _ids(event, name):
    value = event.payload.get(name)
    values = event.payload.get(name + "s") or ([value] if value is not None else [])
    return [int(v) for v in values if isinstance(v, int) or (isinstance(v, str) and v.isdigit())]


class Content:
    """The posts, threads and articles a batch of events names, each read in one query."""

    def __init__(self, events):
        post_ids = {i for e in events for i in _ids(e, "post_id")}
        thread_ids = {i for e in events for i in _ids(e, "thread_id")}
        article_ids = {i for e in events for i in _ids(e, "article_id")}
        posts = db.session.scalars(
            db.select(Post)
            .where(
                (Post.id.in_(post_ids))
                | (Post.thread_id.in_(thread_ids) & Post.is_question.is_(True))
            )
            .options(selectinload(Post.author))
        ).all()
        self.posts = {post.id: post for post in posts}
        self.questions = {post.thread_id: post for post in posts if post.is_question}
        thread_ids |= {post.thread_id for post in posts}
        self.threads = {
            t.id: t for t in db.session.scalars(db.select(Thread).where(Thread.id.in_(thread_ids)))
        }
        self.articles = {
            a.id: a
            for a in db.session.scalars(
                db.select(Article)
                .where(Article.id.in_(article_ids))
                .options(selectinload(Article.category), selectinload(Article.credited_user))
            )
        }


def describe(event, content):
    """``(webhook event, subject, data)`` for each thing ``event`` says happened that is
    still true now."""
    if event.topic in BECOMES_VISIBLE:
        posts = [content.posts.get(i) for i in _ids(event, "post_id")]
        if event.topic == "thread.created":
            posts = [content.questions.get(i) for i in _ids(event, "thread_id")]
        for post in posts:
            thread = post and content.threads.get(post.thread_id)
            if thread is None or post.status != "visible" or thread.status != "visible":
                continue
            if post.is_question:
                yield "thread.created", f"thread:{thread.id}", thread_created(thread, post)
            else:
                yield "post.created", f"post:{post.id}", post_created(thread, post)
    elif event.topic == "post.held":
        for post in map(content.posts.get, _ids(event, "post_id")):
            if post is not None and post.status == "held":
                thread = content.threads[post.thread_id]
                yield "post.held", f"post:{post.id}", post_held(thread, post)
    elif event.topic == "answer.accepted":
        thread = content.threads.get(next(iter(_ids(event, "thread_id")), None))
        post = content.posts.get(next(iter(_ids(event, "post_id")), None))
        if thread and post and thread.accepted_post_id == post.id and post.status == "visible":
            yield "answer.accepted", f"thread:{thread.id}", answer_accepted(thread, post)
    elif event.topic == "article.published":
        for article in map(content.articles.get, _ids(event, "article_id")):
            if article is not None and article.status == "published":
                data = {"article": article_json(article)}
                yield "article.published", f"article:{article.id}", data


def post_summary(post):
    """A post as webhooks describe it: who, when, where, and the start of its text."""
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "is_question": post.is_question,
        "author": serializers.user_summary(post.author),
        "created_at": serializers.timestamp(post.created_at),
        "url": serializers.absolute(post.url),
        "excerpt": markup.excerpt_of_html(post.html, EXCERPT_CHARS),
    }


def thread_created(thread, question):
    return {"thread": serializers.thread(thread), "post": post_summary(question)}


def post_created(thread, post):
    return {"thread": serializers.thread(thread), "post": post_summary(post)}


def post_held(thread, post):
    """For moderation tools: the held post, why it waits, and where to review it."""
    return {
        "thread": serializers.thread(thread),
        "post": {
            **post_summary(post),
            "status": post.status,
            "held_reason": author_reason(post.spam_reasons),
            "spam_score": post.spam_score,
            "reasons": post.spam_reasons or [],
        },
        "review_url": serializers.absolute(url_for("moderation.queue")),
    }


def answer_accepted(thread, post):
    accepted_by = thread.accepted_by
    return {
        "thread": serializers.thread(thread),
        "answer": post_summary(post),
        "accepted_by": serializers.user_summary(accepted_by) if accepted_by else None,
    }


def ping(webhook):
    """The *Send test* payload."""
    return {
        "message": "A test delivery from the forum's webhook settings.",
        "webhook": {"id": webhook.id, "url": webhook.url, "events": list(webhook.events)},
    }
