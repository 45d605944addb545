"""The review queue and the decisions taken from it, through the pages and the services."""

import pytest

from forum.extensions import db
from forum.moderation import services
from forum.moderation.errors import AlreadyResolved, ModerationError
from forum.moderation.models import ModerationAction, Notice
from forum.spam import classifier
from tests import factories
from tests.moderation.conftest import page

QUEUE_ROUTES = [
    ("get", "/moderation/"),
    ("get", "/moderation/log"),
    ("get", "/moderation/score"),
    ("post", "/moderation/posts/{id}/approve"),
    ("post", "/moderation/posts/{id}/spam"),
    ("post", "/moderation/bulk"),
]


@pytest.mark.parametrize(("method", "path"), QUEUE_ROUTES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("customer", 403),
        ("other_customer", 403),
        ("moderator", None),
        ("staff", None),
        ("admin", None),
    ],
)
def test_queue_access(client, auth, users, held_post, method, path, who, status):
    if who:
        auth.login(users[who])
    response = getattr(client, method)(path.format(id=held_post.id))
    if status is None:
        assert response.status_code in (200, 302)
        assert "/auth/login" not in response.headers.get("Location", "")
    else:
        assert response.status_code == status
    if status == 302:
        assert "/auth/login" in response.headers["Location"]


def test_queue_lists_held_and_flagged_posts_with_reasons_and_history(
    client, auth, moderator, held_post, customer, other_customer, thread
):
    from forum.moderation import flags

    flagged = factories.make_reply(customer, thread, "A rude but visible reply")
    flags.flag(other_customer, flagged, "offensive", "insults people")
    auth.login(moderator)
    text = page(client, "/moderation/")
    assert text.index("cheap-deals") < text.index("A rude but visible reply")  # by score
    assert "links.cap" in text and "3 link(s) to cheap-deals.example.net" in text
    assert "Rude or offensive" in text and "insults people" in text and "oscar" in text
    assert "trust new" in text and "posts: 1 held" in text
    assert 'data-key="a"' in text and "js/queue.js" in text
    assert "A rude" not in page(client, "/moderation/?kind=held")
    assert "cheap-deals" not in page(client, "/moderation/?kind=flagged")


def test_approve_from_the_queue_publishes_trains_and_notifies(
    client, auth, moderator, held_post, thread, events
):
    auth.login(moderator)
    response = client.post(
        f"/moderation/posts/{held_post.id}/approve",
        data={"version": held_post.review_version, "reason": "looks fine"},
    )
    assert response.status_code == 302
    db.session.refresh(held_post)
    assert held_post.status == "visible" and held_post.trained_as == "ham"
    assert classifier.totals().ham_docs == 1
    assert held_post.thread.reply_count == 1
    assert ("post.approved", {"thread_id": thread.id, "post_id": held_post.id}) in events
    notice = db.session.scalar(db.select(Notice).where(Notice.user_id == held_post.author_id))
    assert "was approved" in notice.text
    auth.logout()
    assert "cheap-deals" in page(client, f"/threads/{thread.id}")


def test_remove_as_spam_from_the_queue(client, auth, moderator, held_post, events):
    auth.login(moderator)
    client.post(f"/moderation/posts/{held_post.id}/spam", data={"reason": "link spam"})
    db.session.refresh(held_post)
    assert held_post.status == "removed" and held_post.trained_as == "spam"
    entry = db.session.scalar(
        db.select(ModerationAction).where(ModerationAction.action == "remove")
    )
    assert (entry.actor_id, entry.reason) == (moderator.id, "link spam")
    assert entry.before["status"] == "held" and entry.after == {
        "status": "removed",
        "spam": True,
        "flags": [],
        "version": held_post.review_version,
    }
    assert any(topic == "post.removed" for topic, _ in events)
    notice = db.session.scalar(db.select(Notice).where(Notice.user_id == held_post.author_id))
    assert "removed as spam" in notice.text and "link spam" in notice.text


def test_remove_not_spam_does_not_train(client, auth, moderator, held_post):
    auth.login(moderator)
    client.post(f"/moderation/posts/{held_post.id}/remove")
    db.session.refresh(held_post)
    assert held_post.status == "removed" and held_post.trained_as is None


def test_second_moderator_is_told_the_item_was_already_resolved(
    client, auth, moderator, staff, held_post
):
    seen_version = held_post.review_version
    services.approve(staff, held_post)
    auth.login(moderator)
    response = client.post(
        f"/moderation/posts/{held_post.id}/spam",
        data={"version": seen_version},
        follow_redirects=True,
    )
    assert "Already handled: stacy did “approve” on this post." in response.get_data(as_text=True)
    db.session.refresh(held_post)
    assert held_post.status == "visible" and held_post.trained_as == "ham"
    assert classifier.totals().spam_docs == 0


def test_deciding_twice_through_the_service_is_refused_without_double_counting(
    app, moderator, held_post
):
    services.remove(moderator, held_post, spam=True)
    with pytest.raises(AlreadyResolved):
        services.remove(moderator, held_post, spam=True)
    with pytest.raises(AlreadyResolved):
        services.approve(moderator, held_post)
    assert classifier.totals().spam_docs == 1


