import pytest

from forum import outbox


@pytest.fixture
def events(app):
    """Every outbox event delivered during the test, as (topic, payload)."""
    seen = []

    def record(batch):
        seen.extend((event.topic, dict(event.payload)) for event in batch)

    outbox.subscribe(record)
    yield seen
    outbox.unsubscribe(record)


def page(client, path):
    return client.get(path, follow_redirects=True).get_data(as_text=True)
