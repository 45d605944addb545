"""The admin screens: register, edit, rotate, delete, test, deliveries, redeliver."""

import hashlib
import hmac
import json

import pytest

from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.webhooks import services
from forum.webhooks.models import Webhook, WebhookDelivery
from tests import factories
from tests.webhooks.conftest import deliver

ALL_EVENTS = ["thread.created", "post.created", "post.held", "answer.accepted", "article.published"]


def screens(webhook, item):
    return [
        ("GET", "/admin/webhooks"),
        ("POST", "/admin/webhooks"),
        ("GET", f"/admin/webhooks/{webhook.id}"),
        ("POST", f"/admin/webhooks/{webhook.id}"),
        ("GET", f"/admin/webhooks/{webhook.id}/secret"),
        ("POST", f"/admin/webhooks/{webhook.id}/secret"),
        ("GET", f"/admin/webhooks/{webhook.id}/delete"),
        ("POST", f"/admin/webhooks/{webhook.id}/delete"),
        ("POST", f"/admin/webhooks/{webhook.id}/test"),
        ("GET", f"/admin/webhooks/deliveries/{item.id}"),
        ("POST", f"/admin/webhooks/deliveries/{item.id}/redeliver"),
    ]


@pytest.fixture
def failed(webhook):
    item = WebhookDelivery(
        webhook_id=webhook.id,
        event="ping",
        payload={"message": "x"},
        status="failed",
        attempts=8,
        last_error="HTTP 500",
    )
    db.session.add(item)
    db.session.commit()
    return item


@pytest.mark.parametrize("role", ["customer", "moderator", "staff"])
def test_everyone_but_admins_is_refused_every_screen(
    client, auth, users, webhook, failed, receiver, role
):
    auth.login(users[role])
    for method, url in screens(webhook, failed):
        response = client.open(url, method=method, data={"url": receiver.url})
        assert response.status_code == 403, (method, url)
    auth.logout()
    for method, url in screens(webhook, failed):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert receiver.requests == []
    assert db.session.get(Webhook, webhook.id).secret == webhook.plain_secret
    assert db.session.get(WebhookDelivery, failed.id).status == "failed"


