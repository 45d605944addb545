import pytest

from forum.extensions import db
from forum.threads.models import Post
from tests import factories


@pytest.fixture
def signed_in(auth, customer):
    """Carol, who asked the ``thread``, signed in."""
    auth.login(customer)
    return customer


@pytest.fixture
def question(thread):
    """The first post of carol's ``thread``."""
    return db.session.scalar(db.select(Post).filter_by(thread_id=thread.id, is_question=True))


@pytest.fixture
def answer(other_customer, thread):
    """Oscar's reply in carol's ``thread``."""
    return factories.make_reply(other_customer, thread, "Oscar suggests clearing the cache.")
