"""Security headers, cookies over HTTPS, and templates the Content-Security-Policy can protect."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# What a strict CSP would block or what would tempt someone to loosen it.
INLINE = {
    # A JSON-LD data block is never executed (and CSP's script-src does not apply to it).
    "inline <script>": re.compile(
        r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", re.IGNORECASE
    ),
    "<style> block": re.compile(r"<style\b", re.IGNORECASE),
    "style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "on*= handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_pages_carry_the_security_headers(client):
    headers = client.get("/").headers
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_error_pages_carry_the_security_headers_too(client):
    assert "script-src 'self'" in client.get("/nowhere").headers["Content-Security-Policy"]


def test_no_strict_transport_security_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def sign_in_cookies(client, user):
    response = client.post(
        "/auth/login",
        data={"username": user.username, "password": factories.PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302
    return {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}


def test_cookies_are_http_only_and_lax_but_not_secure_by_default(client, customer):
    cookies = sign_in_cookies(client, customer)
    for name in ("session", "remember_token"):
        assert "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
        assert "Secure" not in cookies[name]


@pytest.mark.parametrize(
    "config_overrides",
    [{"SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True, "HSTS_MAX_AGE": 31536000}],
)
def test_served_over_https_cookies_are_secure_and_hsts_is_sent(client, customer):
    cookies = sign_in_cookies(client, customer)
    for name in ("session", "remember_token"):
        assert "; Secure" in cookies[name]
    response = client.get("/", base_url="https://forum.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def config_from_environment(**env):
    """The configuration a fresh process reads from ``env``."""
    code = (
        "from config import Config; "
        "print(Config.SESSION_COOKIE_SECURE, Config.REMEMBER_COOKIE_SECURE, Config.HSTS_MAX_AGE)"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SESSION_COOKIE_SECURE", "HSTS_MAX_AGE")
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )
    return result.stdout.split()


def test_session_cookie_secure_from_the_environment_turns_on_https_settings():
    assert config_from_environment() == ["False", "False", "0"]
    assert config_from_environment(SESSION_COOKIE_SECURE="true") == ["True", "True", "31536000"]
    assert config_from_environment(SESSION_COOKIE_SECURE="true", HSTS_MAX_AGE="0")[2] == "0"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_have_no_inline_script_style_or_handlers(template):
    source = template.read_text()
    found = [name for name, pattern in INLINE.items() if pattern.search(source)]
    assert not found, f"{template.name}: {found}; put scripts in static/js and styles in forum.css"


def test_the_template_check_catches_inline_code():
    data_block = '<script type="application/ld+json">{}</script>'
    assert not any(pattern.search(data_block) for pattern in INLINE.values())
    bad = '<script>alert(1)</script><p style="color:red" onclick="x()">'
    assert {name for name, pattern in INLINE.items() if pattern.search(bad)} == {
        "inline <script>",
        "style= attribute",
        "on*= handler",
    }
