from forum.extensions import db
from forum.threads import services as threads
from forum.threads.models import Post
from tests import factories
from tests.pages import text

NEW_PASSWORD = "seven quiet lanterns"


def change_password(client, current=factories.PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/settings/password",
        data={"current": current, "password": new, "confirm": new if confirm is None else confirm},
    )


def test_profile_shows_name_join_date_post_count_and_recent_posts(client, customer, thread):
    factories.make_reply(customer, thread, "A follow-up from carol.")
    response = client.get("/u/carol")
    page = text(response)
    assert response.status_code == 200
    assert "<h1>carol" in page
    assert customer.created_at.strftime("%-d %B %Y") in page
    assert "<dt>Posts</dt><dd>2</dd>" in page
    assert page.count("Sync stops at 99 percent") == 2
    assert "asked" in page and "replied" in page


def test_profile_never_shows_the_email(client, auth, customer, thread, admin):
    for viewer in (None, customer, admin):
        if viewer:
            auth.login(viewer)
        page = text(client.get("/u/carol"))
        assert "carol@example.com" not in page
        assert "@example.com" not in page
        auth.logout()


def test_the_team_reaches_an_accounts_moderation_page_from_its_profile(
    client, auth, customer, other_customer, moderator
):
    link = f'href="/moderation/users/{customer.id}">Moderate this account</a>'
    for viewer in (None, other_customer):
        if viewer:
            auth.login(viewer)
        assert link not in text(client.get("/u/carol"))
    auth.login(moderator)
    assert link in text(client.get("/u/carol"))
    assert "Moderate this account" not in text(client.get(f"/u/{moderator.username}"))
    customer.is_banned = True
    db.session.commit()
    page = text(client.get("/u/carol"))
    assert ">Banned</span>" in page and link in page
    assert client.get(f"/moderation/users/{customer.id}").status_code == 200


def test_profile_leaves_out_deleted_posts_and_threads(client, customer, other_customer, thread):
    reply = factories.make_reply(customer, thread, "Never mind.")
    threads.delete_post(customer, reply)
    gone = factories.make_thread(customer, thread.category, "A question carol deleted")
    threads.delete_post(customer, db.session.scalar(db.select(Post).filter_by(thread_id=gone.id)))
    page = text(client.get("/u/carol"))
    assert "<dt>Posts</dt><dd>1</dd>" in page
    assert "Never mind." not in page
    assert "A question carol deleted" not in page


def test_profile_of_user_without_posts_says_so(client, customer):
    page = text(client.get("/u/carol"))
    assert "<dt>Posts</dt><dd>0</dd>" in page
    assert "No public posts yet." in page


def test_profile_address_is_case_insensitive_and_redirects_to_the_real_name(client, customer):
    response = client.get("/u/CAROL")
    assert response.status_code == 301
    assert response.headers["Location"] == "/u/carol"


def test_profile_of_unknown_user_is_a_site_styled_404(client):
    response = client.get("/u/nobody-here")
    assert response.status_code == 404
    page = text(response)
    assert "Page not found" in page
    assert "Go to the home page" in page


def test_staff_profile_carries_the_staff_badge(client, staff):
    assert '<span class="badge role-staff">Staff</span>' in text(client.get("/u/stacy"))


def test_change_password_replaces_the_old_one(client, auth, customer):
    auth.login(customer)
    response = change_password(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings/password"
    assert "Your password is changed." in text(client.get("/settings/password"))
    auth.logout()
    failed = client.post("/auth/login", data={"username": "carol", "password": factories.PASSWORD})
    assert failed.status_code == 400
    auth.login(customer, password=NEW_PASSWORD)


def test_change_password_signs_out_other_sessions_but_not_this_one(app, auth, customer):
    elsewhere = app.test_client()
    elsewhere.post("/auth/login", data={"username": "carol", "password": factories.PASSWORD})
    assert elsewhere.get("/settings/password").status_code == 200
    auth.login(customer)
    change_password(auth.client)
    assert auth.client.get("/settings/password").status_code == 200
    response = elsewhere.get("/settings/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_change_password_with_wrong_current_password_is_refused(client, auth, customer):
    auth.login(customer)
    response = change_password(client, current="not my password")
    assert response.status_code == 400
    assert "Your current password is not correct." in text(response)
    db.session.refresh(customer)
    assert customer.check_password(factories.PASSWORD)


def test_change_password_refuses_a_weak_new_password(client, auth, customer):
    auth.login(customer)
    response = change_password(client, new="qwerty123")
    page = text(response)
    assert response.status_code == 400
    assert "Password must be at least 10 characters long." in page
    response = change_password(client, new="carol is great")
    assert "Password must not contain your username." in text(response)
    db.session.refresh(customer)
    assert customer.check_password(factories.PASSWORD)


def test_change_password_refuses_a_mismatched_confirmation(client, auth, customer):
    auth.login(customer)
    response = change_password(client, confirm="something different")
    assert response.status_code == 400
    assert "The two passwords differ." in text(response)
    db.session.refresh(customer)
    assert customer.check_password(factories.PASSWORD)


def test_change_password_refuses_the_current_password_as_the_new_one(client, auth, customer):
    auth.login(customer)
    token = customer.session_token
    response = change_password(client, new=factories.PASSWORD)
    page = text(response)
    assert response.status_code == 400
    assert "Your new password is the same as your current one; choose a different one." in page
    assert 'id="password-error"' in page
    db.session.refresh(customer)
    assert customer.check_password(factories.PASSWORD)
    assert customer.session_token == token, "no session was signed out"
