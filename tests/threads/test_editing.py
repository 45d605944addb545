import pytest

from forum.extensions import db
from forum.threads import services as threads
from forum.threads.models import Post, PostRevision
from tests.pages import text

ORIGINAL = "How do I restore a deleted file?"


# Editing --------------------------------------------------------------------------------------


def test_edit_form_is_filled_with_the_current_text(client, signed_in, question):
    response = client.get(f"/posts/{question.id}/edit")
    page = text(response)
    assert response.status_code == 200
    assert 'value="Sync stops at 99 percent"' in page
    assert "How do I restore a deleted file?</textarea>" in page


def test_edit_own_reply_keeps_the_old_text_in_the_history(client, auth, other_customer, answer):
    auth.login(other_customer)
    response = client.post(f"/posts/{answer.id}/edit", data={"body": "Clear the *cache* first."})
    assert response.status_code == 302
    db.session.refresh(answer)
    assert answer.body == "Clear the *cache* first."
    assert answer.edited_by_id == other_customer.id
    revision = db.session.scalar(db.select(PostRevision))
    assert revision.body == "Oscar suggests clearing the cache."
    thread_page = text(client.get(response.headers["Location"]))
    assert "Clear the <em>cache</em> first." in thread_page
    assert f'href="/posts/{answer.id}/history">edited</a>' in thread_page
    client.post("/auth/logout")
    history = text(client.get(f"/posts/{answer.id}/history"))
    assert "Clear the <em>cache</em> first." in history
    assert "Oscar suggests clearing the cache." in history
    assert "Version 1 · by oscar" in history


def test_edit_question_changes_the_title_and_keeps_the_old_one(client, signed_in, thread, question):
    response = client.post(
        f"/posts/{question.id}/edit",
        data={"title": "Sync stops at 99% on macOS", "body": question.body},
    )
    assert response.status_code == 302
    db.session.refresh(thread)
    assert thread.title == "Sync stops at 99% on macOS"
    assert thread.slug == "sync-stops-at-99-on-macos"
    assert db.session.scalar(db.select(PostRevision.title)) == "Sync stops at 99 percent"
    assert "<strong>Title:</strong> Sync stops at 99 percent" in text(
        client.get(f"/posts/{question.id}/history")
    )


def test_unchanged_edit_adds_no_revision(client, signed_in, thread, question):
    client.post(f"/posts/{question.id}/edit", data={"title": thread.title, "body": question.body})
    assert db.session.scalar(db.select(db.func.count(PostRevision.id))) == 0
    assert "This post has not been edited." in text(client.get(f"/posts/{question.id}/history"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": ""}, "The text cannot be empty."),
        ({"body": "e" * 50_001}, "Please write between 1 and 50,000 characters."),
        ({"title": "no"}, "Title must be 3 to 200 characters long."),
        ({"title": ""}, "Title must be 3 to 200 characters long."),
        ({"title": "  no  "}, "Title must be 3 to 200 characters long."),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_edit_refuses_bad_input_and_keeps_the_text(
    client, signed_in, thread, fields, message, question
):
    data = {"title": "A better title", "body": "A better body."}
    data.update(fields)
    response = client.post(f"/posts/{question.id}/edit", data=data)
    page = text(response)
    assert response.status_code == 400
    assert message in page
    if "body" not in fields:
        assert "A better body.</textarea>" in page
    else:
        assert 'value="A better title"' in page
    db.session.refresh(thread)
    db.session.refresh(question)
    assert (thread.title, question.body) == ("Sync stops at 99 percent", ORIGINAL)
    assert db.session.scalar(db.select(db.func.count(PostRevision.id))) == 0


def test_editing_someone_elses_post_is_forbidden(client, auth, other_customer, thread, question):
    auth.login(other_customer)
    assert client.get(f"/posts/{question.id}/edit").status_code == 403
    response = client.post(f"/posts/{question.id}/edit", data={"body": "Hijacked."})
    assert response.status_code == 403
    assert "You don't have permission to do that." in text(response)
    db.session.refresh(question)
    assert question.body == ORIGINAL
    page = text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert f'href="/posts/{question.id}/edit"' not in page


def test_author_cannot_edit_in_a_locked_thread(client, auth, customer, locked_thread):
    question = db.session.scalar(db.select(Post).filter_by(thread_id=locked_thread.id))
    auth.login(customer)
    response = client.post(f"/posts/{question.id}/edit", data={"body": "Late change."})
    assert response.status_code == 403
    db.session.refresh(question)
    assert question.body != "Late change."


def test_delete_own_reply_asks_first_then_soft_deletes(client, auth, other_customer, answer):
    auth.login(other_customer)
    confirm = client.get(f"/posts/{answer.id}/delete")
    assert confirm.status_code == 200
    assert "Delete this reply?" in text(confirm)
    assert db.session.get(Post, answer.id).status == "visible"

    response = client.post(f"/posts/{answer.id}/delete")
    assert response.status_code == 302
    thread = answer.thread
    assert response.headers["Location"] == f"/threads/{thread.id}/{thread.slug}"
    db.session.refresh(answer)
    db.session.refresh(thread)
    assert answer.status == "deleted"
    assert answer.body == "Oscar suggests clearing the cache."
    assert thread.reply_count == 0
    assert "The post was deleted." in text(client.get(response.headers["Location"]))


def test_delete_own_question_without_replies_deletes_the_thread(
    client, signed_in, thread, question
):
    confirm = text(client.get(f"/posts/{question.id}/delete"))
    assert "Deleting the question deletes the whole thread" in confirm
    response = client.post(f"/posts/{question.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/c/sync-backup"
    db.session.refresh(thread)
    db.session.refresh(question)
    assert (thread.status, question.status) == ("deleted", "deleted")
    client.post("/auth/logout")
    assert client.get(f"/threads/{thread.id}/{thread.slug}").status_code == 404


def test_delete_own_question_with_replies_is_refused(client, signed_in, thread, answer, question):
    confirm = client.get(f"/posts/{question.id}/delete")
    page = text(confirm)
    assert "This question already has replies, so it can't be deleted. You can edit it." in page
    assert 'type="submit"' not in confirm.get_data(as_text=True).split("<main", 1)[1]
    assert f"/posts/{question.id}/edit" in confirm.get_data(as_text=True)
    response = client.post(f"/posts/{question.id}/delete")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "This question already has replies, so it can't be deleted. You can edit it." in page
    db.session.refresh(thread)
    db.session.refresh(question)
    assert (thread.status, question.status) == ("visible", "visible")


def test_question_whose_replies_were_all_deleted_can_be_deleted(
    client, signed_in, thread, question, answer, other_customer
):
    threads.delete_post(other_customer, answer)
    assert client.post(f"/posts/{question.id}/delete").status_code == 302
    db.session.refresh(thread)
    assert thread.status == "deleted"


def test_deleting_someone_elses_post_is_forbidden(client, signed_in, answer):
    assert client.get(f"/posts/{answer.id}/delete").status_code == 403
    response = client.post(f"/posts/{answer.id}/delete")
    assert response.status_code == 403
    db.session.refresh(answer)
    assert answer.status == "visible"


def test_deleted_post_cannot_be_edited_or_deleted_again(client, auth, other_customer, answer):
    threads.delete_post(other_customer, answer)
    auth.login(other_customer)
    assert client.get(f"/posts/{answer.id}/edit").status_code == 404
    assert client.post(f"/posts/{answer.id}/delete").status_code == 404
