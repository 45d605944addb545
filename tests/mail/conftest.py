"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives, and the app pointed
at it."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from forum import outbox
from forum.mail import sender


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler: accepts everything, or refuses recipients listed in ``refuse``."""

    def __init__(self):
        self.envelopes, self.refuse = [], set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def config_overrides(smtp):
    controller, _ = smtp
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_TIMEOUT": 2.0,
        "MAIL_SENDER": "community@forum.test",
    }


@pytest.fixture
def inbox(smtp):
    return smtp[1]


def deliver():
    """What the worker does: deliver the outbox (notifications, queued mail), then send."""
    outbox.drain()
    return sender.send_due()


def bodies(message):
    """(plain text, HTML) of a multipart/alternative message."""
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )
