"""Events → signed deliveries to a real receiver: payloads, signatures, what is never sent."""

import hashlib
import hmac
import json

import pytest

from forum import jobs, outbox
from forum.extensions import db
from forum.kb import services as kb_services
from forum.kb import sync as kb_sync
from forum.moderation import services as moderation
from forum.threads import services as threads
from forum.webhooks import delivery, services
from forum.webhooks.models import WebhookDelivery
from tests import factories
from tests.webhooks.conftest import deliver


def verify(secret, body, header):
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def test_new_question_through_the_page_is_delivered_signed(
    client, auth, customer, category, webhook, receiver
):
    auth.login(customer)
    client.post(
        "/threads/new",
        data={
            "category": category.slug,
            "title": "Invoices lack our VAT number",
            "body": "Finance needs the **VAT number** on every invoice.",
        },
    )
    # The request's after-response drain turned the event into a delivery; nothing is sent
    # inside the request.
    assert receiver.requests == []
    assert jobs.run_due() == 1

    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/forum"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Forum-Event"] == "thread.created"
    assert verify(webhook.plain_secret, body, headers["X-Forum-Signature"])
    document = json.loads(body)
    assert headers["X-Forum-Delivery"] == str(document["id"])
    assert document["event"] == "thread.created"
    data = document["data"]
    assert data["thread"]["title"] == "Invoices lack our VAT number"
    assert data["thread"]["author"]["username"] == "carol"
    assert data["thread"]["url"].startswith("http://forum.test/threads/")
    assert data["post"]["is_question"] is True
    assert data["post"]["excerpt"] == "Finance needs the VAT number on every invoice."
    assert "email" not in body.decode()
    row = db.session.get(WebhookDelivery, document["id"])
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 200)
    assert row.delivered_at is not None


def test_a_tampered_body_or_another_secret_does_not_verify(thread, webhook, receiver):
    deliver()
    [request] = receiver.requests
    signature = request["headers"]["X-Forum-Signature"]
    assert verify(webhook.plain_secret, request["body"], signature)
    assert not verify(webhook.plain_secret, request["body"] + b" ", signature)
    assert not verify("another secret", request["body"], signature)


def test_reply_is_post_created_with_thread_and_excerpt(thread, other_customer, webhook, receiver):
    deliver()
    reply = factories.make_reply(other_customer, thread, "Try *pausing* sync first.")
    deliver()
    assert receiver.events() == ["thread.created", "post.created"]
    data = receiver.documents()[1]["data"]
    assert data["post"]["id"] == reply.id
    assert data["post"]["author"]["username"] == "oscar"
    assert data["post"]["excerpt"] == "Try pausing sync first."
    assert data["post"]["url"] == f"http://forum.test/posts/{reply.id}"
    assert data["thread"]["id"] == thread.id


def test_site_url_makes_the_links(app, thread, webhook, receiver):
    app.config["SITE_URL"] = "https://forum.example.com"
    deliver()
    data = receiver.documents()[0]["data"]
    assert data["thread"]["url"] == (
        f"https://forum.example.com/threads/{thread.id}/sync-stops-at-99-percent"
    )


def test_held_reply_goes_to_post_held_only_until_approved(
    thread, held_post, moderator, webhook, receiver
):
    deliver()
    assert receiver.events() == ["thread.created", "post.held"]
    held = receiver.documents()[1]["data"]
    assert held["post"]["id"] == held_post.id
    assert held["post"]["status"] == "held"
    assert "waiting for review" in held["post"]["held_reason"]
    assert held["review_url"] == "http://forum.test/moderation/"
    assert held["post"]["reasons"]

    moderation.approve(moderator, held_post)
    deliver()
    assert receiver.events()[-1] == "post.created"
    assert receiver.documents()[-1]["data"]["post"]["id"] == held_post.id

    # Hidden and approved again: it was announced once, so nothing more.
    moderation.remove(moderator, held_post, version=held_post.review_version)
    outbox.drain()
    from forum.moderation import undo
    from forum.moderation.models import ModerationAction

    entry = db.session.scalar(db.select(ModerationAction).order_by(ModerationAction.id.desc()))
    undo.undo(moderator, entry)
    deliver()
    assert receiver.events().count("post.created") == 1


