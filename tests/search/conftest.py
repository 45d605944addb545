import html
import re

import pytest

from forum import outbox

HIT_TITLE = re.compile(r'class="hit-title"[^>]*>([^<]*)</a>')


@pytest.fixture
def config_overrides(search_backend):
    """Every search test runs on each backend (tests/search_backends.py)."""
    return {"SEARCH_BACKEND": search_backend}


@pytest.fixture
def drain(app):
    """Deliver the outbox now, as the end of a request would."""
    return outbox.drain


@pytest.fixture
def find(client):
    """The result titles the current client sees for a search."""

    def run(q="", **params):
        response = client.get("/search", query_string={"q": q, **params})
        assert response.status_code == 200
        return [
            html.unescape(title) for title in HIT_TITLE.findall(response.get_data(as_text=True))
        ]

    return run
