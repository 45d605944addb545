"""Deleting one's own account at /settings/delete: the row is anonymised, the posts stay."""

import pytest

from forum.api import services as tokens
from forum.extensions import db
from forum.mail import compose
from forum.moderation.models import ModerationAction
from forum.notifications import follows
from forum.notifications.models import Follow, Notification
from forum.threads.models import Post
from forum.users import services as users
from forum.users.models import User
from tests import factories
from tests.pages import text


def delete(client, confirm="carol", password=factories.PASSWORD):
    return client.post("/settings/delete", data={"password": password, "confirm": confirm})


def deletions():
    return db.session.scalars(
        db.select(ModerationAction).where(ModerationAction.action == "delete_account")
    ).all()


def fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_settings_links_to_a_page_that_explains_what_happens(client, auth, customer):
    auth.login(customer)
    assert 'href="/settings/delete">Delete your account…</a>' in text(client.get("/settings"))
    response = client.get("/settings/delete")
    page = text(response)
    assert response.status_code == 200
    assert f"deleted-{customer.id}" in page
    assert "can't be undone" in page
    assert 'name="password"' in page and 'name="confirm"' in page


@pytest.mark.parametrize(
    ("password", "confirm", "message", "field"),
    [
        ("not my password", "carol", "Your password is not correct.", "password"),
        (factories.PASSWORD, "oscar", "Type your username, carol, to confirm.", "confirm"),
        (factories.PASSWORD, "", "Type your username to confirm.", "confirm"),
        ("", "carol", "Enter your current password.", "password"),
    ],
    ids=["wrong password", "wrong name", "no name", "no password"],
)
def test_a_wrong_password_or_confirmation_keeps_the_form_and_changes_nothing(
    client, auth, customer, password, confirm, message, field
):
    auth.login(customer)
    response = delete(client, confirm, password)
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert f'id="{field}-error"' in page
    assert factories.PASSWORD not in page
    user = fresh(customer)
    assert (user.username, user.email, user.deleted_at) == ("carol", "carol@example.com", None)
    assert deletions() == []
    assert "Sign out" in text(client.get("/"))


def test_the_confirmation_ignores_case_and_spaces(client, auth, customer):
    auth.login(customer)
    assert delete(client, confirm="  CAROL ").status_code == 302
    assert fresh(customer).is_deleted


def test_deleting_anonymises_the_account_and_signs_out(client, auth, app, customer, thread):
    follows.follow_category(customer, thread.category)
    db.session.add(compose.account_message(customer, "Hello", "password_reset", link="x"))
    db.session.commit()
    auth.login(customer)
    response = delete(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = text(client.get("/"))
    assert "Your account is deleted and you are signed out." in page
    assert "Sign out" not in page

    user = fresh(customer)
    name = f"deleted-{user.id}"
    assert (user.username, user.username_key) == (name, name)
    assert user.email == f"{name}@deleted.invalid"
    assert user.is_deleted and not user.is_active
    assert not user.check_password(factories.PASSWORD)
    assert user.email_notifications == "never"
    # The asker is no longer following their thread; their category follow is gone.
    assert [(f.thread_id, f.active) for f in db.session.scalars(db.select(Follow))] == [
        (thread.id, False)
    ]
    assert db.session.scalar(db.select(Notification)) is None
    assert db.session.scalar(db.select(compose.MailMessage)) is None
    [entry] = deletions()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (user.id, "user", user.id)
    assert "carol" not in repr((entry.reason, entry.before, entry.after))


def test_the_old_credentials_and_session_no_longer_work(app, client, auth, customer):
    auth.login(customer)
    other_browser = app.test_client()
    assert (
        other_browser.post(
            "/auth/login", data={"username": "carol", "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    delete(client)
    assert "Sign out" not in text(other_browser.get("/"))
    for login in ("carol", "carol@example.com", f"deleted-{customer.id}"):
        response = client.post(
            "/auth/login", data={"username": login, "password": factories.PASSWORD}
        )
        assert response.status_code == 400
        assert "Invalid username or password." in text(response)


def test_api_tokens_are_revoked(client, auth, customer):
    _, secret = tokens.create_token(customer, "CRM")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    auth.login(customer)
    delete(client)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"


def test_posts_stay_visible_under_the_placeholder_name(
    client, auth, customer, other_customer, thread
):
    answer = factories.make_reply(other_customer, thread, "Oscar's answer.")
    reply = factories.make_reply(customer, thread, "Thanks, that worked.")
    auth.login(customer)
    delete(client)
    page = text(client.get(f"/threads/{thread.id}", follow_redirects=True))
    name = f"deleted-{customer.id}"
    assert "How do I restore a deleted file?" in page and "Thanks, that worked." in page
    assert "Oscar's answer." in page
    assert f'href="/u/{name}"' in page
    assert ">carol<" not in page
    assert fresh(customer).id == db.session.get(Post, reply.id).author_id
    profile = text(client.get(f"/u/{name}"))
    assert "This account was deleted by its owner." in profile
    assert client.get("/u/carol").status_code == 404
    assert answer.status == "visible"


def test_held_posts_are_removed(client, auth, customer, newcomer, thread):
    held = factories.make_held_reply(newcomer, thread)
    auth.login(newcomer)
    assert delete(client, confirm="newton").status_code == 302
    assert db.session.get(Post, held.id).status == "deleted"
    assert db.session.get(type(thread), thread.id).status == "visible"


def test_the_old_name_and_address_are_free_again(client, auth, customer):
    auth.login(customer)
    delete(client)
    again = users.create_user("carol", "carol@example.com", "a brand new passphrase")
    assert again.id != customer.id


def register(client, name):
    password = "a brand new passphrase"
    return client.post(
        "/auth/register",
        data={
            "username": name,
            "email": "someone@example.com",
            "password": password,
            "confirm": password,
        },
    )


@pytest.mark.parametrize("name", ["deleted-99", "Deleted_7", "de1eted.3", "deleted-1O"])
def test_nobody_can_register_a_placeholder_name(client, name):
    response = register(client, name)
    assert response.status_code == 400
    assert "That username is reserved; please choose another." in text(response)


@pytest.mark.parametrize("name", ["deleted-user", "deleted-99-2", "deleted_fan", "undeleted-7"])
def test_names_that_merely_start_with_deleted_stay_free(client, name):
    response = register(client, name)
    assert response.status_code == 302
    assert db.session.scalar(db.select(User.username).where(User.username == name)) == name


@pytest.mark.parametrize("role", ["moderator", "staff", "admin"])
def test_the_team_is_told_why_and_refused(client, auth, users, role):
    member = users[role]
    auth.login(member)
    page = text(client.get("/settings/delete"))
    assert "Team accounts (moderators, staff and admins) cannot be deleted here." in page
    assert 'name="confirm"' not in page
    response = delete(client, confirm=member.username)
    assert response.status_code == 403
    assert not fresh(member).is_deleted


def test_a_deleted_account_gets_no_reset_link(client, auth, admin, customer):
    auth.login(customer)
    delete(client)
    with pytest.raises(users.AccountError):
        users.reset_link(admin, fresh(customer))
    auth.login(admin)
    assert "Reset link<span" not in text(client.get("/admin/users?q=deleted"))