def test_approving_a_post_that_is_not_waiting_is_refused(app, moderator, customer, thread):
    post = factories.make_reply(customer, thread)
    with pytest.raises(ModerationError):
        services.approve(moderator, post, version=post.review_version)


def test_bulk_actions_apply_to_the_selection_and_skip_resolved_ones(
    client, auth, moderator, thread
):
    posts = [
        factories.make_held_reply(factories.make_user("customer", f"bulk{n}"), thread)
        for n in range(3)
    ]
    services.approve(moderator, posts[0])
    auth.login(moderator)
    response = client.post(
        "/moderation/bulk",
        data={"action": "spam", "post": [str(p.id) for p in posts]},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "2 post(s) done." in text and f"Post #{posts[0].id}: Already handled" in text
    statuses = [db.session.get(type(p), p.id).status for p in posts]
    assert statuses == ["visible", "removed", "removed"]


def test_bulk_without_a_selection_is_refused(client, auth, moderator):
    auth.login(moderator)
    response = client.post("/moderation/bulk", data={"action": "spam"}, follow_redirects=True)
    assert "Select at least one post" in response.get_data(as_text=True)


def test_remove_as_spam_from_the_thread_page_after_confirming(
    client, auth, moderator, customer, thread
):
    post = factories.make_reply(customer, thread, "Visit my shop for cheap stuff")
    auth.login(moderator)
    text = page(client, f"/threads/{thread.id}")
    confirm = f"/moderation/posts/{post.id}/spam?next=/threads/{thread.id}/{thread.slug}"
    assert f'href="{confirm}"' in text.replace("&amp;", "&")
    text = page(client, confirm)
    assert "Remove as spam: reply by carol?" in text
    assert "Visit my shop for cheap stuff" in text
    db.session.refresh(post)
    assert post.status == "visible"  # the link only asks
    response = client.post(confirm, data={"version": post.review_version, "reason": "An advert"})
    assert response.headers["Location"] == f"/threads/{thread.id}/{thread.slug}"
    db.session.refresh(post)
    assert post.status == "removed"


def test_confirmation_page_never_leads_off_site(client, auth, moderator, customer, thread):
    post = factories.make_reply(customer, thread, "Visit my shop")
    auth.login(moderator)
    text = page(client, f"/moderation/posts/{post.id}/spam?next=//evil.example/x")
    assert "evil.example" not in text


def test_keeping_a_reported_post_says_the_reports_are_dismissed(
    client, auth, moderator, customer, other_customer, thread
):
    from forum.moderation import flags

    reply = factories.make_reply(customer, thread, "Here is my answer, with some opinions.")
    flags.flag(other_customer, reply, "spam")
    auth.login(moderator)
    queue = page(client, "/moderation/?kind=flagged")
    assert "Keep, dismiss reports</button>" in queue
    response = client.post(
        f"/moderation/posts/{reply.id}/approve", data={"version": reply.review_version}
    )
    assert response.status_code == 302
    text = page(client, "/moderation/")
    assert "Dismissed the reports on the post by" in text and "it stays up." in text
    db.session.refresh(reply)
    assert reply.status == "visible" and reply.open_flags == 0


def test_score_page_shows_the_verdict(client, auth, moderator):
    auth.login(moderator)
    response = client.post(
        "/moderation/score",
        data={"text": "Call 1-8OO-555-O199 for casino bonus", "username": "x", "posts": 0},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Verdict: hold" in text and "contact.phone" in text
    assert client.post("/moderation/score", data={"text": ""}).status_code == 400


def test_two_moderators_acting_at_once_one_wins_and_the_other_is_told(
    app, held_post, moderator, staff
):
    import threading

    clients = []
    for user in (moderator, staff):
        client = app.test_client()
        client.post("/auth/login", data={"username": user.username, "password": factories.PASSWORD})
        clients.append(client)
    start, results, post_id = threading.Barrier(2), {}, held_post.id
    # Requests in this thread share the test's session; end its transaction so that only the
    # two moderators' requests compete for the database.
    db.session.rollback()

    def act(client, action):
        start.wait()
        response = client.post(f"/moderation/posts/{post_id}/{action}", follow_redirects=True)
        results[action] = response.get_data(as_text=True)

    workers = [
        threading.Thread(target=act, args=(clients[0], "approve")),
        threading.Thread(target=act, args=(clients[1], "spam")),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    told = [action for action, text in results.items() if "Already handled" in text]
    assert len(told) == 1
    db.session.expire_all()
    post = db.session.get(type(held_post), held_post.id)
    assert post.status == ("removed" if told == ["approve"] else "visible")
    decisions = db.session.scalar(
        db.select(db.func.count(ModerationAction.id)).where(
            ModerationAction.action.in_(("approve", "remove"))
        )
    )
    totals = classifier.totals()
    assert decisions == 1 and totals.spam_docs + totals.ham_docs == 1
