"""Every kind of page in dark mode (and the admin's in light mode too), and the server error
pages, each checked like the journeys' pages: axe, one h1, no horizontal scrolling."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in

PAGES = {
    "visitor": [
        ("home", "/"),
        ("category", "/c/sync-backup"),
        ("thread", "/threads/3"),
        ("search", "/search?q=conflicted+copy"),
        ("search-nothing", "/search?q=qwzzx+frobnicate"),
        ("search-empty", "/search"),
        ("sign-in", "/auth/login"),
        ("forgot-password", "/auth/forgot"),
        ("profile", "/u/jenna_k"),
        ("history", "/posts/5/history"),
        ("not-found", "/no-such-page"),
    ],
    "customer": [
        ("ask", "/threads/new"),
        ("settings", "/settings"),
        ("change-email", "/settings/email"),
        ("delete-account", "/settings/delete"),
        ("notifications", "/notifications"),
        ("forbidden", "/moderation/"),
    ],
    "moderator": [
        ("queue", "/moderation/"),
        ("audit-log", "/moderation/log"),
        ("score", "/moderation/score"),
        ("account", "/moderation/users/5"),
        ("thread-tools", "/threads/3"),
        ("delete-account-team", "/settings/delete"),
    ],
    "admin": [
        ("categories", "/admin/categories"),
        ("users", "/admin/users"),
        ("spam-settings", "/admin/spam"),
        ("spam-rules", "/admin/spam/rules"),
        ("search-log", "/search/log"),
    ],
}
SIGN_IN = {"customer": "jenna_k", "moderator": "mod", "admin": "admin"}
# The journeys see the visitors' and moderators' pages in light mode; the admin's need a pass.
SCHEMES = [(role, "dark") for role in PAGES] + [("admin", "light")]


@pytest.mark.parametrize(("role", "scheme"), SCHEMES, ids=lambda value: value)
def test_pages_pass_axe(visitors, role, scheme):
    visitor = visitors(f"{role}-{scheme}", color_scheme=scheme)
    if role in SIGN_IN:
        sign_in(visitor, SIGN_IN[role])
    for name, path in PAGES[role]:
        visitor.goto(path)
        visitor.check(name)


@pytest.mark.parametrize("code", [500, 503])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_server_error_pages_in_the_site_s_look(visitors, live_app, code, scheme):
    """The page the server sends for these codes, served on a path of the live site."""
    from forum.errors import render_error

    with live_app.test_request_context("/c/sync-backup"):
        body, status = render_error(code)
    visitor = visitors(f"{code}-{scheme}", color_scheme=scheme)
    visitor.page.route(
        "**/broken",
        lambda route: route.fulfill(status=status, body=body, content_type="text/html"),
    )
    page = visitor.goto("/broken")
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    expect(page.get_by_role("link", name="Try again")).to_be_visible()
    visitor.check(f"error-{code}")
