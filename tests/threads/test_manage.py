import pytest

from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.threads import services
from forum.threads.models import Post, PostRevision, Thread
from tests import factories
from tests.pages import text

TEAM = ("moderator", "staff", "admin")


def audit():
    """The audit log's entries about threads and posts, oldest first."""
    query = (
        db.select(ModerationAction)
        .where(ModerationAction.target_type.in_(("thread", "post")))
        .order_by(ModerationAction.id)
    )
    return [(e.action, e.target_type, e.actor.username) for e in db.session.scalars(query)]


@pytest.fixture(params=TEAM)
def member(request, auth):
    """Each team role in turn, signed in."""
    user = request.getfixturevalue(request.param)
    auth.login(user)
    return user


def test_team_sees_the_moderation_tools_and_customers_do_not(client, auth, customer, thread):
    url = f"/threads/{thread.id}/{thread.slug}"
    auth.login(customer)
    assert 'aria-label="Moderation"' not in text(client.get(url))
    auth.logout()
    auth.login(factories.make_user("moderator", "mia"))
    page = text(client.get(url))
    assert f'action="/threads/{thread.id}/lock"' in page
    assert f'action="/threads/{thread.id}/pin"' in page
    assert f'href="/threads/{thread.id}/move"' in page


def test_lock_and_unlock(client, member, thread):
    response = client.post(f"/threads/{thread.id}/lock")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/threads/{thread.id}/{thread.slug}"
    db.session.refresh(thread)
    assert thread.locked
    page = text(client.get(response.headers["Location"]))
    assert "Thread locked: only the team can reply now." in page
    assert '<span class="badge locked">Locked</span>' in page
    assert f'action="/threads/{thread.id}/unlock"' in page

    client.post(f"/threads/{thread.id}/unlock")
    db.session.refresh(thread)
    assert not thread.locked
    assert [a for a, *_ in audit()] == ["lock", "unlock"]


def test_team_can_still_reply_to_a_locked_thread(client, member, locked_thread):
    response = client.post(f"/threads/{locked_thread.id}/reply", data={"body": "Closing note."})
    assert response.status_code == 302
    db.session.refresh(locked_thread)
    assert locked_thread.reply_count == 1


def test_pin_and_unpin(client, member, thread):
    client.post(f"/threads/{thread.id}/pin")
    db.session.refresh(thread)
    assert thread.pinned
    assert '<span class="badge pinned">Pinned</span>' in text(client.get("/c/sync-backup"))
    client.post(f"/threads/{thread.id}/unpin")
    db.session.refresh(thread)
    assert not thread.pinned
    assert [(a, t, u) for a, t, u in audit()] == [
        ("pin", "thread", member.username),
        ("unpin", "thread", member.username),
    ]


def test_customer_cannot_lock_or_pin(client, auth, customer, thread):
    auth.login(customer)
    for action in ("lock", "pin"):
        response = client.post(f"/threads/{thread.id}/{action}")
        assert response.status_code == 403
        assert "You don't have permission to do that." in text(response)
    db.session.refresh(thread)
    assert (thread.locked, thread.pinned) == (False, False)
    assert audit() == []


def test_move_thread_to_another_category(client, member, thread):
    billing = factories.make_category("Billing", "billing")
    form = text(client.get(f"/threads/{thread.id}/move"))
    assert '<option selected value="sync-backup">' in form
    response = client.post(f"/threads/{thread.id}/move", data={"category": "billing"})
    assert response.status_code == 302
    db.session.refresh(thread)
    assert thread.category_id == billing.id
    assert "Moved to Billing." in text(client.get(response.headers["Location"]))
    assert thread.title in text(client.get("/c/billing"))
    assert thread.title not in text(client.get("/c/sync-backup"))
    assert audit()[-1][0] == "move_thread"


