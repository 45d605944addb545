"""Where a webhook may point: http(s) URLs whose host resolves only to public addresses.

A forum that POSTs to any URL an admin types is a way into its own network (SSRF): the cloud
metadata service at 169.254.169.254, a database on 127.0.0.1, an intranet host. So a URL is
refused unless every address its host resolves to is globally routable, both when it is saved
and again at every delivery, and the delivery connects to the very address that was checked,
so a DNS answer that changes between the check and the connection (DNS rebinding) cannot
sneak a private address in. ``WEBHOOK_ALLOW_PRIVATE`` lifts the rule for development and for
the tests' local receiver.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app

URL_MAX = 2000


class AddressError(ValueError):
    """A URL the forum refuses to deliver to, with the reason in plain words."""


def allow_private():
    return bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE"))


def check_url(url):
    """``url`` tidied, or AddressError: only http and https, a host, no credentials, and
    (unless private addresses are allowed) a host that resolves to public addresses only."""
    url = (url or "").replace("\x00", "").strip()
    if not url:
        raise AddressError("Enter the URL to deliver to.")
    if len(url) > URL_MAX:
        raise AddressError(f"The URL must be at most {URL_MAX} characters long.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressError("That is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise AddressError("The URL must start with http:// or https://.")
    if not parts.hostname:
        raise AddressError("The URL needs a host name.")
    if parts.username is not None or parts.password is not None:
        raise AddressError(
            "Leave credentials out of the URL: receivers verify the signature instead."
        )
    if any(ch.isspace() for ch in url):
        raise AddressError("The URL must not contain spaces.")
    resolve(parts.hostname, port or default_port(parts.scheme))
    return url


def default_port(scheme):
    return 443 if scheme == "https" else 80


def resolve(host, port):
    """The address to connect to for ``host``: the first one it resolves to. Raises
    AddressError when it does not resolve or, unless allowed, when any address is not
    public (a host with one private address among public ones is refused as a whole)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise AddressError(f"The host {host!r} could not be resolved.") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise AddressError(f"The host {host!r} could not be resolved.")
    if not allow_private():
        for address in addresses:
            if not is_public(address):
                raise AddressError(
                    f"The host {host!r} resolves to {address}, a loopback, private or "
                    "link-local address; webhooks may only go to public addresses."
                )
    return addresses[0]


def is_public(address):
    """Whether ``address`` is globally routable (not loopback, private, link-local, shared,
    reserved, multicast or unspecified); IPv4-mapped IPv6 addresses are judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
