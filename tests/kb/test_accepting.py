"""Accepting, changing and unmarking answers: the thread, its KB draft, notices, search."""

import json
import re

import pytest

from forum.extensions import db
from forum.kb.models import ArticleRevision
from forum.moderation.models import Notice
from forum.threads import services
from tests import factories
from tests.kb.conftest import article_of
from tests.pages import text

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def url_of(thread):
    return f"/threads/{thread.id}/{thread.slug}"


def notices_of(user):
    return [n.text for n in db.session.scalars(db.select(Notice).filter_by(user_id=user.id))]


def accept(client, post, expected=""):
    return client.post(f"/posts/{post.id}/accept", data={"expected": expected})


def test_accepting_an_answer_solves_the_thread_drafts_an_article_and_notifies(
    client, auth, staff, customer, other_customer, thread, other_answer
):
    auth.login(staff)
    response = accept(client, other_answer)
    assert response.status_code == 302
    db.session.refresh(thread)
    assert (thread.accepted_post_id, thread.accepted_by_id) == (other_answer.id, staff.id)
    assert thread.solved_at is not None
    article = article_of(thread)
    assert article.status == "draft"
    assert (article.title, article.body) == (thread.title, "Restart the computer.")
    assert article.summary == "How do I restore a deleted file?"
    assert article.category_id == thread.category_id
    assert (article.source_post_id, article.credited_user_id) == (
        other_answer.id,
        other_customer.id,
    )
    assert notices_of(other_customer) == [
        f"Your reply in “{thread.title}” was marked as the accepted answer by stacy."
    ]
    assert notices_of(customer) == [f"Your question “{thread.title}” has an accepted answer."]
    page = text(client.get(url_of(thread)))
    assert "✓ Accepted answer" in page and "accepted by stacy" in page
    assert "KB article (draft, not public)" in page
    assert "Solved" in text(client.get(f"/c/{thread.category.slug}"))


def test_changing_and_unmarking_the_answer_puts_the_article_up_for_review(
    client, auth, staff, thread, answer, other_answer
):
    auth.login(staff)
    accept(client, other_answer)
    accept(client, answer, expected=other_answer.id)
    db.session.refresh(thread)
    article = article_of(thread)
    assert thread.accepted_post_id == answer.id
    assert article.needs_review and article.review_reason == "The accepted answer changed."
    # Nobody edited the draft yet, so it follows the new answer, as a new revision.
    assert article.body == answer.body and article.source_post_id == answer.id
    assert db.session.scalar(db.select(db.func.count(ArticleRevision.id))) == 2

    client.post(f"/threads/{thread.id}/unaccept", data={"expected": answer.id})
    db.session.refresh(thread)
    db.session.refresh(article)
    assert (thread.accepted_post_id, thread.solved_at, thread.accepted_by_id) == (None, None, None)
    assert article.review_reason == "The accepted answer was unmarked."
    listing = text(client.get("/kb/manage?status=needs_review"))
    assert article.title in listing and "The accepted answer was unmarked." in listing


def test_an_edited_draft_keeps_its_text_when_the_answer_changes(
    staff, thread, answer, other_answer
):
    services.accept_answer(staff, other_answer)
    article = article_of(thread)
    from forum.kb import services as kb

    kb.save(staff, article, article.title, "", "Staff rewrote this.", article.category)
    services.accept_answer(staff, answer)
    assert article.body == "Staff rewrote this." and article.needs_review


def test_accepting_and_unmarking_updates_search(client, staff, thread, answer, drain):
    services.accept_answer(staff, answer)
    drain()
    assert thread.title in text(client.get("/search?q=is:solved"))
    services.unaccept_answer(staff, thread)
    drain()
    assert thread.title not in text(client.get("/search?q=is:solved"))
    assert thread.title in text(client.get("/search?q=is:unsolved"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("question", "The question itself cannot be its accepted answer."),
        ("deleted", "That reply was deleted, so it cannot be the answer."),
        ("held", "That reply is waiting for review; approve it before accepting it."),
    ],
)
def test_refused_answers_leave_the_thread_unsolved(
    client, auth, staff, thread, question, other_customer, make, message
):
    if make == "question":
        post = question
    elif make == "deleted":
        post = factories.make_reply(other_customer, thread, "Oops, wrong thread.")
        services.delete_post(other_customer, post)
    else:
        post = factories.make_held_reply(factories.make_user("customer", "newton"), thread)
    auth.login(staff)
    response = accept(client, post)
    assert response.status_code == 302
    assert message in text(client.get(url_of(thread)))
    db.session.refresh(thread)
    assert thread.accepted_post_id is None and article_of(thread) is None


