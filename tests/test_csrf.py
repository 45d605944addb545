"""With CSRF protection on, as in production: a form without a valid token changes nothing.

Forms that carry the user's text re-render with it and a message; buttons get the site's 400
page.
"""

import re

import pytest

from forum.auth import recovery
from forum.extensions import db
from forum.mail.models import MailMessage
from forum.moderation.models import ModerationAction
from forum.outbox import OutboxEvent
from forum.threads.models import Post, Thread
from forum.users import email_change
from forum.users.models import User
from tests import factories
from tests.pages import text

EXPIRED = "This form had expired or came from another page. Your text is kept below"
REFUSED = "This form had expired or came from another site."


@pytest.fixture
def config_overrides():
    return {"WTF_CSRF_ENABLED": True}


def token(client, url="/auth/login"):
    """The CSRF token of the form on ``url``, as a browser would submit it."""
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text(client.get(url)))[1]


def sign_in(client, user):
    data = {"username": user.username, "password": factories.PASSWORD}
    response = client.post("/auth/login", data={**data, "csrf_token": token(client)})
    assert response.status_code == 302


def rows(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_login_without_token_is_refused_with_a_message(client, customer):
    response = client.post(
        "/auth/login", data={"username": "carol", "password": factories.PASSWORD}
    )
    page = text(response)
    assert response.status_code == 400
    assert EXPIRED in page
    assert 'value="carol"' in page
    assert "Sign out" not in page


def test_register_without_token_keeps_the_text_and_creates_nobody(client):
    response = client.post(
        "/auth/register",
        data={
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password": "purple otters juggle",
            "confirm": "purple otters juggle",
        },
    )
    page = text(response)
    assert response.status_code == 400
    assert EXPIRED in page
    assert 'value="newcomer"' in page and 'value="newcomer@example.com"' in page
    assert rows(User) == 0


@pytest.mark.parametrize("csrf_token", [None, "forged-token"], ids=["missing", "forged"])
def test_reply_without_valid_token_keeps_the_text_and_writes_nothing(
    client, customer, thread, csrf_token
):
    sign_in(client, customer)
    data = {"body": "My carefully written answer."}
    if csrf_token:
        data["csrf_token"] = csrf_token
    response = client.post(f"/threads/{thread.id}/reply", data=data)
    page = text(response)
    assert response.status_code == 400
    assert EXPIRED in page
    assert "My carefully written answer.</textarea>" in page
    assert rows(Post) == 1
    assert db.session.get(Thread, thread.id).reply_count == 0


def test_reply_with_token_from_an_expired_session_keeps_the_text(app, customer, thread):
    old_browser = app.test_client()
    sign_in(old_browser, customer)
    stale = token(old_browser, f"/threads/{thread.id}/{thread.slug}")
    browser = app.test_client()  # the session cookie is gone; the page's token is stale
    sign_in(browser, customer)
    response = browser.post(
        f"/threads/{thread.id}/reply", data={"body": "Written long ago.", "csrf_token": stale}
    )
    assert response.status_code == 400
    assert EXPIRED in text(response)
    assert "Written long ago.</textarea>" in text(response)
    assert rows(Post) == 1


def test_reply_with_its_token_goes_through(client, customer, thread):
    sign_in(client, customer)
    csrf_token = token(client, f"/threads/{thread.id}/{thread.slug}")
    response = client.post(
        f"/threads/{thread.id}/reply", data={"body": "Works.", "csrf_token": csrf_token}
    )
    assert response.status_code == 302
    assert rows(Post) == 2


def test_new_thread_without_token_keeps_the_text_and_writes_nothing(client, customer, category):
    sign_in(client, customer)
    response = client.post(
        "/threads/new",
        data={"category": category.slug, "title": "Sync is stuck", "body": "Since Monday."},
    )
    page = text(response)
    assert response.status_code == 400
    assert EXPIRED in page
    assert 'value="Sync is stuck"' in page and "Since Monday.</textarea>" in page
    assert f'<option selected value="{category.slug}">' in page
    assert (rows(Thread), rows(Post)) == (0, 0)


def test_edit_without_token_keeps_the_text_and_changes_nothing(client, customer, thread):
    sign_in(client, customer)
    question = db.session.scalar(db.select(Post))
    response = client.post(f"/posts/{question.id}/edit", data={"body": "New words."})
    assert response.status_code == 400
    assert "New words.</textarea>" in text(response)
    db.session.refresh(question)
    assert question.body == "How do I restore a deleted file?"


def test_logout_without_token_is_refused_and_keeps_the_session(client, customer):
    sign_in(client, customer)
    response = client.post("/auth/logout")
    page = text(response)
    assert response.status_code == 400
    assert REFUSED in page
    assert "Go to the home page" in page
    assert client.get("/settings/password").status_code == 200


@pytest.mark.parametrize("csrf_token", [None, "forged-token"], ids=["missing", "forged"])
def test_account_deletion_without_valid_token_deletes_nothing(client, customer, csrf_token):
    sign_in(client, customer)
    data = {"password": factories.PASSWORD, "confirm": "carol"}
    if csrf_token:
        data["csrf_token"] = csrf_token
    response = client.post("/settings/delete", data=data)
    page = text(response)
    assert response.status_code == 400
    assert EXPIRED in page
    assert 'value="carol"' in page and factories.PASSWORD not in page
    db.session.refresh(customer)
    assert (customer.username, customer.deleted_at) == ("carol", None)
    assert client.get("/settings/password").status_code == 200


def test_lock_without_token_is_refused_and_changes_nothing(client, moderator, thread):
    sign_in(client, moderator)
    response = client.post(f"/threads/{thread.id}/lock")
    assert response.status_code == 400
    assert REFUSED in text(response)
    db.session.refresh(thread)
    assert not thread.locked


def test_delete_confirmation_without_token_is_refused_and_deletes_nothing(client, customer, thread):
    sign_in(client, customer)
    question = db.session.scalar(db.select(Post))
    response = client.post(f"/posts/{question.id}/delete")
    assert response.status_code == 400
    assert REFUSED in text(response)
    db.session.refresh(question)
    db.session.refresh(thread)
    assert (question.status, thread.status) == ("visible", "visible")


def test_delete_confirmation_with_its_token_deletes(client, customer, thread):
    sign_in(client, customer)
    question = db.session.scalar(db.select(Post))
    csrf_token = token(client, f"/posts/{question.id}/delete")
    response = client.post(f"/posts/{question.id}/delete", data={"csrf_token": csrf_token})
    assert response.status_code == 302
    db.session.refresh(question)
    assert question.status == "deleted"


def test_admin_actions_without_token_are_refused(client, admin, customer, category):
    sign_in(client, admin)
    for url, data in [
        (f"/admin/users/{customer.id}/role", {"role": "admin"}),
        (f"/admin/categories/{category.id}/delete", {}),
        ("/admin/categories", {"name": "Billing"}),
        (f"/admin/users/{customer.id}/reset-link", {}),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "/auth/reset/" not in text(response)
    assert not db.session.scalar(db.select(ModerationAction).filter_by(action="reset_link"))
    db.session.refresh(customer)
    assert customer.role == "customer"
    assert [c.slug for c in db.session.scalars(db.select(type(category)))] == ["sync-backup"]


def test_asking_for_a_reset_link_without_token_keeps_the_name_and_queues_nothing(
    app, client, customer
):
    app.config["MAIL_SERVER"] = "127.0.0.1"
    response = client.post("/auth/forgot", data={"username": "carol"})
    page = text(response)
    assert response.status_code == 400
    assert EXPIRED in page and 'value="carol"' in page
    assert "Check your email" not in page
    assert rows(MailMessage) == 0 and rows(OutboxEvent) == 0


def test_a_new_password_without_token_is_refused_and_changes_nothing(client, customer):
    path = f"/auth/reset/{recovery.token_for(customer)}"
    new = "seven quiet lanterns"
    response = client.post(path, data={"password": new, "confirm": new})
    assert response.status_code == 400
    assert EXPIRED in text(response)
    db.session.refresh(customer)
    assert customer.check_password(factories.PASSWORD)
    with_token = client.post(
        path, data={"password": new, "confirm": new, "csrf_token": token(client, path)}
    )
    assert with_token.status_code == 302


@pytest.mark.parametrize("link", ["confirm", "undo"])
def test_an_email_change_link_without_token_is_refused_and_changes_nothing(client, customer, link):
    if link == "confirm":
        path = f"/settings/email/confirm/{email_change.token_for(customer, 'new@example.com')}"
    else:
        path = f"/settings/email/undo/{email_change.undo_token_for(customer, 'new@example.com')}"
    response = client.post(path)
    assert response.status_code == 400
    assert REFUSED in text(response)
    assert rows(ModerationAction) == 0
    db.session.refresh(customer)
    assert (customer.email, customer.email_version) == ("carol@example.com", 0)
    assert client.post(path, data={"csrf_token": token(client, path)}).status_code == 302
