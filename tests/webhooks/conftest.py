"""A real HTTP receiver on 127.0.0.1 (http.server in a thread) and webhook fixtures."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forum import outbox
from forum.webhooks import delivery, services


class Receiver:
    """Records every request; answers with the queued replies (a status code, or
    ``("sleep", seconds)`` to answer 200 too late), then 200."""

    def __init__(self):
        self.requests = []
        self.replies = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/forum"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                reply = receiver.replies.pop(0) if receiver.replies else 200
                if isinstance(reply, tuple):
                    time.sleep(reply[1])
                    reply = 200
                payload = b"thanks" if reply < 300 else b"receiver says no"
                self.send_response(reply)
                if 300 <= reply < 400:
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler

    def events(self):
        return [r["headers"]["X-Forum-Event"] for r in self.requests]

    def documents(self):
        return [json.loads(r["body"]) for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def webhook(admin, receiver):
    """A webhook for every event, pointing at the receiver; ``webhook.plain_secret`` is the
    secret shown once."""
    hook, secret = services.create(admin, receiver.url, "Test receiver")
    hook.plain_secret = secret
    return hook


def deliver():
    """What the worker does: apply the outbox, then send what is due."""
    outbox.drain()
    return delivery.send_due()
