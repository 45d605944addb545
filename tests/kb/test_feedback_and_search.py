"""“Was this helpful?” once per reader; articles in search and on the ask form."""

import pytest

from forum import outbox
from forum.extensions import db
from forum.kb import feedback
from forum.kb import services as kb
from forum.kb.models import ArticleVote
from forum.threads import services
from tests import factories
from tests.pages import text


@pytest.fixture
def article(staff, category):
    article = kb.create(
        staff, "Restore a deleted folder", "Get a folder back.", "Open **Deleted files**.", category
    )
    kb.set_status(staff, article, "published")
    outbox.drain()
    return article


def vote(client, article, answer="yes"):
    return client.post(f"/kb/{article.id}/feedback", data={"helpful": answer})


def test_a_visitor_votes_once_and_another_browser_counts_separately(app, client, article):
    assert vote(client, article).status_code == 302
    vote(client, article, "no")
    db.session.refresh(article)
    assert (article.helpful_yes, article.helpful_no) == (1, 0)
    assert "You answered “Yes”" in text(client.get(f"/kb/{article.id}/{article.slug}"))
    vote(app.test_client(), article, "no")
    db.session.refresh(article)
    assert (article.helpful_yes, article.helpful_no) == (1, 1)


def test_a_member_votes_once_from_any_browser_and_no_identity_is_stored(app, customer, article):
    for _ in range(2):
        browser = app.test_client()
        browser.post("/auth/login", data={"username": "carol", "password": factories.PASSWORD})
        vote(browser, article)
    db.session.refresh(article)
    assert article.helpful_yes == 1
    stored = db.session.scalar(db.select(ArticleVote))
    # An HMAC under the secret key: neither the account nor the article is readable from it.
    assert stored.voter == feedback.voter_hash(article.id, f"user:{customer.id}")
    assert "user" not in stored.voter and len(stored.voter) == 64
    assert set(ArticleVote.__table__.columns.keys()) == {
        "id",
        "article_id",
        "voter",
        "helpful",
        "day",
    }


def test_a_visitor_gets_a_reader_id_only_by_voting(client, article):
    client.get(f"/kb/{article.id}/{article.slug}")
    with client.session_transaction() as session:
        assert "kb_reader" not in session
    vote(client, article)
    with client.session_transaction() as session:
        assert len(session["kb_reader"]) >= 16


def test_an_odd_answer_is_not_counted(client, article):
    vote(client, article, "maybe")
    db.session.refresh(article)
    assert article.votes == 0


def test_published_articles_are_searchable_and_rank_above_threads(
    client, staff, customer, category, article
):
    factories.make_thread(customer, category, "Deleted folder restore question")
    outbox.drain()
    hits = text(client.get("/search?q=deleted+folder"))
    assert hits.index("Restore a deleted folder") < hits.index("Deleted folder restore question")
    assert "Knowledge base" in hits
    only_kb = text(client.get("/search?q=deleted+folder+in:kb"))
    assert "Restore a deleted folder" in only_kb and "restore question" not in only_kb
    kb_page = text(client.get("/kb/search?q=deleted+folder"))
    assert "Restore a deleted folder" in kb_page and "restore question" not in kb_page
    go = client.get(f"/search/go/article/{article.id}")
    assert go.headers["Location"] == f"/kb/{article.id}/{article.slug}"


def test_unpublished_articles_leave_the_index(client, staff, article):
    assert "Restore a deleted folder" in text(client.get("/kb/search?q=folder"))
    kb.set_status(staff, article, "draft")
    outbox.drain()
    assert "Restore a deleted folder" not in text(client.get("/kb/search?q=folder"))


def test_similar_questions_offer_articles_first(client, staff, customer, category, article):
    solved = factories.make_thread(customer, category, "Deleted folder is gone after sync")
    services.accept_answer(staff, factories.make_reply(staff, solved, "Check the trash folder."))
    outbox.drain()
    items = client.get("/search/similar?title=deleted folder gone").json["items"]
    assert [item["type"] for item in items] == ["article", "thread"]
    assert items[0]["open_url"] == f"/search/go/article/{article.id}?via=ask"
