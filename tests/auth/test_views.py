import pytest

from forum.extensions import db
from forum.users.models import User
from tests import factories
from tests.pages import parse, text

NEW_PASSWORD = "purple otters juggle"
FAILED = "Invalid username or password."


def register(client, url="/auth/register", **fields):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    data.update(fields)
    return client.post(url, data=data)


def user_count():
    return db.session.scalar(db.select(db.func.count(User.id)))


def signed_in_as(client):
    """The username the header shows, or None when nobody is signed in."""
    page = client.get("/").get_data(as_text=True)
    if "Sign out" not in page:
        return None
    return page.split('class="account-nav">', 1)[1].split("</a>", 2)[1].rsplit(">", 1)[1]


def test_login_page_shows_the_form(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert "Username or email" in response.get_data(as_text=True)


def test_login_with_username_signs_in_and_goes_home(client, customer):
    response = client.post(
        "/auth/login", data={"username": "carol", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome back, carol." in client.get("/").get_data(as_text=True)
    assert signed_in_as(client) == "carol"


def test_login_accepts_email_and_any_letter_case(client, customer):
    response = client.post(
        "/auth/login", data={"username": "CAROL@Example.com", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in_as(client) == "carol"


@pytest.mark.parametrize(
    ("username", "password"),
    [("carol", "wrong password here"), ("nobody", factories.PASSWORD), ("carol", "")],
    ids=["wrong password", "unknown user", "empty password"],
)
def test_login_failure_says_nothing_about_which_part_was_wrong(
    client, customer, username, password
):
    response = client.post("/auth/login", data={"username": username, "password": password})
    page = text(response)
    assert response.status_code == 400
    if password:
        assert FAILED in page
    else:
        assert "Enter your password." in page
    assert f'value="{username}"' in page
    assert signed_in_as(client) is None


def test_login_failure_message_is_identical_for_unknown_user_and_wrong_password(client, customer):
    wrong = client.post("/auth/login", data={"username": "carol", "password": "not it at all"})
    unknown = client.post("/auth/login", data={"username": "zed", "password": "not it at all"})
    assert wrong.get_data(as_text=True).replace("carol", "zed") == unknown.get_data(as_text=True)


def test_banned_user_cannot_sign_in(client, customer):
    customer.is_banned = True
    db.session.commit()
    response = client.post(
        "/auth/login", data={"username": "carol", "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert "This account has been suspended." in response.get_data(as_text=True)
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "target", ["/threads/new", "/c/billing?page=2", "/u/carol#recent"], ids=str
)
def test_login_follows_next_on_this_site(client, customer, target):
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "carol", "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
        "/\r\nSet-Cookie: x=1",
        "/\tevil",
    ],
    ids=repr,
)
def test_login_ignores_next_pointing_off_site(client, customer, target):
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "carol", "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_anonymous_visitor_is_sent_back_after_signing_in(client, customer):
    response = client.get("/threads/new")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/auth/login?next=")
    response = client.post(login_url, data={"username": "carol", "password": factories.PASSWORD})
    assert response.headers["Location"] == "/threads/new"


def test_login_starts_a_fresh_session(client, customer):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/auth/login", data={"username": "carol", "password": factories.PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_signs_out(client, auth, customer):
    auth.login(customer)
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in_as(client) is None
    assert client.get("/settings/password").status_code == 302


def test_logout_by_get_is_refused(client, auth, customer):
    auth.login(customer)
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert signed_in_as(client) == "carol"


def test_register_creates_account_and_signs_in(client, app):
    response = register(client, email="NewComer@Example.COM")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.scalar(db.select(User).where(User.username == "newcomer"))
    assert user.email == "newcomer@example.com"
    assert user.role == "customer"
    assert user.check_password(NEW_PASSWORD)
    assert user.password_hash != NEW_PASSWORD
    assert signed_in_as(client) == "newcomer"


def test_register_follows_safe_next_only(client, app):
    response = register(client, url="/auth/register?next=/threads/new")
    assert response.headers["Location"] == "/threads/new"
    client.post("/auth/logout")
    response = register(
        client,
        url="/auth/register?next=https://evil.example/",
        username="second",
        email="second@example.com",
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": ""}, "username", "Choose a username."),
        ({"username": "ab"}, "username", "Username must be 3 to 30 characters long."),
        ({"username": "a" * 31}, "username", "Username must be 3 to 30 characters long."),
        ({"username": "new comer"}, "username", "may contain only letters, digits"),
        ({"username": "_newcomer"}, "username", "must start with a letter or digit"),
        ({"username": "Support"}, "username", "That username is reserved"),
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-email"}, "email", "That doesn't look like an email address."),
        ({"email": "a" * 250 + "@example.com"}, "email", "That email address is too long."),
        ({"password": "", "confirm": ""}, "password", "Choose a password."),
        ({"password": "short", "confirm": "short"}, "password", "at least 10 characters"),
        ({"password": "x" * 201, "confirm": "x" * 201}, "password", "at most 200 characters"),
        ({"password": "password123", "confirm": "password123"}, "password", "too easy to guess"),
        ({"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"}, "password", "too easy to guess"),
        (
            {"password": "newcomer rocks", "confirm": "newcomer rocks"},
            "password",
            "must not contain your username",
        ),
        ({"confirm": "something else entirely"}, "confirm", "The two passwords differ."),
        ({"confirm": ""}, "confirm", "Repeat your password."),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_register_refuses_bad_input_with_a_message_and_keeps_the_text(
    client, app, fields, field, message
):
    response = register(client, **fields)
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert f'id="{field}-error"' in page
    if "username" not in fields:
        assert 'value="newcomer"' in page
    if "email" not in fields:
        assert 'value="newcomer@example.com"' in page
    assert NEW_PASSWORD not in page  # passwords are never echoed back
    assert user_count() == 0
    assert signed_in_as(client) is None


@pytest.mark.parametrize("username", ["carol", "CAROL", "Carol"])
def test_register_refuses_a_taken_username_in_any_case(client, customer, username):
    response = register(client, username=username)
    assert response.status_code == 400
    assert "That username is already taken." in response.get_data(as_text=True)
    assert user_count() == 1


@pytest.mark.parametrize("email", ["carol@example.com", "Carol@EXAMPLE.com"])
def test_register_refuses_a_taken_email_in_any_case(client, customer, email):
    response = register(client, email=email)
    page = text(response)
    assert response.status_code == 400
    assert "An account with that email address already exists." in page
    assert 'value="newcomer"' in page
    assert user_count() == 1


def blind_once(check):
    """``check`` that misses on its first call, as when another sign-up commits just after it."""
    calls = []

    def blind(value):
        calls.append(value)
        return None if len(calls) == 1 else check(value)

    return blind


@pytest.mark.parametrize(
    ("checks", "fields", "message"),
    [
        (
            ("get_by_username", "looks_taken"),
            {"username": "Carol"},
            "That username is already taken.",
        ),
        (
            ("email_in_use",),
            {"email": "carol@example.com"},
            "An account with that email address already exists.",
        ),
    ],
    ids=["username", "email"],
)
def test_register_race_for_the_same_account_is_a_message_not_an_error(
    client, customer, monkeypatch, checks, fields, message
):
    from forum.users import services

    for check in checks:
        monkeypatch.setattr(services, check, blind_once(getattr(services, check)))
    response = register(client, **fields)
    assert response.status_code == 400
    assert message in text(response)
    assert user_count() == 1


def test_register_names_every_problem_at_once_and_keeps_the_text(client, app):
    response = register(
        client, username="ab", email="not-an-email", password="short", confirm="other"
    )
    page = text(response)
    assert response.status_code == 400
    for field, message in [
        ("username", "Username must be 3 to 30 characters long."),
        ("email", "That doesn't look like an email address."),
        ("password", "Password must be at least 10 characters long."),
        ("confirm", "The two passwords differ."),
    ]:
        error = page.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
        assert message in error
    assert 'value="ab"' in page and 'value="not-an-email"' in page
    assert 'value="short"' not in page and 'value="other"' not in page
    assert user_count() == 0


def test_register_names_a_taken_name_a_taken_email_and_a_weak_password_together(client, customer):
    response = register(
        client,
        username="Carol",
        email="CAROL@example.com",
        password="password123",
        confirm="password123",
    )
    page = text(response)
    assert response.status_code == 400
    assert "That username is already taken." in page
    assert "An account with that email address already exists." in page
    assert "That password is too easy to guess; please choose another." in page
    assert 'value="Carol"' in page and 'value="CAROL@example.com"' in page
    assert user_count() == 1


def test_register_refuses_a_password_with_the_name_even_when_the_name_is_also_wrong(client, app):
    response = register(
        client, username="Support", password="support is great", confirm="support is great"
    )
    page = text(response)
    assert "That username is reserved" in page
    assert "Password must not contain your username." in page


def autocomplete(response, name):
    """The autocomplete hint of the input called ``name``."""
    document = parse(response.get_data(as_text=True))
    [field] = [e for e in document.iter("input") if e.get("name") == name]
    return field.get("autocomplete")


def test_sign_in_and_register_forms_tell_browsers_what_to_fill_in(client, auth, customer):
    login = client.get("/auth/login")
    assert autocomplete(login, "username") == "username"
    assert autocomplete(login, "password") == "current-password"
    registration = client.get("/auth/register")
    assert autocomplete(registration, "username") == "username"
    assert autocomplete(registration, "email") == "email"
    assert autocomplete(registration, "password") == "new-password"
    assert autocomplete(registration, "confirm") == "new-password"
    auth.login(customer)
    change = client.get("/settings/password")
    assert autocomplete(change, "current") == "current-password"
    assert autocomplete(change, "password") == "new-password"
    assert autocomplete(change, "confirm") == "new-password"


def test_sign_in_page_links_to_the_forgotten_password_page(client):
    page = text(client.get("/auth/login"))
    assert '<a href="/auth/forgot">Forgot your password?</a>' in page
