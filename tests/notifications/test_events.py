"""From outbox events to notifications: who hears about what, and who never does."""

from forum import outbox
from forum.extensions import db
from forum.moderation import accounts, flags
from forum.moderation import services as moderation
from forum.moderation.models import Notice
from forum.notifications import consumer, follows, services
from forum.notifications.models import Follow, Notification
from forum.threads import services as threads
from tests import factories
from tests.notifications.conftest import sentences
from tests.sql import counted_queries


def test_a_reply_notifies_the_asker_and_never_the_replier(customer, other_customer, thread):
    factories.make_reply(other_customer, thread, "Try restarting.")
    assert sentences(customer) == [f"oscar replied to “{thread.title}”."]
    assert sentences(other_customer) == []


def test_replies_gather_on_one_line_until_it_is_read(customer, other_customer, staff, thread):
    first = factories.make_reply(other_customer, thread, "One.")
    factories.make_reply(other_customer, thread, "Two.")
    factories.make_reply(staff, thread, "Three, from support.")
    assert sentences(customer) == [
        f"3 new replies in “{thread.title}”, the latest from stacy. The support team answered."
    ]
    line = db.session.scalar(db.select(Notification).filter_by(user_id=customer.id))
    assert (line.count, line.post_id) == (3, first.id), "it leads to the first unread reply"
    services.mark_read(line)
    factories.make_reply(other_customer, thread, "Four.")
    assert sentences(customer)[0] == f"oscar replied to “{thread.title}”."
    assert len(sentences(customer)) == 2


def test_replying_follows_the_thread_and_a_staff_reply_says_so(
    customer, other_customer, staff, thread
):
    factories.make_reply(other_customer, thread, "Same problem here.")
    factories.make_reply(staff, thread, "A fix is coming.")
    assert sentences(other_customer) == [
        f"stacy from the support team replied to “{thread.title}”."
    ]
    assert follows.is_following_thread(other_customer, thread)


def test_an_explicit_unfollow_sticks_when_replying_again(customer, other_customer, staff, thread):
    factories.make_reply(other_customer, thread, "Same here.")
    outbox.drain()
    follows.follow_thread(other_customer, thread, active=False)
    follows.follow_thread(customer, thread, active=False)  # even the asker may stop
    factories.make_reply(other_customer, thread, "Still broken.")
    factories.make_reply(staff, thread, "Fixed now.")
    assert sentences(other_customer) == []
    assert [n for n in sentences(customer) if "stacy" in n] == []
    assert not follows.is_following_thread(other_customer, thread)


def test_a_held_reply_tells_its_author_and_is_announced_only_once_approved(
    customer, newcomer, moderator, thread
):
    held = factories.make_held_reply(newcomer, thread)
    assert sentences(customer) == [], "nobody hears of a post they cannot see"
    [waiting] = sentences(newcomer)
    assert waiting.startswith(f"Your post in “{thread.title}” is waiting for a moderator's review")
    assert "links" in waiting
    moderation.approve(moderator, held)
    assert sentences(customer) == [f"newton replied to “{thread.title}”."]
    # The author's line about the post is updated, not doubled.
    assert sentences(newcomer) == [f"Your post in “{thread.title}” was approved and is now public."]


def test_held_and_approved_before_delivery_is_announced_once(customer, newcomer, moderator, thread):
    held = factories.make_held_reply(newcomer, thread)
    moderation.approve(moderator, held)  # both events wait in one batch
    assert sentences(customer) == [f"newton replied to “{thread.title}”."]
    line = db.session.scalar(db.select(Notification).filter_by(user_id=customer.id))
    assert line.count == 1


def test_a_removed_post_notice_gives_the_reason_and_no_link(newcomer, moderator, thread):
    held = factories.make_held_reply(newcomer, thread)
    moderation.remove(moderator, held, spam=True, reason="link farm")
    assert sentences(newcomer) == [
        f"Your post in “{thread.title}” was removed as spam. Reason: link farm"
    ]
    notice = db.session.scalar(db.select(Notice).filter_by(user_id=newcomer.id))
    assert notice.post_id is None and notice.target()[0] == "threads.detail"