def test_held_question_is_announced_when_approved(newcomer, category, moderator, webhook, receiver):
    held = threads.create_thread(newcomer, category, "Cheap deals", factories.LINKY_BODY)
    assert held.status == "held"
    deliver()
    assert receiver.events() == ["post.held"]
    assert receiver.documents()[0]["data"]["thread"]["status"] == "held"

    moderation.approve(moderator, held.question)
    deliver()
    assert receiver.events() == ["post.held", "thread.created"]


def test_post_removed_before_the_drain_is_never_announced(
    thread, other_customer, moderator, webhook, receiver
):
    deliver()
    reply = factories.make_reply(other_customer, thread, "Visit my shop.")
    threads.delete_post(moderator, reply)
    deliver()
    assert receiver.events() == ["thread.created"]


def test_answer_accepted(thread, staff, webhook, receiver):
    answer = factories.make_reply(staff, thread, "Pause sync, then resume it.")
    threads.accept_answer(staff, answer)
    deliver()
    assert receiver.events() == ["thread.created", "post.created", "answer.accepted"]
    data = receiver.documents()[2]["data"]
    assert data["answer"]["id"] == answer.id
    assert data["thread"]["solved"] is True
    assert data["thread"]["accepted_post_id"] == answer.id
    assert data["accepted_by"]["username"] == "stacy"


def test_article_published_once(thread, staff, webhook, receiver):
    answer = factories.make_reply(staff, thread, "Pause sync, then resume it.")
    threads.accept_answer(staff, answer)
    article = kb_sync.article_for_thread(thread.id)
    deliver()
    assert "article.published" not in receiver.events()  # a draft is not published

    kb_services.set_status(staff, article, "published")
    kb_services.save(staff, article, "Resume a stuck sync", "", "Pause, then resume.")
    deliver()
    assert receiver.events().count("article.published") == 1
    data = receiver.documents()[-1]["data"]["article"]
    assert data["id"] == article.id
    assert data["status"] == "published"
    assert data["source_thread_id"] == thread.id
    assert data["url"].startswith("http://forum.test/kb/")


def test_disabled_webhook_gets_nothing(admin, thread, webhook, receiver):
    services.update(admin, webhook, webhook.url, "", webhook.events, enabled=False)
    factories.make_reply(admin, thread, "Anyone?")
    assert deliver() == 0
    assert receiver.requests == []
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0


def test_disabling_fails_what_was_waiting(admin, thread, webhook, receiver):
    outbox.drain()
    services.update(admin, webhook, webhook.url, "", webhook.events, enabled=False)
    [row] = db.session.scalars(db.select(WebhookDelivery)).all()
    assert row.status == "failed" and "disabled" in row.last_error
    services.update(admin, webhook, webhook.url, "", webhook.events, enabled=True)
    assert deliver() == 0
    assert receiver.requests == []


def test_only_the_chosen_events(admin, receiver, thread, other_customer):
    hook, _ = services.create(admin, receiver.url, "", ["post.created"])
    factories.make_reply(other_customer, thread, "Same here.")
    deliver()
    assert receiver.events() == ["post.created"]


def test_every_webhook_gets_its_own_delivery(admin, receiver, thread, webhook):
    deliver()
    receiver.requests.clear()
    services.create(admin, receiver.url + "/second", "", ["thread.created"])
    factories.make_thread(admin, thread.category, "Another question")
    deliver()
    assert sorted(r["path"] for r in receiver.requests) == ["/hooks/forum", "/hooks/forum/second"]


def test_a_consumer_failure_does_not_duplicate_deliveries(app, thread, webhook, receiver):
    def broken(events):
        raise RuntimeError("index down")

    outbox.subscribe(broken)
    try:
        outbox.drain()
    finally:
        outbox.unsubscribe(broken)
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0
    deliver()
    assert receiver.events() == ["thread.created"]


