"""Flags: customers reporting posts, weights, hiding, and what flaggers are told."""

import pytest

from forum import outbox
from forum.extensions import db
from forum.moderation import flags, services
from forum.moderation.flags import FlagError
from forum.moderation.models import Flag, ModerationAction, Notice
from forum.threads.models import Post
from tests import factories
from tests.moderation.conftest import page


@pytest.fixture
def reply(customer, thread):
    return factories.make_reply(customer, thread, "Here is my answer, with some opinions.")


def test_flag_page_works_without_javascript(client, auth, other_customer, reply, thread):
    auth.login(other_customer)
    text = page(client, f"/threads/{thread.id}")
    assert f"/moderation/posts/{reply.id}/flag" in text and "js/flag.js" in text
    form = client.get(f"/moderation/posts/{reply.id}/flag")
    assert form.status_code == 200 and "Rude or offensive" in form.get_data(as_text=True)
    response = client.post(
        f"/moderation/posts/{reply.id}/flag", data={"reason": "off_topic", "note": "not about sync"}
    )
    assert response.status_code == 302
    flag = db.session.scalar(db.select(Flag))
    assert (flag.flagger_id, flag.reason, flag.note) == (
        other_customer.id,
        "off_topic",
        "not about sync",
    )
    db.session.refresh(reply)
    assert reply.open_flags == 1 and reply.status == "visible"
    assert "A moderator will review the post" in page(client, f"/threads/{thread.id}")


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("customer", 403), ("other_customer", 200), ("moderator", 200)]
)
def test_flag_access(client, auth, users, reply, who, status):
    if who:
        auth.login(users[who])
    assert client.get(f"/moderation/posts/{reply.id}/flag").status_code == status


def test_flagging_twice_is_refused_without_double_counting(app, other_customer, reply):
    flags.flag(other_customer, reply, "spam")
    with pytest.raises(flags.AlreadyFlagged, match="already reported"):
        flags.flag(other_customer, reply, "offensive")
    db.session.refresh(reply)
    assert reply.open_flags == 1
    assert db.session.scalar(db.select(db.func.count(Flag.id))) == 1


def test_flagging_twice_through_the_page_shows_the_message(client, auth, other_customer, reply):
    flags.flag(other_customer, reply, "spam")
    auth.login(other_customer)
    response = client.post(
        f"/moderation/posts/{reply.id}/flag", data={"reason": "spam"}, follow_redirects=True
    )
    assert "already reported this post" in response.get_data(as_text=True)


def test_flagging_your_own_post_is_refused(app, customer, reply):
    with pytest.raises(FlagError, match="your own post"):
        flags.flag(customer, reply, "spam")


def test_other_needs_a_note_and_unknown_reasons_are_refused(app, other_customer, reply):
    with pytest.raises(FlagError, match="in a few words"):
        flags.flag(other_customer, reply, "other", "  ")
    with pytest.raises(FlagError, match="Choose why"):
        flags.flag(other_customer, reply, "boring")


def test_other_without_a_note_keeps_the_form_with_the_error_on_the_note(
    client, auth, other_customer, reply
):
    auth.login(other_customer)
    response = client.post(f"/moderation/posts/{reply.id}/flag", data={"reason": "other"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="note-error"' in body and "in a few words" in body
    assert 'aria-describedby="note-error"' in body
    assert '<input checked id="reason-3"' in body  # the choice is kept
    assert db.session.scalar(db.select(db.func.count(Flag.id))) == 0


def test_post_is_hidden_when_flag_weight_passes_the_threshold(app, reply, thread, events):
    flaggers = [factories.make_user("customer", f"flagger{n}") for n in range(3)]
    hidden = [flags.flag(user, reply, "offensive")[1] for user in flaggers]
    assert hidden == [False, False, True]  # 1.0 + 1.0 + 1.0 reaches the default 3.0
    outbox.drain()
    db.session.refresh(reply)
    assert reply.status == "hidden"
    assert ("post.hidden", {"thread_id": thread.id, "post_id": reply.id}) in events
    entry = db.session.scalar(db.select(ModerationAction).where(ModerationAction.action == "hide"))
    assert entry.actor_id is None and "reached 3" in entry.reason
    notice = db.session.scalar(db.select(Notice.text).where(Notice.user_id == reply.author_id))
    assert "hidden after members reported it" in notice


def test_trusted_flaggers_spam_flag_hides_a_new_users_post_at_once(app, newcomer, thread):
    post = factories.make_reply(newcomer, thread, "Hi all, nice forum")
    veteran = factories.make_trusted_user("veteran")
    _, hidden = flags.flag(veteran, post, "spam")
    assert hidden
    assert db.session.get(Post, post.id).status == "hidden"


def test_trusted_flag_on_an_established_users_post_only_queues_it(app, thread):
    established = factories.make_trusted_user("regular")
    post = factories.make_reply(established, thread, "My opinion")
    _, hidden = flags.flag(factories.make_trusted_user("veteran"), post, "spam")
    assert not hidden


def test_flag_weight_grows_with_trust_and_accuracy(app):
    from forum.spam.policy import load_policy

    policy = load_policy()
    newbie, veteran = factories.make_user("customer", "newbie"), factories.make_trusted_user("vet")
    assert flags.flag_weight(newbie, policy) == 1.0
    assert flags.flag_weight(veteran, policy) == 2.0
    veteran.flags_helpful, veteran.flags_declined = 8, 0
    assert flags.flag_weight(veteran, policy) == pytest.approx(3.6)
    newbie.flags_helpful, newbie.flags_declined = 0, 8
    assert flags.flag_weight(newbie, policy) == pytest.approx(0.2)


def test_flaggers_are_told_what_happened_and_accuracy_is_kept(
    app, moderator, customer, other_customer, thread
):
    kept = factories.make_reply(customer, thread, "A fine post")
    gone = factories.make_reply(customer, thread, "A bad post")
    flags.flag(other_customer, kept, "offensive")
    flags.flag(other_customer, gone, "spam")
    services.approve(moderator, kept)
    services.remove(moderator, gone, spam=True)
    texts = db.session.scalars(
        db.select(Notice.text).where(Notice.user_id == other_customer.id).order_by(Notice.id)
    ).all()
    assert "left it up" in texts[0] and "removed it" in texts[1]
    db.session.refresh(other_customer)
    assert (other_customer.flags_helpful, other_customer.flags_declined) == (1, 1)


def test_held_or_hidden_posts_cannot_be_flagged(app, other_customer, held_post):
    with pytest.raises(FlagError, match="already hidden or waiting"):
        flags.flag(other_customer, held_post, "spam")


def test_notices_page_lists_and_marks_read(
    client, auth, moderator, customer, other_customer, thread
):
    post = factories.make_reply(customer, thread, "Something")
    flags.flag(other_customer, post, "spam")
    services.remove(moderator, post, spam=True)
    auth.login(other_customer)
    assert '<span class="badge">1</span>' in page(client, "/")
    text = page(client, "/moderation/notices")  # the old address leads to the notifications
    assert "removed it" in text and "new" in text
    assert '<span class="badge">1</span>' in text, "reading the list marks nothing read"
    assert client.post("/notifications/read").status_code == 302
    assert db.session.scalar(db.select(Notice.read_at).where(Notice.user_id == other_customer.id))
    assert '<span class="badge">1</span>' not in page(client, "/")
