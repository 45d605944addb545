"""The bell, the notifications page, marking read, following, and the email setting."""

import re

from forum import outbox
from forum.extensions import db
from forum.notifications.models import Follow, Notification
from tests import factories
from tests.pages import text
from tests.sql import counted_queries


def bell(client):
    found = re.search(r'class="bell"[^>]*>.*?</a>', text(client.get("/")), re.S)
    return found.group(0)


def test_the_bell_counts_unread_and_the_page_lists_them(
    client, auth, customer, other_customer, thread
):
    factories.make_reply(other_customer, thread, "Have you tried turning it off?")
    auth.login(customer)
    assert '<span class="badge">1</span>' in bell(client)
    page = text(client.get("/notifications"))
    assert f"oscar replied to “{thread.title}”." in page and "Mark all read" in page
    assert '<span class="badge">1</span>' in bell(client), "reading the list marks nothing"


def test_opening_a_notification_marks_it_read_and_goes_to_the_reply(
    client, auth, customer, other_customer, thread
):
    reply = factories.make_reply(other_customer, thread, "Restart it.")
    auth.login(customer)
    line = db.session.scalar(db.select(Notification).filter_by(user_id=customer.id))
    response = client.post(f"/notifications/{line.id}/read", data={"open": "1"})
    assert response.headers["Location"] == f"/posts/{reply.id}"
    db.session.refresh(line)
    assert line.read_at is not None and line.open_key is None
    assert '<span class="badge">' not in bell(client)
    page = text(client.get("/notifications"))
    assert f'<a href="/posts/{reply.id}">oscar replied' in page, "read lines are plain links"


def test_mark_one_read_without_opening_it_and_mark_all_read(
    client, auth, customer, other_customer, staff, category, thread
):
    other = factories.make_thread(customer, category, "Second question of carol")
    factories.make_reply(other_customer, thread, "One.")
    factories.make_reply(staff, other, "Two.")
    auth.login(customer)
    first = db.session.scalar(db.select(Notification).filter_by(user_id=customer.id))
    response = client.post(f"/notifications/{first.id}/read")
    assert response.headers["Location"] == "/notifications"
    assert '<span class="badge">1</span>' in bell(client)
    assert client.post("/notifications/read").status_code == 302
    assert "All notifications are marked read." in text(client.get("/notifications"))
    assert not db.session.scalar(
        db.select(Notification).filter_by(user_id=customer.id, read_at=None)
    )


def test_someone_elses_notification_cannot_be_touched(
    client, auth, customer, other_customer, thread
):
    factories.make_reply(other_customer, thread, "One.")
    outbox.drain()
    line = db.session.scalar(db.select(Notification).filter_by(user_id=customer.id))
    auth.login(other_customer)
    assert client.post(f"/notifications/{line.id}/read").status_code == 404
    db.session.refresh(line)
    assert line.read_at is None


def test_the_page_and_the_bell_read_a_constant_number_of_times(
    client, auth, customer, other_customer, category
):
    helpers = [factories.make_trusted_user() for _ in range(3)]
    for asker, threads in ((customer, 2), (other_customer, 25)):
        for n in range(threads):
            thread = factories.make_thread(asker, category, f"Question {threads}-{n}")
            for helper in helpers[: 1 + n % 3]:
                factories.make_reply(helper, thread, "An answer.")
    outbox.drain()

    def queries(username):
        login = {"username": username, "password": factories.PASSWORD}
        assert client.post("/auth/login", data=login).status_code == 302
        db.session.remove()  # the request starts with an empty session, as in production
        with counted_queries() as statements:
            response = client.get("/notifications")
        assert response.status_code == 200
        return statements, text(response).count('<li class="notification')

    names = customer.username, other_customer.username
    (few, lines_few), (many, lines_many) = queries(names[0]), queries(names[1])
    assert (lines_few, lines_many) == (2, 25)
    assert len(few) == len(many), f"{len(few)} queries for 2 lines, {len(many)} for 25"
    bell_queries = [s for s in many if "count(notifications.id)" in s]
    assert len(bell_queries) == 1, "the bell is one query"


def test_follow_and_unfollow_a_thread_from_its_page(
    client, auth, customer, other_customer, staff, thread
):
    auth.login(other_customer)
    url = f"/threads/{thread.id}/{thread.slug}"
    assert "Follow thread" in text(client.get(url))
    response = client.post(f"/threads/{thread.id}/follow")
    assert response.headers["Location"] == url
    page = text(client.get(url))
    assert "Unfollow thread" in page and "New replies notify you." in page
    factories.make_reply(staff, thread, "Fixed in 4.2.")
    auth.login(other_customer)
    assert '<span class="badge">1</span>' in bell(client)
    client.post(f"/threads/{thread.id}/unfollow")
    assert "Follow thread" in text(client.get(url))
    follow = db.session.scalar(db.select(Follow).filter_by(user_id=other_customer.id))
    assert follow.active is False


def test_visitors_see_no_follow_button_and_cannot_follow(client, thread, category):
    assert "Follow thread" not in text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert "Follow category" not in text(client.get(f"/c/{category.slug}"))
    response = client.post(f"/threads/{thread.id}/follow")
    assert response.headers["Location"].startswith("/auth/login")


def test_a_held_thread_cannot_be_followed_by_others(
    client, auth, newcomer, other_customer, category
):
    from forum.threads import services

    held = services.create_thread(newcomer, category, "Cheap deals", factories.LINKY_BODY)
    auth.login(other_customer)
    assert client.post(f"/threads/{held.id}/follow").status_code == 404


def test_follow_a_category_from_its_page_and_see_it_in_settings(
    client, auth, customer, other_customer, category
):
    auth.login(other_customer)
    response = client.post(f"/c/{category.slug}/follow")
    assert response.headers["Location"] == f"/c/{category.slug}"
    page = text(client.get(f"/c/{category.slug}"))
    assert "Unfollow category" in page and f"You're following {category.name}" in page
    assert category.name in text(client.get("/settings"))
    factories.make_thread(customer, category, "Where are my invoices?")
    auth.login(other_customer)
    assert "New question in Sync & backup: “Where are my invoices?” by carol." in text(
        client.get("/notifications")
    )


def test_the_email_setting_is_saved_and_bad_choices_are_refused(client, auth, customer):
    auth.login(customer)
    page = text(client.get("/settings"))
    assert '<input checked id="email_notifications-0"' in page  # "immediately", the default
    response = client.post("/settings/notifications", data={"email_notifications": "daily"})
    assert response.status_code == 302
    db.session.refresh(customer)
    assert customer.email_notifications == "daily"
    response = client.post("/settings/notifications", data={"email_notifications": "hourly"})
    assert response.status_code == 400
    assert "Not a valid choice" in text(response)
    db.session.refresh(customer)
    assert customer.email_notifications == "daily"
