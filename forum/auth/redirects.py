from urllib.parse import urlsplit

from flask import url_for


def safe_next(target, fallback="categories.index"):
    """``target`` if it is a path on this site, else the fallback page (no open redirects)."""
    if target and not any(ch in target for ch in "\\\r\n\t") and target.startswith("/"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//"):
            return target
    return url_for(fallback)
