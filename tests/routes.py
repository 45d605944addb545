"""The URL map as test cases, and one scenario with every role to run them against."""

import pytest
from werkzeug.routing import IntegerConverter, UnicodeConverter

from config import TestingConfig
from forum import create_app, outbox
from forum.api import services as api_services
from forum.auth import recovery
from forum.extensions import db
from forum.kb import services as kb_services
from forum.kb import sync as kb_sync
from forum.mail import unsubscribe
from forum.moderation import services as moderation
from forum.moderation.models import ModerationAction
from forum.notifications.models import Notification
from forum.spam import services as spam_services
from forum.threads import services as threads
from forum.users import email_change
from forum.users.models import User
from forum.webhooks import services as webhook_services
from forum.webhooks.models import WebhookDelivery
from tests import factories

ROLES = ("anonymous", "customer", "other_customer", "moderator", "staff", "admin")
NEW_PASSWORD = "a brand new passphrase"


USERNAMES = {
    "customer": "carol",
    "other_customer": "oscar",
    "moderator": "morgan",
    "staff": "stacy",
    "admin": "adele",
}


def build_scenario():
    """Carol's thread (with a reply of hers) in one category, a second category, every role."""
    users = {
        role: factories.make_user(role.removeprefix("other_"), name)
        for role, name in USERNAMES.items()
    }
    category = factories.make_category("Sync & backup", "sync-backup")
    other = factories.make_category("Billing questions", "billing-questions")
    thread = factories.make_thread(users["customer"], category, "Sync stops at 99 percent")
    reply = factories.make_reply(users["customer"], thread, "Carol adds the log file.")
    tokens = {role: api_services.create_token(user, "matrix") for role, user in users.items()}
    newcomer = factories.make_user("customer", "newton")
    held = factories.make_held_reply(newcomer, thread)
    spammer = factories.make_user("customer", "spammy")
    removed = factories.make_held_reply(spammer, thread)
    moderation.remove(users["moderator"], removed, spam=True, reason="advert")
    entry = db.session.scalar(db.select(ModerationAction).order_by(ModerationAction.id.desc()))
    rule = spam_services.add_rule(users["admin"], "word", "cheap pills", "hold")
    article = kb_article(users, category)
    # Oscar answers carol's question: carol has a notification under the bell.
    factories.make_reply(users["other_customer"], thread, "Oscar answers carol.")
    outbox.drain()  # the search index, so that searching in the matrices searches something
    hook, failed = webhook_with_failed_delivery(users["admin"])
    notification = db.session.scalar(
        db.select(Notification).where(Notification.user_id == users["customer"].id)
    )
    return {
        "webhook_id": hook.id,
        "delivery_id": failed.id,
        "notification_id": notification.id,
        "unsubscribe_token": unsubscribe.token_for(users["customer"]),
        "article_id": article.id,
        "article_slug": article.slug,
        "held_id": held.id,
        "newcomer_id": newcomer.id,
        "undo_id": entry.id,
        "rule_id": rule.id,
        "tokens": {role: secret for role, (_, secret) in tokens.items()},
        "token_ids": {role: token.id for role, (token, _) in tokens.items()},
        "thread_id": thread.id,
        "thread_slug": thread.slug,
        "reply_id": reply.id,
        "category_id": category.id,
        "category_slug": category.slug,
        "other_category_slug": other.slug,
        "other_customer_id": users["other_customer"].id,
        "customer_id": users["customer"].id,
    }


def reset_token(app, scenario):
    """Carol's password reset token, made when the URL is built: tokens expire, and the
    scenario outlives PASSWORD_RESET_SECONDS in a long run."""
    with app.app_context():
        return recovery.token_for(db.session.get(User, scenario["customer_id"]))


def email_change_token(app, scenario):
    """A link that makes carol.new@example.com carol's address, made when the URL is built."""
    with app.app_context():
        user = db.session.get(User, scenario["customer_id"])
        return email_change.token_for(user, "carol.new@example.com")


def email_undo_token(app, scenario):
    """The link in the notice to carol's address that keeps it against a change to
    carol.new@example.com, made when the URL is built."""
    with app.app_context():
        user = db.session.get(User, scenario["customer_id"])
        return email_change.undo_token_for(user, "carol.new@example.com")


def kb_article(users, category):
    """A published KB article drafted from a second thread's accepted staff answer."""
    solved = factories.make_thread(users["staff"], category, "Restore a deleted folder")
    answer = factories.make_reply(users["staff"], solved, "Open Deleted files and press Restore.")
    threads.accept_answer(users["staff"], answer)
    article = kb_sync.article_for_thread(solved.id)
    return kb_services.set_status(users["staff"], article, "published")


def webhook_with_failed_delivery(admin):
    """A webhook to a port nothing listens on (a send fails at once) and a failed delivery."""
    hook, _ = webhook_services.create(admin, "http://127.0.0.1:9/forum-hooks", "Matrix")
    failed = WebhookDelivery(
        webhook_id=hook.id,
        event="ping",
        payload={},
        status="failed",
        attempts=8,
        last_attempt_at=hook.created_at,
        last_error="Connection failed: [Errno 111] Connection refused",
    )
    db.session.add(failed)
    db.session.commit()
    return hook, failed