def test_move_to_unknown_category_is_refused_with_a_message(client, auth, moderator, thread):
    auth.login(moderator)
    response = client.post(f"/threads/{thread.id}/move", data={"category": "no-such"})
    assert response.status_code == 400
    assert "Please choose one of the listed categories." in text(response)
    db.session.refresh(thread)
    assert thread.category.slug == "sync-backup"
    assert audit() == []


def test_team_edits_any_post_with_history_and_audit(client, member, answer):
    response = client.post(f"/posts/{answer.id}/edit", data={"body": "Removed a phone number."})
    assert response.status_code == 302
    db.session.refresh(answer)
    assert answer.body == "Removed a phone number."
    assert answer.edited_by_id == member.id
    assert answer.author.username == "oscar"
    revision = db.session.scalar(db.select(PostRevision))
    assert (revision.body, revision.author.username) == (
        "Oscar suggests clearing the cache.",
        "oscar",
    )
    assert audit() == [("edit_post", "post", member.username)]
    history = text(client.get(f"/posts/{answer.id}/history"))
    assert f"edited by {member.username}" in history


def test_team_deletes_any_reply_as_removed(client, member, thread, answer):
    response = client.post(f"/posts/{answer.id}/delete")
    assert response.status_code == 302
    db.session.refresh(answer)
    db.session.refresh(thread)
    assert answer.status == "removed"
    assert thread.reply_count == 0
    assert audit() == [("delete_post", "post", member.username)]


def test_team_removes_a_question_with_replies_and_so_the_thread(
    client, member, thread, question, answer
):
    response = client.post(f"/posts/{question.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/c/sync-backup"
    db.session.refresh(thread)
    assert thread.status == "removed"
    assert thread.title not in text(client.get("/"))


def test_staff_marks_and_unmarks_the_accepted_answer(client, auth, staff, thread, answer):
    auth.login(staff)
    response = client.post(f"/posts/{answer.id}/accept")
    assert response.status_code == 302
    db.session.refresh(thread)
    assert thread.accepted_post_id == answer.id and thread.solved_at is not None
    page = text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert "✓ Accepted answer" in page
    assert "accepted by stacy" in page
    assert '<span class="badge solved">Solved</span>' in text(client.get("/"))

    client.post(f"/threads/{thread.id}/unaccept")
    db.session.refresh(thread)
    assert thread.accepted_post_id is None and thread.solved_at is None
    assert "Solved</span>" not in text(client.get("/"))


def test_the_question_cannot_be_its_own_accepted_answer(client, auth, staff, thread, question):
    auth.login(staff)
    response = client.post(f"/posts/{question.id}/accept")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "The question itself cannot be its accepted answer." in page
    db.session.refresh(thread)
    assert thread.accepted_post_id is None


def test_customer_cannot_accept_an_answer(client, auth, customer, thread, answer):
    auth.login(customer)
    assert client.post(f"/posts/{answer.id}/accept").status_code == 403
    db.session.refresh(thread)
    assert thread.accepted_post_id is None


def test_team_can_open_a_thread_removed_from_public_view(client, auth, moderator, thread, question):
    services.delete_post(moderator, question)
    assert client.get(f"/threads/{thread.id}/{thread.slug}").status_code == 404
    auth.login(moderator)
    response = client.get(f"/threads/{thread.id}/{thread.slug}")
    assert response.status_code == 200
    assert '<span class="badge status">Removed</span>' in text(response)
    reply = client.post(f"/threads/{thread.id}/reply", data={"body": "Too late."})
    assert reply.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 1
    assert db.session.get(Thread, thread.id).reply_count == 0


def test_removing_the_accepted_answer_unmarks_the_thread_as_solved(
    client, auth, staff, thread, answer
):
    services.accept_answer(staff, answer)
    auth.login(staff)
    client.post(f"/posts/{answer.id}/delete")
    db.session.refresh(thread)
    assert (thread.accepted_post_id, thread.solved_at) == (None, None)
    assert "Solved</span>" not in text(client.get("/"))
