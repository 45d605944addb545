"""Silence, ban, ban and purge, and putting it all back from the audit log."""

import pytest

from forum import outbox
from forum.extensions import db
from forum.moderation import accounts, undo
from forum.moderation.errors import AlreadyResolved, ModerationError
from forum.moderation.models import ModerationAction
from forum.spam import classifier
from forum.threads.models import Post, Thread
from tests import factories
from tests.moderation.conftest import page


@pytest.fixture
def spammer_posts(category, thread):
    """A spammer with a question of their own, a held reply and a visible reply."""
    spammer = factories.make_user("customer", "spammer")
    own = factories.make_thread(spammer, category, "Cheap watches here", "Buy now, best price.")
    visible = factories.make_reply(spammer, thread, "Nice thread! Also: cheap watches.")
    held = factories.make_held_reply(spammer, thread)
    return spammer, own, visible, held


def ban_page_post(client, spammer, **data):
    return client.post(f"/moderation/users/{spammer.id}/ban", data=data)


def test_ban_and_purge_cycle_through_the_pages(
    client, auth, moderator, spammer_posts, thread, category, events
):
    spammer, own, visible, held = spammer_posts
    auth.login(moderator)
    text = page(client, f"/moderation/users/{spammer.id}?purge=1")
    assert "removes 3 live posts" in text and 'name="purge"' in text
    response = ban_page_post(client, spammer, purge="y", spam="y", reason="watch spam")
    assert response.status_code == 302
    db.session.refresh(spammer)
    assert spammer.is_banned
    statuses = {
        p.id: p.status
        for p in db.session.scalars(db.select(Post).where(Post.author_id == spammer.id))
    }
    assert set(statuses.values()) == {"removed"}
    assert db.session.get(Thread, own.id).status == "removed"
    assert db.session.get(Thread, thread.id).status == "visible"
    assert classifier.totals().spam_docs == 3
    assert {payload["thread_id"] for topic, payload in events if topic == "post.removed"} == {
        own.id,
        thread.id,
    }
    auth.logout()
    assert "Cheap watches here" not in page(client, "/")
    assert "cheap watches" not in page(client, f"/threads/{thread.id}")
    assert client.get(f"/threads/{own.id}").status_code == 404

    entry = db.session.scalar(db.select(ModerationAction).where(ModerationAction.action == "ban"))
    auth.login(moderator)
    assert "Undo" in page(client, "/moderation/log?action=ban")
    client.post(f"/moderation/log/{entry.id}/undo")
    db.session.expire_all()
    assert not db.session.get(type(spammer), spammer.id).is_banned
    assert db.session.get(Post, visible.id).status == "visible"
    assert db.session.get(Post, held.id).status == "held"
    assert db.session.get(Thread, own.id).status == "visible"
    assert classifier.totals().spam_docs == 0
    assert any(topic == "post.restored" for topic, _ in events)
    assert "undone" in page(client, "/moderation/log?action=ban")
    auth.logout()
    assert "Cheap watches here" in page(client, "/")


def test_banned_user_is_signed_out_and_cannot_sign_in(client, auth, moderator, customer):
    auth.login(customer)
    accounts.ban(moderator, customer)
    assert client.get("/settings/password").status_code == 302
    response = client.post(
        "/auth/login", data={"username": customer.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 400


def test_ban_without_purge_keeps_posts(app, moderator, spammer_posts):
    spammer, own, visible, held = spammer_posts
    accounts.ban(moderator, spammer)
    assert db.session.get(Post, visible.id).status == "visible"
    with pytest.raises(ModerationError, match="already banned"):
        accounts.ban(moderator, spammer)


@pytest.mark.parametrize("role", ["moderator", "staff", "admin"])
def test_team_accounts_cannot_be_banned_or_silenced(client, auth, users, role):
    target = users[role]
    actor = users["admin"] if role != "admin" else users["moderator"]
    auth.login(actor)
    assert client.post(f"/moderation/users/{target.id}/ban", data={}).status_code == 403
    assert (
        client.post(f"/moderation/users/{target.id}/silence", data={"days": "1"}).status_code == 403
    )
    with pytest.raises(ModerationError):
        accounts.silence(actor, target, 1)


def test_customers_cannot_reach_moderator_account_pages(client, auth, customer, other_customer):
    auth.login(customer)
    assert client.get(f"/moderation/users/{other_customer.id}").status_code == 403
    assert (
        client.post(f"/moderation/users/{other_customer.id}/ban", data={"purge": "y"}).status_code
        == 403
    )
    assert not db.session.get(type(other_customer), other_customer.id).is_banned


def test_silence_through_the_page_and_undo(client, auth, moderator, customer, thread):
    auth.login(moderator)
    response = client.post(
        f"/moderation/users/{customer.id}/silence", data={"days": "7", "reason": "heated"}
    )
    assert response.status_code == 302
    db.session.refresh(customer)
    assert customer.is_silenced
    entry = db.session.scalar(
        db.select(ModerationAction).where(ModerationAction.action == "silence")
    )
    undo.undo(moderator, entry)
    db.session.refresh(customer)
    assert not customer.is_silenced
    with pytest.raises(AlreadyResolved, match="Already undone by morgan"):
        undo.undo(moderator, entry)


def test_silence_with_an_odd_length_is_refused(client, auth, moderator, customer):
    auth.login(moderator)
    response = client.post(f"/moderation/users/{customer.id}/silence", data={"days": "2"})
    assert response.status_code == 400
    db.session.refresh(customer)
    assert not customer.is_silenced


def test_purged_question_thread_disappears_with_replies_by_others(
    app, moderator, category, customer
):
    spammer = factories.make_user("customer", "spammer2")
    spam_thread = factories.make_thread(spammer, category, "Spam question")
    factories.make_reply(customer, spam_thread, "What is this?")
    accounts.ban(moderator, spammer, purge=True)
    outbox.drain()
    assert db.session.get(Thread, spam_thread.id).status == "removed"
