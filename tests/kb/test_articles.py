"""Staff write, edit, publish and review articles; everyone reads the published ones."""

import pytest

from forum.extensions import db
from forum.kb import services as kb
from forum.kb.models import Article, ArticleRevision
from forum.threads import services
from tests import factories
from tests.kb.conftest import article_of
from tests.pages import form_values, text


def revisions(article):
    return db.session.scalars(
        db.select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.number)
    ).all()


@pytest.fixture
def article(staff, category):
    return kb.create(
        staff, "Moving to a new laptop", "Keep your files.", "Sign in first.", category
    )


def test_staff_write_an_article_from_scratch_and_publish_it(client, auth, staff, category):
    auth.login(staff)
    data = {
        "title": "Moving to a new laptop",
        "summary": "Keep your files when you change computers.",
        "category": category.slug,
        "body": "1. Sign in.\n2. Wait for **sync**.",
        "publish": "Save and publish",
    }
    response = client.post("/kb/new", data=data)
    assert response.status_code == 302
    article = db.session.scalar(db.select(Article))
    assert article.status == "published" and article.category_id == category.id
    assert article.last_verified_at is not None
    page = text(client.get(f"/kb/{article.id}/{article.slug}"))
    assert "<strong>sync</strong>" in page and "Last verified" in page
    assert [r.note for r in revisions(article)] == ["Written from scratch"]


def test_editing_an_article_shows_its_category_and_saving_keeps_it(
    client, auth, staff, category, article
):
    factories.make_category("Billing & accounts", "billing-accounts")
    kb.set_status(staff, article, "published")
    auth.login(staff)
    url = f"/kb/{article.id}/edit"
    page = client.get(url)
    assert f'<option selected value="{category.slug}">Sync & backup</option>' in text(page)
    data = form_values(page, url) | {"body": "Sign in first, then wait for sync."}
    response = client.post(url, data=data)
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.category_id == category.id
    assert article.body == "Sign in first, then wait for sync."
    assert "</a> › Sync & backup</nav>" in text(client.get(f"/kb/{article.id}/{article.slug}"))


def test_publishing_an_empty_article_is_a_form_error(client, auth, staff, article):
    kb.save(staff, article, article.title, "", "", article.category)
    auth.login(staff)
    data = {"title": article.title, "summary": "", "body": "  ", "publish": "Save and publish"}
    response = client.post(f"/kb/{article.id}/edit", data=data)
    assert response.status_code == 400
    assert "An article needs its text before it can be published." in text(response)
    db.session.refresh(article)
    assert article.status == "draft"
    response = client.post(f"/kb/{article.id}/publish")
    assert "An article needs its text" in text(client.get(response.headers["Location"]))
    assert article.status == "draft"


def test_every_save_keeps_a_revision_with_an_escaped_diff_and_restore_adds_one(
    client, auth, staff, article
):
    auth.login(staff)
    data = {"title": article.title, "summary": "Keep your files.", "body": "<script>x</script>"}
    client.post(f"/kb/{article.id}/edit", data=data)
    assert [r.number for r in revisions(article)] == [1, 2]
    diff = client.get(f"/kb/{article.id}/revisions/2").get_data(as_text=True)
    assert "<script>x</script>" not in diff
    assert "&lt;script&gt;x&lt;/script&gt;" in diff and "Sign in first." in diff
    assert client.post(f"/kb/{article.id}/revisions/1/restore").status_code == 302
    db.session.refresh(article)
    assert article.body == "Sign in first."
    assert [r.note for r in revisions(article)][-1] == "Restored revision 1"
    history = text(client.get(f"/kb/{article.id}/history"))
    assert "Restored revision 1" in history and "Written from scratch" in history


def test_drafts_and_archived_articles_are_hidden_from_readers(
    client, auth, staff, customer, article
):
    url = f"/kb/{article.id}/{article.slug}"
    assert client.get(url).status_code == 404
    kb.set_status(staff, article, "published")
    assert client.get(url).status_code == 200
    kb.set_status(staff, article, "archived")
    auth.login(customer)
    assert client.get(url).status_code == 404
    assert article.title not in text(client.get("/kb/"))


def test_kb_home_groups_by_category_and_lists_helpful_and_recent(client, staff, category, article):
    kb.set_status(staff, article, "published")
    general = kb.create(staff, "Account basics", "", "Your account.")
    kb.set_status(staff, general, "published")
    article.helpful_yes = 3
    db.session.commit()
    page = text(client.get("/kb/"))
    assert category.name in page and "General" in page
    helpful = page.split("Most helpful", 1)[1].split("Recently updated", 1)[0]
    assert article.title in helpful and general.title not in helpful


def test_article_from_a_thread_credits_the_answerer_and_links_both_ways(
    client, staff, thread, answer
):
    services.accept_answer(staff, answer)
    article = article_of(thread)
    kb.set_status(staff, article, "published")
    page = text(client.get(f"/kb/{article.id}/{article.slug}"))
    assert "From a community thread" in page and "answered by" in page and "stacy" in page
    assert f'href="/threads/{thread.id}/{thread.slug}"' in page
    thread_page = text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert "This answer is now a KB article" in thread_page
    assert f'href="/kb/{article.id}/{article.slug}"' in thread_page


@pytest.mark.parametrize("auto", [True, False])
def test_kb_auto_publish_publishes_drafts_from_staff_acceptance(
    app, staff, moderator, thread, answer, auto
):
    app.config["KB_AUTO_PUBLISH"] = auto
    services.accept_answer(staff, answer)
    assert article_of(thread).status == ("published" if auto else "draft")


def test_auto_publish_does_not_apply_to_a_moderators_acceptance(app, moderator, thread, answer):
    app.config["KB_AUTO_PUBLISH"] = True
    services.accept_answer(moderator, answer)
    assert article_of(thread).status == "draft"


class TestStaleness:
    @pytest.fixture
    def article(self, staff, thread, answer):
        services.accept_answer(staff, answer)
        article = article_of(thread)
        assert not article.needs_review
        return article

    def test_editing_the_accepted_answer(self, staff, answer, article):
        services.edit_post(staff, answer, "Pause sync, then resume it. Works on 4.2 too.")
        assert article.review_reason == "The accepted answer was edited."

    def test_a_new_reply_after_acceptance(self, other_customer, thread, article):
        factories.make_reply(other_customer, thread, "This no longer works in 5.0!")
        assert article.review_reason == "The thread got new replies after acceptance."

    def test_hiding_the_accepted_answer(self, moderator, answer, article):
        from forum.moderation import services as moderation

        moderation.remove(moderator, answer, reason="wrong", version=answer.review_version)
        assert article.review_reason == "The accepted answer is no longer visible."

    def test_staff_mark_it_reverified(self, client, auth, staff, other_customer, thread, article):
        factories.make_reply(other_customer, thread, "Still works, thanks.")
        auth.login(staff)
        assert article.title in text(client.get("/kb/manage?status=needs_review"))
        response = client.post(f"/kb/{article.id}/verify?next=/kb/manage")
        assert response.headers["Location"] == "/kb/manage"
        db.session.refresh(article)
        assert not article.needs_review and article.last_verified_at is not None
        assert "Needs review (0)" in text(client.get("/kb/manage?status=needs_review"))
