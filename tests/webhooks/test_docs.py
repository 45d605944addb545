"""The signature check documented in docs/webhooks.md works on real deliveries."""

import pathlib
import re

from tests.webhooks.conftest import deliver

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_verify():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    [snippet] = [block for block in blocks if "def verify" in block]
    namespace = {}
    exec(snippet, namespace)
    return namespace["verify"]


def test_the_documented_snippet_verifies_a_delivery(thread, webhook, receiver):
    verify = documented_verify()
    deliver()
    [request] = receiver.requests
    header = request["headers"]["X-Forum-Signature"]
    assert verify(webhook.plain_secret, request["body"], header)
    assert not verify(webhook.plain_secret, request["body"].replace(b"Sync", b"Sink"), header)
    assert not verify("wrong secret", request["body"], header)
    assert not verify(webhook.plain_secret, request["body"], None)