def url_arguments(scenario):
    """The value of every URL argument, per endpoint, taken from the scenario."""
    on_thread = {"id": scenario["thread_id"], "slug": scenario["thread_slug"], "action": "lock"}
    on_reply = {"id": scenario["reply_id"]}
    on_article = {"id": scenario["article_id"], "slug": scenario["article_slug"]}
    return {
        "static": {"filename": "css/forum.css"},
        "categories.detail": {"slug": scenario["category_slug"]},
        "users.profile": {"username": "carol"},
        "threads.detail": on_thread,
        "threads.toggle": on_thread,
        "threads.move": on_thread,
        "threads.reply": on_thread,
        "threads.unaccept": on_thread,
        "threads.post": on_reply,
        "threads.history": on_reply,
        "threads.edit": on_reply,
        "threads.delete": on_reply,
        "threads.accept": on_reply,
        "admin.category_edit": {"id": scenario["category_id"]},
        "admin.category_delete": {"id": scenario["category_id"]},
        "admin.category_move": {"id": scenario["category_id"], "direction": "down"},
        "admin.user_role": {"id": scenario["other_customer_id"]},
        "users.revoke_token": {"id": scenario["token_ids"]["customer"]},
        "api.get_post": on_reply,
        "api.edit_post": on_reply,
        "api.delete_post": on_reply,
        "api.get_thread": on_thread,
        "api.reply": on_thread,
        "api.revoke_token": {"id": scenario["token_ids"]["customer"]},
        "api.get_user": {"username": "carol"},
        "api.flag_post": on_reply,
        "api.approve_post": {"id": scenario["held_id"]},
        "api.remove_post": {"id": scenario["held_id"]},
        "api.ban_user": {"id": scenario["newcomer_id"]},
        "moderation.decide": {"id": scenario["held_id"], "action": "approve"},
        "moderation.confirm_decision": {"id": scenario["held_id"], "action": "approve"},
        "moderation.flag": on_reply,
        "moderation.undo_action": {"id": scenario["undo_id"]},
        "moderation.user": {"id": scenario["newcomer_id"]},
        "moderation.ban": {"id": scenario["newcomer_id"]},
        "moderation.silence": {"id": scenario["newcomer_id"]},
        "admin.spam_rule_delete": {"id": scenario["rule_id"]},
        "search.go": {"doc_type": "thread", "id": scenario["thread_id"]},
        "threads.suggest": on_reply,
        "kb.article": on_article,
        "kb.vote": on_article,
        "kb.edit": on_article,
        "kb.set_status": {**on_article, "action": "publish"},
        "kb.verify": on_article,
        "kb.history": on_article,
        "kb.revision": {**on_article, "number": 1},
        "kb.restore": {**on_article, "number": 1},
        "api.get_article": on_article,
        "api.edit_article": on_article,
        "api.article_feedback": on_article,
        "api.accept_answer": on_thread,
        "api.unaccept_answer": on_thread,
        "admin.webhook_detail": {"id": scenario["webhook_id"]},
        "admin.webhook_secret": {"id": scenario["webhook_id"]},
        "admin.webhook_delete": {"id": scenario["webhook_id"]},
        "admin.webhook_test": {"id": scenario["webhook_id"]},
        "admin.webhook_delivery": {"id": scenario["delivery_id"]},
        "admin.webhook_redeliver": {"id": scenario["delivery_id"]},
        "notifications.read": {"id": scenario["notification_id"]},
        "notifications.follow_thread": {**on_thread, "action": "follow"},
        "notifications.follow_category": {"slug": scenario["category_slug"], "action": "follow"},
        "feeds.category": {"slug": scenario["category_slug"]},
        "feeds.thread": {"id": scenario["thread_id"]},
        "feeds.sitemap_page": {"number": 1},
        "mail.unsubscribe": {"token": scenario["unsubscribe_token"]},
        "auth.reset": {"token": reset_token},
        "users.confirm_email": {"token": email_change_token},
        "users.undo_email": {"token": email_undo_token},
        "admin.user_reset_link": {"id": scenario["other_customer_id"]},
    }