def test_admin_registers_a_webhook_and_sees_the_secret_once(client, auth, admin, receiver):
    auth.login(admin)
    response = client.post(
        "/admin/webhooks",
        data={
            "url": receiver.url,
            "description": "Help desk",
            "events": ["thread.created", "answer.accepted"],
        },
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    hook = db.session.scalar(db.select(Webhook))
    page = response.get_data(as_text=True)
    assert hook.secret in page and "shown only this once" in page
    assert hook.events == ["thread.created", "answer.accepted"]
    assert hook.enabled and hook.description == "Help desk"
    assert db.session.scalar(db.select(ModerationAction.action)) == "create_webhook"

    listing = client.get("/admin/webhooks").get_data(as_text=True)
    assert receiver.url in listing and "None yet" in listing
    assert hook.secret not in listing
    assert hook.secret not in client.get(f"/admin/webhooks/{hook.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the URL"),
        ("ftp://files.example.com/in", "must start with http:// or https://"),
        ("javascript:alert(1)", "must start with http:// or https://"),
        ("https://", "needs a host name"),
        ("http://user:pw@93.184.216.34/hook", "Leave credentials out"),
        ("http://93.184.216.34:99999/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused_with_the_text_kept(client, auth, admin, url, message):
    auth.login(admin)
    response = client.post(
        "/admin/webhooks", data={"url": url, "description": "Kept", "events": ["post.held"]}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Kept"' in page
    assert db.session.scalar(db.select(Webhook)) is None


def test_at_least_one_event(client, auth, admin, receiver):
    auth.login(admin)
    response = client.post("/admin/webhooks", data={"url": receiver.url})
    assert response.status_code == 400
    assert "Choose at least one event." in response.get_data(as_text=True)


def test_edit_events_url_and_state(client, auth, admin, webhook, receiver):
    auth.login(admin)
    response = client.post(
        f"/admin/webhooks/{webhook.id}",
        data={"url": receiver.url + "/v2", "description": "New", "events": ["post.created"]},
    )
    assert response.status_code == 302
    db.session.refresh(webhook)
    assert webhook.url.endswith("/hooks/forum/v2")
    assert webhook.events == ["post.created"]
    assert webhook.enabled is False  # the box was not ticked
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert "Disabled" in page


def test_send_test_delivers_a_signed_ping(client, auth, admin, webhook, receiver):
    auth.login(admin)
    response = client.post(f"/admin/webhooks/{webhook.id}/test", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "delivered: HTTP 200" in page
    [request] = receiver.requests
    assert request["headers"]["X-Forum-Event"] == "ping"
    signature = (
        "sha256="
        + hmac.new(webhook.plain_secret.encode(), request["body"], hashlib.sha256).hexdigest()
    )
    assert request["headers"]["X-Forum-Signature"] == signature
    document = json.loads(request["body"])
    hook = {"id": webhook.id, "url": receiver.url, "events": ALL_EVENTS}
    assert document["data"]["webhook"] == hook
    # The list shows the last delivery's status and response code.
    listing = client.get("/admin/webhooks").get_data(as_text=True)
    assert "delivered" in listing and "HTTP 200" in listing and "ping" in listing


def test_send_test_reports_a_failure(client, auth, admin, webhook, receiver):
    receiver.replies = [500]
    auth.login(admin)
    page = client.post(f"/admin/webhooks/{webhook.id}/test", follow_redirects=True).get_data(
        as_text=True
    )
    assert "failed: HTTP 500" in page
    assert "receiver says no" in page


def test_deliveries_list_and_detail(client, auth, admin, thread, webhook, receiver):
    receiver.replies = [503]
    deliver()
    auth.login(admin)
    page = client.get(f"/admin/webhooks/{webhook.id}").get_data(as_text=True)
    item = db.session.scalar(db.select(WebhookDelivery))
    assert "thread.created" in page and "HTTP 503" in page and "pending" in page
    assert "retry" in page
    detail = client.get(f"/admin/webhooks/deliveries/{item.id}").get_data(as_text=True)
    assert "Sync stops at 99 percent" in detail
    assert "HTTP 503" in detail
    assert "Redeliver" not in detail  # only failed deliveries


def test_redeliver_a_failed_delivery(app, client, auth, admin, thread, webhook, receiver):
    app.config.update(WEBHOOK_MAX_ATTEMPTS=1)
    receiver.replies = [500]
    deliver()
    item = db.session.scalar(db.select(WebhookDelivery))
    assert item.status == "failed"
    auth.login(admin)
    page = client.get(f"/admin/webhooks/deliveries/{item.id}").get_data(as_text=True)
    assert "Redeliver" in page
    response = client.post(f"/admin/webhooks/deliveries/{item.id}/redeliver")
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.status, item.attempts, item.last_status_code) == ("delivered", 1, 200)
    first, second = receiver.requests
    assert first["body"] == second["body"]
    assert second["headers"]["X-Forum-Delivery"] == str(item.id)
    # Redelivering what is not failed is refused with a message.
    page = client.post(
        f"/admin/webhooks/deliveries/{item.id}/redeliver", follow_redirects=True
    ).get_data(as_text=True)
    assert "Only a failed delivery can be redelivered." in page
    assert len(receiver.requests) == 2


def test_rotate_secret_after_confirming(client, auth, admin, webhook):
    auth.login(admin)
    page = client.get(f"/admin/webhooks/{webhook.id}/secret").get_data(as_text=True)
    assert "replaces the current one" in page
    response = client.post(f"/admin/webhooks/{webhook.id}/secret")
    db.session.refresh(webhook)
    assert webhook.secret != webhook.plain_secret
    assert webhook.secret in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_delete_after_confirming_removes_the_deliveries(
    client, auth, admin, thread, webhook, receiver
):
    deliver()
    auth.login(admin)
    assert "cannot be undone" in client.get(f"/admin/webhooks/{webhook.id}/delete").get_data(
        as_text=True
    )
    response = client.post(f"/admin/webhooks/{webhook.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Webhook)) is None
    assert db.session.scalar(db.select(WebhookDelivery)) is None


def test_unknown_ids_are_404(client, auth, admin):
    auth.login(admin)
    for url in ("/admin/webhooks/99", "/admin/webhooks/deliveries/99"):
        assert client.get(url).status_code == 404
    assert client.post("/admin/webhooks/99/test").status_code == 404


def test_list_is_constant_in_queries(client, auth, admin, receiver):
    from tests.sql import counted_queries

    for n in range(2):
        services.create(admin, f"{receiver.url}/{n}", "")
    auth.login(admin)
    db.session.expire_all()
    with counted_queries() as few:
        client.get("/admin/webhooks")
    for n in range(2, 8):
        hook, _ = services.create(admin, f"{receiver.url}/{n}", "")
        services.send_test(admin, hook)
    db.session.expire_all()
    with counted_queries() as many:
        client.get("/admin/webhooks")
    assert len(many) == len(few)


def test_detail_is_constant_in_queries(client, auth, admin, webhook, receiver):
    """Delivered and failed deliveries, from several admins' tests: rows, never queries."""
    from tests.sql import assert_constant_queries, get_counted

    webhook_id, url = webhook.id, f"/admin/webhooks/{webhook.id}"
    auth.login(admin)

    def send(n):
        receiver.replies += [200, 500] * (n // 2)
        for _ in range(n):
            services.send_test(factories.make_user("admin"), db.session.get(Webhook, webhook_id))

    def measure():
        response, statements = get_counted(client, url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        return len(statements), page.count('href="/admin/webhooks/deliveries/')

    assert_constant_queries(measure, send, [(2, 2), (10, 12)])


def test_audit_log_names_the_host_never_the_whole_url(client, auth, admin, moderator, receiver):
    hook, _ = services.create(admin, receiver.url + "/T0KEN-in-the-path?key=s3cret", "")
    auth.login(moderator)
    page = client.get("/moderation/log?target_type=webhook").get_data(as_text=True)
    assert "create_webhook" in page or "create webhook" in page
    assert "127.0.0.1" in page
    assert "T0KEN" not in page and "s3cret" not in page
