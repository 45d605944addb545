import pytest

from forum import outbox
from forum.extensions import db
from forum.kb.models import Article
from forum.threads.models import Post
from tests import factories


@pytest.fixture
def question(thread):
    return db.session.scalar(db.select(Post).filter_by(thread_id=thread.id, is_question=True))


@pytest.fixture
def answer(staff, thread):
    """Stacy's (staff) reply in carol's ``thread``."""
    return factories.make_reply(staff, thread, "Pause sync, then **resume** it from the menu.")


@pytest.fixture
def other_answer(other_customer, thread):
    """Oscar's reply in carol's ``thread``."""
    return factories.make_reply(other_customer, thread, "Restart the computer.")


@pytest.fixture
def drain(app):
    return outbox.drain


def article_of(thread):
    return db.session.scalar(db.select(Article).where(Article.source_thread_id == thread.id))
