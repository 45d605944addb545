"""Security headers on every response."""

from flask import current_app

# No 'unsafe-inline' anywhere: scripts are files under /static, styles the one stylesheet.
CSP = (
    "default-src 'self'; img-src 'self' https: http: data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    max_age = current_app.config.get("HSTS_MAX_AGE") or 0
    if max_age > 0:
        # Only an install served over HTTPS sets this: browsers then refuse plain HTTP.
        headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    return response
