import re
import unicodedata


def slugify(text, max_length=80):
    """ASCII, lowercase, dash-separated; 'thread' when nothing is left (e.g. all non-Latin)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "thread"