def form_data(scenario):
    """A valid form for every POST, so a 302 means the action went through."""
    return {
        "auth.login": {"username": "carol", "password": factories.PASSWORD},
        "auth.register": {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        "users.password": {
            "current": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        "users.email": {"email": "carol.new@example.com", "password": factories.PASSWORD},
        "users.delete_account": {"password": factories.PASSWORD, "confirm": "carol"},
        "auth.forgot": {"username": "carol"},
        "auth.reset": {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        "threads.new": {
            "category": scenario["category_slug"],
            "title": "Another question about sync",
            "body": "Details of the question.",
        },
        "threads.reply": {"body": "A helpful reply."},
        "threads.edit": {"body": "Corrected text of the reply."},
        "threads.move": {"category": scenario["other_category_slug"]},
        "threads.preview": {"body": "**bold**"},
        "admin.category_list": {"name": "Billing", "slug": "billing"},
        "admin.category_edit": {"name": "Sync", "slug": "sync"},
        "admin.category_delete": {"move_to": scenario["other_category_slug"]},
        "admin.user_role": {"role": "moderator"},
        "users.create_token": {"name": "CRM"},
        "moderation.decide": {"reason": "looks fine"},
        "moderation.bulk": {"action": "approve", "post": str(scenario["held_id"])},
        "moderation.flag": {"reason": "spam", "note": "an advert"},
        "moderation.silence": {"days": "7", "reason": "cool off"},
        "moderation.ban": {"purge": "y", "reason": "spammer"},
        "moderation.undo_action": {"reason": "mistake"},
        "moderation.score": {"text": "Buy cheap pills at http://pills.example", "username": "x"},
        "admin.spam_rules": {"kind": "word", "pattern": "casino bonus", "action": "hold"},
        "admin.spam_settings": {},
        "search.deflect": {"type": "thread", "id": str(scenario["thread_id"])},
        "api.create_token": {"username": "carol", "password": factories.PASSWORD},
        "api.create_thread": {
            "category": scenario["category_slug"],
            "title": "A question through the API",
            "body": "Details of the question.",
        },
        "api.reply": {"body": "A reply through the API."},
        "api.edit_post": {"body": "Corrected through the API."},
        "kb.vote": {"helpful": "yes"},
        "kb.new": {"title": "Moving to a new laptop", "summary": "", "body": "Sign in first."},
        "kb.edit": {"title": "Restore a deleted folder", "summary": "", "body": "Press Restore."},
        "api.edit_article": {"title": "Restoring a deleted folder"},
        "api.article_feedback": {"helpful": True},
        "api.accept_answer": {"post_id": scenario["reply_id"]},
        "users.email_notifications": {"email_notifications": "daily"},
        "api.mark_notifications_read": {},
        "api.flag_post": {"reason": "spam", "note": "an advert"},
        "api.approve_post": {"reason": "looks fine"},
        "api.remove_post": {"spam": True, "reason": "advert"},
        "api.ban_user": {"purge": True, "reason": "spammer"},
        "admin.webhook_list": {"url": "http://127.0.0.1:9/other", "events": ["post.held"]},
        "admin.webhook_detail": {
            "url": "http://127.0.0.1:9/forum-hooks",
            "events": ["post.created"],
            "enabled": "y",
        },
        "api.score_spam": {
            "text": "Buy cheap pills at http://pills.example",
            "author": {"username": "x", "posts": 0, "age_days": 0},
        },
    }


def build_url(app, endpoint, arguments, scenario, **override):
    """The URL of one rule: only that rule's arguments, so /threads/<id> and
    /threads/<id>/<slug> build different URLs. An argument given as a function is made now,
    from the app and the scenario."""
    known = {**url_arguments(scenario).get(endpoint, {}), **override}
    assert set(arguments) <= set(known), f"give {endpoint} its URL arguments in url_arguments()"
    values = {name: known[name] for name in arguments}
    values = {
        name: value(app, scenario) if callable(value) else value for name, value in values.items()
    }
    return app.url_map.bind("localhost").build(endpoint, values)


def api_headers(scenario, role):
    """The bearer token of ``role`` (the API never reads the session cookie)."""
    if role == "anonymous":
        return {}
    return {"Authorization": f"Bearer {scenario['tokens'][role]}"}


def signed_in_client(app, role):
    client = app.test_client()
    if role != "anonymous":
        login = {"username": USERNAMES[role], "password": factories.PASSWORD}
        assert client.post("/auth/login", data=login).status_code == 302
    return client


def _rules(app=None):
    app = app or create_app(TestingConfig)
    return sorted(app.url_map.iter_rules(), key=lambda r: r.rule)


def route_cases(app=None):
    """GET for every rule (405 shows a POST-only action cannot be triggered by a link), and
    every other method the rule accepts."""
    for rule in _rules(app):
        for method in ("GET", "POST", "PATCH", "DELETE"):
            if method == "GET" or method in rule.methods:
                yield pytest.param(
                    rule.endpoint,
                    rule.rule,
                    sorted(rule.arguments),
                    method,
                    id=f"{method} {rule.rule}",
                )


def _unstorable_path_cases():
    """Every id and text argument of every rule, to be given a value no column can hold."""
    kinds = [(IntegerConverter, "huge id"), (UnicodeConverter, "NUL byte")]
    for rule in _rules():
        for name, converter in rule._converters.items():
            for kind in (kind for base, kind in kinds if isinstance(converter, base)):
                yield pytest.param(rule.endpoint, rule.rule, name, kind, id=f"{rule.rule} {name}")


# (endpoint, rule, argument names, method) for every rule and method of the URL map.
ROUTE_CASES = list(route_cases())
# (endpoint, rule, argument name, kind) for every argument a stored value is looked up by.
UNSTORABLE_PATH_CASES = list(_unstorable_path_cases())
UNSTORABLE = {"huge id": 2**31, "NUL byte": "a\x00b"}