def test_a_ban_with_purge_sends_no_removal_notices(newcomer, moderator, thread):
    factories.make_held_reply(newcomer, thread)
    outbox.drain()
    accounts.ban(moderator, newcomer, purge=True)
    outbox.drain()
    assert not db.session.scalar(
        db.select(Notice).filter(Notice.user_id == newcomer.id, Notice.text.contains("removed"))
    )


def test_a_reply_hidden_later_leaves_the_askers_bell(customer, other_customer, thread):
    reply = factories.make_reply(other_customer, thread, "Visit my site")
    outbox.drain()
    assert services.unread_count(customer) == 1
    for n in range(3):
        flags.flag(factories.make_user("customer", f"reporter{n}"), reply, "spam")
    assert sentences(customer) == []
    assert services.unread_count(customer) == 0
    assert sentences(other_customer)[0].endswith(
        "was hidden after members reported it. A moderator will review it."
    )


def test_category_followers_hear_of_new_questions_but_not_held_ones(
    customer, other_customer, newcomer, moderator, category
):
    follows.follow_category(other_customer, category)
    first = factories.make_thread(customer, category, "Backups stopped on Monday")
    assert sentences(other_customer) == [
        f"New question in {category.name}: “{first.title}” by carol."
    ]
    held = threads.create_thread(newcomer, category, "Cheap deals", factories.LINKY_BODY)
    assert held.status == "held"
    assert len(sentences(other_customer)) == 1 and "2 new" not in sentences(other_customer)[0]
    moderation.approve(moderator, held.question)
    assert sentences(other_customer) == [f"2 new questions in {category.name}."]
    assert sentences(customer) == [], "the asker is not told of their own question"


def test_accepting_an_answer_notifies_the_answerer_and_the_asker(
    customer, other_customer, staff, thread
):
    answer = factories.make_reply(other_customer, thread, "Restart the computer.")
    outbox.drain()
    threads.accept_answer(staff, answer)
    assert sentences(other_customer)[0] == (
        f"Your reply in “{thread.title}” was marked as the accepted answer by stacy."
    )
    assert sentences(customer)[0] == f"Your question “{thread.title}” has an accepted answer."


def test_an_answer_unmarked_before_delivery_notifies_nobody(
    customer, other_customer, staff, thread
):
    answer = factories.make_reply(other_customer, thread, "Restart the computer.")
    outbox.drain()
    threads.accept_answer(staff, answer)
    threads.unaccept_answer(staff, answer.thread)
    assert sentences(other_customer) == []


def test_banned_members_get_nothing(customer, other_customer, moderator, thread):
    accounts.ban(moderator, customer)
    factories.make_reply(other_customer, thread, "Hello?")
    outbox.drain()
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_asking_follows_the_thread(customer, category):
    thread = factories.make_thread(customer, category, "How do I pause sync?")
    outbox.drain()
    follow = db.session.scalar(db.select(Follow).filter_by(user_id=customer.id))
    assert (follow.thread_id, follow.active) == (thread.id, True)


def consumer_queries(category, helpers, replies):
    """Queries the consumer spends on a batch of ``replies`` replies by ``helpers``."""
    outbox.drain()
    asker = factories.make_user("customer")
    thread = factories.make_thread(asker, category, f"Question with {replies} replies")
    for n in range(replies):
        factories.make_reply(helpers[n % len(helpers)], thread, f"Reply {n}.")
    events = outbox.claim(1000)
    db.session.expire_all()  # nothing read from the session's memory instead of the database
    for outbox_event in events:
        outbox_event.payload  # noqa: B018  (the claimed events themselves are loaded)
    with counted_queries() as statements:
        consumer.apply_events(events)
        db.session.flush()
    db.session.rollback()
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_a_batch_costs_the_same_queries_whatever_its_size(app, category):
    helpers = [factories.make_trusted_user() for _ in range(6)]
    assert consumer_queries(category, helpers, 2) == consumer_queries(category, helpers, 20)


def test_a_line_whose_first_new_reply_was_hidden_leads_to_the_thread(
    customer, other_customer, staff, moderator, thread
):
    first = factories.make_reply(other_customer, thread, "First, soon removed.")
    factories.make_reply(staff, thread, "Second.")
    outbox.drain()
    moderation.remove(moderator, first, version=first.review_version)
    [line] = db.session.scalars(services.listing(customer)).all()
    assert line.sentence.startswith("2 new replies")
    assert line.target() == ("threads.detail", {"id": thread.id, "slug": thread.slug})
