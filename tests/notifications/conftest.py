import pytest

from forum import outbox
from forum.extensions import db
from forum.notifications import services


def sentences(user):
    """What ``user`` reads under the bell, newest first (after delivering pending events)."""
    outbox.drain()
    return [n.sentence for n in db.session.scalars(services.listing(user))]


@pytest.fixture
def read():
    return sentences
