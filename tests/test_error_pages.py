"""Error pages look like the rest of the site and offer a way forward, even when the database
is down."""

from flask import abort

from config import TestingConfig
from forum import create_app
from tests.limits import rate_limited_app
from tests.pages import structure_problems, text


def assert_site_page(response, status, heading):
    assert response.status_code == status
    assert response.mimetype == "text/html"
    body = text(response)
    assert f"<h1>{heading}</h1>" in body
    assert 'class="site-header"' in body and "forum.css" in body
    assert "Go to the home page" in body
    assert not structure_problems(body)
    return body


def test_404_offers_search_and_the_home_page(client):
    body = assert_site_page(client.get("/no-such-page"), 404, "Page not found")
    assert 'role="search" aria-label="Search the forum"' in body


def test_403_for_a_signed_in_member_says_not_allowed(client, auth, customer):
    auth.login(customer)
    body = assert_site_page(client.get("/moderation/"), 403, "Not allowed")
    assert ">Sign in</a>" not in body.split("<main")[1]


def test_403_for_a_visitor_offers_sign_in(app, client):
    def members_only():
        abort(403)

    app.add_url_rule("/members-only", "members_only", members_only)
    body = assert_site_page(client.get("/members-only"), 403, "Not allowed")
    assert "/auth/login?next=/members-only" in body.split("<main")[1]


def test_429_offers_to_try_again(tmp_path):
    app = rate_limited_app(tmp_path, SEARCH_RATE_LIMIT="1 per minute")
    client = app.test_client()
    client.get("/search?q=sync")
    body = assert_site_page(client.get("/search?q=sync"), 429, "Slow down")
    assert 'href="/search?q=sync">Try again</a>' in body


def test_500_hides_the_details_and_offers_to_try_again(app, client, auth, customer):
    def broken():
        raise RuntimeError("disk on fire")

    auth.login(customer)
    app.view_functions["categories.index"] = broken
    body = assert_site_page(client.get("/"), 500, "Something went wrong")
    assert "disk on fire" not in body
    assert 'href="/">Try again</a>' in body


def test_503_renders_for_a_signed_in_member_while_the_database_is_down(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'missing-folder' / 'forum.db'}"
        SEARCH_INDEX_DIR = str(tmp_path / "index")

    client = create_app(Config).test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:any-session-token"  # what a signed-in browser sends
    body = assert_site_page(client.get("/"), 503, "Temporarily unavailable")
    assert "Try again" in body
