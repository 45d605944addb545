"""One POST to a webhook's URL, over a connection to the address ``addresses`` approved.

The standard library's http.client is enough for a POST with a timeout; the connection
classes below only make it connect to the checked address while still sending the host's
name (Host header, TLS SNI and certificate check), and redirects are never followed (a 3xx
is a failed delivery), so an approved host cannot bounce a delivery to a private one.
"""

import http.client
import socket
import ssl
from urllib.parse import urlsplit

from forum.webhooks import addresses

RESPONSE_BYTES = 1024  # of the receiver's answer, kept to show the admin


class DeliveryFailed(Exception):
    """The request did not get a 2xx; ``status`` is the HTTP status when there was one."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers, timeout):
    """POST ``body`` (bytes); returns the status code of a 2xx answer, or raises
    DeliveryFailed (refused address, connection error, timeout, any other status)."""
    parts = urlsplit(url)
    port = parts.port or addresses.default_port(parts.scheme)
    try:
        address = addresses.resolve(parts.hostname, port)
    except addresses.AddressError as error:
        raise DeliveryFailed(str(error)) from None
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(parts.hostname, port, address, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(RESPONSE_BYTES).decode("utf-8", "replace")
    except TimeoutError:
        raise DeliveryFailed(f"No answer within {timeout:g} s (timed out).") from None
    except ssl.SSLError as error:
        raise DeliveryFailed(f"TLS error: {error.reason or error}") from None
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailed(f"Connection failed: {error or type(error).__name__}") from None
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        reason = f"HTTP {response.status} {response.reason}".strip()
        if 300 <= response.status < 400:
            reason += " (redirects are not followed)"
        detail = " ".join(answer.split())[:300]
        raise DeliveryFailed(f"{reason}: {detail}" if detail else reason, response.status)
    return response.status
