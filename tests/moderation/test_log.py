"""The audit log: every moderator action, filterable, reversible ones undoable once."""

import pytest

from forum.extensions import db
from forum.moderation import flags, services, undo
from forum.moderation.errors import AlreadyResolved, ModerationError
from forum.moderation.models import Flag, ModerationAction
from forum.threads import services as threads
from forum.threads.models import Post, Thread
from tests import factories
from tests.moderation.conftest import page


def last(action):
    return db.session.scalar(
        db.select(ModerationAction)
        .where(ModerationAction.action == action)
        .order_by(ModerationAction.id.desc())
    )


def test_log_shows_who_what_why_and_filters(client, auth, moderator, staff, held_post, customer):
    services.remove(moderator, held_post, spam=True, reason="link spam")
    from forum.moderation import accounts

    accounts.silence(staff, customer, 1, "calm down")
    auth.login(moderator)
    text = page(client, "/moderation/log")
    assert "morgan" in text and "remove" in text and "link spam" in text
    assert "stacy" in text and "calm down" in text
    assert "calm down" not in page(client, "/moderation/log?actor=morgan")
    assert "link spam" not in page(client, "/moderation/log?action=silence")
    assert "link spam" in page(client, f"/moderation/log?target_type=post&target_id={held_post.id}")
    assert '"status": "held"' in text  # before → after, as JSON


def test_customers_cannot_read_or_undo_the_log(client, auth, customer, moderator, held_post):
    entry = services.remove(moderator, held_post, spam=True)
    auth.login(customer)
    assert client.get("/moderation/log").status_code == 403
    assert client.post(f"/moderation/log/{entry.id}/undo").status_code == 403
    assert db.session.get(Post, held_post.id).status == "removed"


def test_undo_remove_restores_the_post_and_its_flags(
    app, moderator, customer, other_customer, thread
):
    post = factories.make_reply(customer, thread, "Questionable")
    flags.flag(other_customer, post, "spam")
    entry = services.remove(moderator, post, spam=True)
    db.session.refresh(other_customer)
    assert other_customer.flags_helpful == 1
    undo.undo(moderator, entry)
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.status == "visible" and post.open_flags == 1 and post.trained_as is None
    assert db.session.scalar(db.select(Flag.resolution)) is None
    assert db.session.get(type(other_customer), other_customer.id).flags_helpful == 0
    assert post.thread.reply_count == 1


def test_undo_approve_puts_the_post_back_on_hold(app, moderator, held_post):
    entry = services.approve(moderator, held_post)
    undo.undo(moderator, entry)
    db.session.refresh(held_post)
    assert held_post.status == "held" and held_post.trained_as is None
    assert held_post.thread.reply_count == 0


def test_undo_hide_restores_a_post_hidden_by_flags(app, customer, thread):
    post = factories.make_reply(customer, thread, "Unpopular opinion")
    for n in range(3):
        flags.flag(factories.make_user("customer", f"critic{n}"), post, "offensive")
    assert db.session.get(Post, post.id).status == "hidden"
    undo.undo(factories.make_user("moderator", "mod2"), last("hide"))
    assert db.session.get(Post, post.id).status == "visible"


def test_undo_of_a_team_deletion_restores_the_thread(app, moderator, customer, category):
    thread = factories.make_thread(customer, category, "Deleted by the team")
    question = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id))
    threads.delete_post(moderator, question)
    assert db.session.get(Thread, thread.id).status == "removed"
    undo.undo(moderator, last("delete_post"))
    assert db.session.get(Thread, thread.id).status == "visible"
    db.session.refresh(customer)
    assert customer.approved_posts == 1  # the question, counted once


def test_undo_is_refused_when_the_post_changed_since(app, moderator, staff, held_post):
    removal = services.remove(moderator, held_post, spam=True)
    undo.undo(moderator, removal)
    services.approve(staff, held_post)
    with pytest.raises(AlreadyResolved):
        undo.undo(moderator, removal)
    assert db.session.get(Post, held_post.id).status == "visible"


def test_undo_twice_through_the_page_is_refused_with_a_message(client, auth, moderator, held_post):
    entry = services.remove(moderator, held_post, spam=True)
    auth.login(moderator)
    client.post(f"/moderation/log/{entry.id}/undo")
    response = client.post(f"/moderation/log/{entry.id}/undo", follow_redirects=True)
    assert "Already undone by morgan" in response.get_data(as_text=True)
    undos = db.session.scalar(
        db.select(db.func.count(ModerationAction.id)).where(ModerationAction.action == "undo")
    )
    assert undos == 1


def test_actions_without_undo_are_refused(app, moderator, customer, thread):
    threads.set_flag(moderator, thread, "locked", True)
    with pytest.raises(ModerationError, match="can't be undone"):
        undo.undo(moderator, last("lock"))
