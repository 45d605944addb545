"""SSRF: webhooks go only to public addresses unless WEBHOOK_ALLOW_PRIVATE is set."""

import socket

import pytest

from forum.extensions import db
from forum.webhooks import addresses, services
from forum.webhooks.models import Webhook, WebhookDelivery
from tests.webhooks.conftest import deliver


@pytest.fixture
def config_overrides():
    return {"WEBHOOK_ALLOW_PRIVATE": False}


PRIVATE = [
    "http://127.0.0.1/hook",
    "http://127.9.9.9:8080/hook",
    "http://localhost:5000/hook",
    "http://10.0.0.7/hook",
    "http://172.16.4.4/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://2130706433/hook",  # 127.0.0.1 as one number
    "http://0x7f.1/hook",
    "http://224.0.0.1/hook",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_loopback_and_link_local_targets_are_refused(admin, url):
    with pytest.raises(services.WebhookError, match="public addresses|could not be resolved"):
        services.create(admin, url)
    assert db.session.scalar(db.select(Webhook)) is None


def test_the_form_says_why(client, auth, admin):
    auth.login(admin)
    response = client.post(
        "/admin/webhooks",
        data={"url": "http://169.254.169.254/latest", "events": ["post.created"]},
    )
    assert response.status_code == 400
    assert "loopback, private or link-local" in response.get_data(as_text=True)


def test_public_address_is_accepted(admin):
    hook, _ = services.create(admin, "https://93.184.216.34/hooks", "")
    assert hook.url == "https://93.184.216.34/hooks"


def fake_dns(monkeypatch, answers):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in ("127.0.0.1", "93.184.216.34"):
            return real(host, port, *args, **kwargs)
        if host not in answers:
            raise socket.gaierror("unknown host")
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_resolving_to_a_private_address_is_refused(admin, monkeypatch):
    fake_dns(monkeypatch, {"hooks.example.com": ["93.184.216.34", "10.1.2.3"]})
    with pytest.raises(services.WebhookError, match="resolves to 10.1.2.3"):
        services.create(admin, "https://hooks.example.com/in")


def test_a_name_that_does_not_resolve_is_refused(admin, monkeypatch):
    fake_dns(monkeypatch, {})
    with pytest.raises(services.WebhookError, match="could not be resolved"):
        services.create(admin, "https://nowhere.example.com/in")


def test_delivery_checks_again_and_never_connects_to_a_rebound_name(
    admin, thread, monkeypatch, receiver
):
    """Saved while the name was public; by delivery time it points at the receiver on
    127.0.0.1 (DNS rebinding): the delivery fails without a connection."""
    fake_dns(monkeypatch, {"hooks.example.com": ["93.184.216.34"]})
    port = receiver.server.server_port
    services.create(admin, f"http://hooks.example.com:{port}/hooks/forum", "")
    fake_dns(monkeypatch, {"hooks.example.com": ["127.0.0.1"]})
    deliver()
    row = db.session.scalar(db.select(WebhookDelivery))
    assert row.attempts == 1 and row.status == "pending"
    assert "resolves to 127.0.0.1" in row.last_error
    assert receiver.requests == []


def test_allow_private_lets_the_local_receiver_in(app, admin, thread, receiver):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    services.create(admin, receiver.url, "")
    deliver()
    assert len(receiver.requests) == 1


def test_the_connection_goes_to_the_checked_address(app, admin, thread, receiver, monkeypatch):
    """A name is resolved once per delivery and the request sent to that very address, with
    the name in the Host header."""
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    port = receiver.server.server_port
    fake_dns(monkeypatch, {"receiver.test": ["127.0.0.1"]})
    services.create(admin, f"http://receiver.test:{port}/hooks/forum?via=name", "")
    deliver()
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"receiver.test:{port}"
    assert request["path"] == "/hooks/forum?via=name"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("fe80::1%eth0", False),
    ],
)
def test_is_public(address, public):
    assert addresses.is_public(address) is public
