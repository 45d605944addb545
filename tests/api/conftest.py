import pytest

from forum.api import services as tokens
from forum.extensions import db
from tests.api.conformance import problems_with


@pytest.fixture(autouse=True)
def undocumented_responses(app):
    """Every API response in these tests must match the OpenAPI document. A test that
    provokes an undocumented response on purpose empties this list."""
    problems = []

    @app.after_request
    def check(response):
        problems.extend(problems_with(response))
        return response

    yield problems
    assert not problems, "\n".join(problems)


def bearer(user):
    """Authorization headers with a fresh token of ``user``."""
    _, secret = tokens.create_token(user, "test")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def as_user():
    return bearer


def set_status(post, status):
    """Put a post (and, for a question, its thread) into a moderation state directly, as the
    moderation issue's services will."""
    post.status = status
    if post.is_question:
        post.thread.status = status
    db.session.commit()


def question_of(thread):
    from forum.threads.models import Post

    return db.session.scalar(
        db.select(Post).where(Post.thread_id == thread.id, Post.is_question.is_(True))
    )