def test_a_post_from_another_thread_is_refused(staff, customer, category, thread):
    elsewhere = factories.make_thread(customer, category, "Another question")
    stray = factories.make_reply(staff, elsewhere, "An answer elsewhere.")
    with pytest.raises(services.ContentError, match="belongs to another thread"):
        services.accept_answer(staff, stray, thread)
    assert thread.accepted_post_id is None


def test_two_staff_accepting_at_once_one_wins_and_the_other_is_told(
    app, client, staff, admin, thread, answer, other_answer
):
    # Both saw the thread without an accepted answer (expected=""); stacy's request lands first.
    first, second = app.test_client(), app.test_client()
    for who, browser in ((staff, first), (admin, second)):
        browser.post(
            "/auth/login", data={"username": who.username, "password": "correct horse battery"}
        )
    accept(first, answer, expected="")
    accept(second, other_answer, expected="")
    page = text(second.get(url_of(thread)))
    assert "stacy changed the accepted answer a moment ago" in page
    db.session.refresh(thread)
    assert (thread.accepted_post_id, thread.accepted_by_id) == (answer.id, staff.id)
    assert article_of(thread).source_post_id == answer.id


def test_asker_suggests_an_answer_and_the_team_is_told(
    client, auth, customer, moderator, staff, thread, other_answer
):
    auth.login(customer)
    page = text(client.get(url_of(thread)))
    assert "This solved my question" in page
    assert client.post(f"/posts/{other_answer.id}/suggest").status_code == 302
    db.session.refresh(thread)
    assert thread.suggested_post_id == other_answer.id and thread.accepted_post_id is None
    told = f"carol says a reply by oscar solved “{thread.title}”. Accept it if it is right."
    assert notices_of(moderator) == [told] and notices_of(staff) == [told]
    assert "The asker says this solved it" in text(client.get(url_of(thread)))
    services.accept_answer(staff, other_answer)
    assert thread.suggested_post_id is None


def test_only_the_asker_may_suggest(client, auth, other_customer, thread, answer):
    auth.login(other_customer)
    assert client.post(f"/posts/{answer.id}/suggest").status_code == 403
    assert thread.suggested_post_id is None


def qa_page(client, thread):
    blocks = JSON_LD.findall(client.get(url_of(thread)).get_data(as_text=True))
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_thread_page_carries_qapage_json_ld(client, staff, thread, answer, other_answer):
    services.accept_answer(staff, answer)
    factories.make_held_reply(factories.make_user("customer", "newton"), thread)
    data = qa_page(client, thread)
    assert data["@context"] == "https://schema.org" and data["@type"] == "QAPage"
    question = data["mainEntity"]
    assert question["@type"] == "Question" and question["name"] == thread.title
    assert question["text"] == "How do I restore a deleted file?"
    assert question["answerCount"] == 2
    assert question["author"] == {
        "@type": "Person",
        "name": "carol",
        "url": "http://localhost/u/carol",
    }
    accepted = question["acceptedAnswer"]
    assert accepted["@type"] == "Answer"
    assert accepted["text"] == "Pause sync, then resume it from the menu."
    assert accepted["url"] == f"http://localhost/posts/{answer.id}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", accepted["dateCreated"])
    # The held reply is not public, so it is not a suggested answer.
    assert [a["text"] for a in question["suggestedAnswer"]] == ["Restart the computer."]


def test_json_ld_cannot_break_out_of_its_script(client, customer, category):
    thread = factories.make_thread(customer, category, "</script><script>alert(1)</script>")
    page = client.get(url_of(thread)).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert qa_page(client, thread)["mainEntity"]["name"] == thread.title