@pytest.mark.parametrize("status", [500, 503, 404, 301])
def test_failure_is_retried_later_with_backoff(app, thread, webhook, receiver, status):
    app.config["WEBHOOK_BACKOFF_BASE"] = 60
    receiver.replies = [status]
    deliver()
    row = db.session.scalar(db.select(WebhookDelivery))
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, status)
    assert f"HTTP {status}" in row.last_error
    if status == 301:
        assert "redirects are not followed" in row.last_error
    else:
        assert "receiver says no" in row.last_error
    wait = (row.next_attempt_at - row.last_attempt_at).total_seconds()
    assert 60 <= wait <= 75
    assert delivery.send_due() == 0  # not due yet
    assert len(receiver.requests) == 1

    row.next_attempt_at = row.last_attempt_at
    db.session.commit()
    assert delivery.send_due() == 1
    db.session.refresh(row)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 2, 200)
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert receiver.requests[0]["headers"]["X-Forum-Delivery"] == str(row.id)
    assert receiver.requests[1]["headers"]["X-Forum-Delivery"] == str(row.id)


def test_backoff_doubles_with_jitter_and_a_cap(app):
    app.config["WEBHOOK_BACKOFF_BASE"] = 30
    for attempts, base in [(1, 30), (2, 60), (3, 120), (4, 240), (10, 15360)]:
        for _ in range(20):
            seconds = delivery.backoff(attempts).total_seconds()
            assert base <= seconds <= base * 1.25
    assert delivery.backoff(30).total_seconds() <= 6 * 3600 * 1.25


def test_out_of_attempts_is_failed_for_good(app, thread, webhook, receiver):
    app.config.update(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_BACKOFF_BASE=0)
    receiver.replies = [500, 500, 500, 500]
    outbox.drain()
    for _ in range(5):
        delivery.send_due()
    row = db.session.scalar(db.select(WebhookDelivery))
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 3, None)
    assert len(receiver.requests) == 3


def test_a_receiver_that_does_not_answer_in_time_is_retried(app, thread, webhook, receiver):
    app.config["WEBHOOK_TIMEOUT"] = 0.3
    receiver.replies = [("sleep", 1.5)]
    deliver()
    row = db.session.scalar(db.select(WebhookDelivery))
    assert row.status == "pending" and row.attempts == 1
    assert row.last_status_code is None
    assert "timed out" in row.last_error
    assert row.last_duration_ms < 1400


def test_an_unreachable_receiver_is_a_failed_attempt(admin, thread):
    hook, _ = services.create(admin, "http://127.0.0.1:9/nothing-listens", "")
    deliver()
    row = db.session.scalar(db.select(WebhookDelivery))
    assert row.attempts == 1 and row.status == "pending"
    assert "Connection failed" in row.last_error


def test_two_senders_never_claim_the_same_delivery(thread, webhook, other_customer):
    for n in range(5):
        factories.make_reply(other_customer, thread, f"Reply {n}")
    outbox.drain()
    first = delivery.claim(limit=4)
    second = delivery.claim(limit=4)
    assert len(first) == 4 and len(second) == 2
    assert not set(first) & set(second)
    assert delivery.claim() == []


def test_secret_rotation_signs_retries_with_the_new_secret(admin, thread, webhook, receiver):
    receiver.replies = [500]
    deliver()
    secret = services.rotate_secret(admin, webhook)
    row = db.session.scalar(db.select(WebhookDelivery))
    row.next_attempt_at = row.last_attempt_at
    db.session.commit()
    delivery.send_due()
    first, second = receiver.requests
    assert verify(webhook.plain_secret, first["body"], first["headers"]["X-Forum-Signature"])
    assert verify(secret, second["body"], second["headers"]["X-Forum-Signature"])
    assert not verify(webhook.plain_secret, second["body"], second["headers"]["X-Forum-Signature"])


def test_finished_deliveries_are_forgotten_after_the_retention(app, thread, webhook, receiver):
    from datetime import timedelta

    deliver()
    row = db.session.scalar(db.select(WebhookDelivery))
    row.created_at -= timedelta(days=31)
    db.session.commit()
    delivery._last_prune["at"] = None
    delivery.send_due()
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0


def test_nothing_due_costs_one_read(app, webhook):
    from tests.sql import counted_queries

    with counted_queries() as statements:
        assert delivery.claim() == []
    statements = [s for s in statements if s != "BEGIN"]  # SQLite's own transaction start
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")
