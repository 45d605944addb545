"""Every route of the URL map × every role, for GET and for POST.

The cases come from ``app.url_map``: a route added without a row in EXPECTED fails here, so
nobody can add a page or an action without deciding who may use it.
"""

import html5lib
import pytest

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from tests.routes import (
    ROLES,
    ROUTE_CASES,
    api_headers,
    build_url,
    form_data,
    route_cases,
    signed_in_client,
)

LOGIN = "login"  # 302 to the sign-in page


def row(*statuses):
    """Expected statuses in ROLES order; a single value means every role."""
    if len(statuses) == 1:
        statuses *= len(ROLES)
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


EVERYONE_200 = row(200)
MEMBERS_200 = row(LOGIN, 200, 200, 200, 200, 200)
MEMBERS_302 = row(LOGIN, 302, 302, 302, 302, 302)
AUTHOR_AND_TEAM_200 = row(LOGIN, 200, 403, 200, 200, 200)
AUTHOR_AND_TEAM_302 = row(LOGIN, 302, 403, 302, 302, 302)
TEAM_200 = row(LOGIN, 403, 403, 200, 200, 200)
TEAM_302 = row(LOGIN, 403, 403, 302, 302, 302)
STAFF_200 = row(LOGIN, 403, 403, 403, 200, 200)
STAFF_302 = row(LOGIN, 403, 403, 403, 302, 302)
ADMIN_200 = row(LOGIN, 403, 403, 403, 403, 200)
ADMIN_302 = row(LOGIN, 403, 403, 403, 403, 302)
NOT_ALLOWED = row(405)
API_TEAM_200 = row(401, 403, 403, 200, 200, 200)
# Pages where a signed-in user sees their own email address; the email change links show the
# old and new addresses to whoever holds them (they came to those mailboxes).
SHOWS_OWN_EMAIL = {"api.me", "users.email", "users.confirm_email", "users.undo_email"}
# GET /threads/1/lock reads "lock" as a wrong slug and redirects to the thread: no action runs.
SLUG_REDIRECT = row(301)

# (rule, method) -> role -> status. The thread and the reply belong to "customer" (carol).
EXPECTED = {
    ("/", "GET"): EVERYONE_200,
    ("/healthz", "GET"): EVERYONE_200,
    ("/static/<path:filename>", "GET"): EVERYONE_200,
    ("/c/<slug>", "GET"): EVERYONE_200,
    ("/u/<username>", "GET"): EVERYONE_200,
    ("/threads/<int:id>", "GET"): row(301),
    ("/threads/<int:id>/<slug>", "GET"): EVERYONE_200,
    ("/posts/<int:id>", "GET"): row(302),
    ("/posts/<int:id>/history", "GET"): EVERYONE_200,
    ("/auth/login", "GET"): EVERYONE_200,
    ("/auth/login", "POST"): row(302),
    ("/auth/register", "GET"): EVERYONE_200,
    ("/auth/register", "POST"): row(302),
    ("/auth/logout", "GET"): NOT_ALLOWED,
    ("/auth/logout", "POST"): row(302),
    # Asking for a reset link is for everyone, and answers the same whoever is asked for;
    # carol's link works for whoever holds it (it is the proof) and signs them in as carol.
    ("/auth/forgot", "GET"): EVERYONE_200,
    ("/auth/forgot", "POST"): EVERYONE_200,
    ("/auth/reset/<token>", "GET"): EVERYONE_200,
    ("/auth/reset/<token>", "POST"): row(302),
    ("/settings/password", "GET"): MEMBERS_200,
    ("/settings/password", "POST"): MEMBERS_302,
    ("/settings/email", "GET"): MEMBERS_200,
    ("/settings/email", "POST"): MEMBERS_302,
    # Members delete their own account (the form names carol: oscar's typing it is refused);
    # the team is shown why it cannot, and refused.
    # The email change link (carol's) works for whoever holds it, signed in or not.
    ("/settings/email/confirm/<token>", "GET"): EVERYONE_200,
    ("/settings/email/confirm/<token>", "POST"): row(302),
    # So does the link in the notice to carol's address that keeps it (it leads to a new
    # password for carol).
    ("/settings/email/undo/<token>", "GET"): EVERYONE_200,
    ("/settings/email/undo/<token>", "POST"): row(302),
    ("/settings/delete", "GET"): MEMBERS_200,
    ("/settings/delete", "POST"): row(LOGIN, 302, 400, 403, 403, 403),
    ("/threads/new", "GET"): MEMBERS_200,
    ("/threads/new", "POST"): MEMBERS_302,
    ("/threads/<int:id>/reply", "GET"): SLUG_REDIRECT,
    ("/threads/<int:id>/reply", "POST"): MEMBERS_302,
    ("/preview", "GET"): NOT_ALLOWED,
    ("/preview", "POST"): MEMBERS_200,
    ("/posts/<int:id>/edit", "GET"): AUTHOR_AND_TEAM_200,
    ("/posts/<int:id>/edit", "POST"): AUTHOR_AND_TEAM_302,
    ("/posts/<int:id>/delete", "GET"): AUTHOR_AND_TEAM_200,
    ("/posts/<int:id>/delete", "POST"): AUTHOR_AND_TEAM_302,
    ("/threads/<int:id>/<any(lock, unlock, pin, unpin):action>", "GET"): SLUG_REDIRECT,
    ("/threads/<int:id>/<any(lock, unlock, pin, unpin):action>", "POST"): TEAM_302,
    ("/threads/<int:id>/move", "GET"): TEAM_200,
    ("/threads/<int:id>/move", "POST"): TEAM_302,
    ("/posts/<int:id>/accept", "GET"): NOT_ALLOWED,
    ("/posts/<int:id>/accept", "POST"): TEAM_302,
    ("/threads/<int:id>/unaccept", "GET"): SLUG_REDIRECT,
    ("/threads/<int:id>/unaccept", "POST"): TEAM_302,
    ("/admin/", "GET"): row(LOGIN, 403, 403, 403, 403, 302),
    ("/admin/categories", "GET"): ADMIN_200,
    ("/admin/categories", "POST"): ADMIN_302,
    ("/admin/categories/<int:id>/edit", "GET"): ADMIN_200,
    ("/admin/categories/<int:id>/edit", "POST"): ADMIN_302,
    ("/admin/categories/<int:id>/<any(up, down):direction>", "GET"): NOT_ALLOWED,
    ("/admin/categories/<int:id>/<any(up, down):direction>", "POST"): ADMIN_302,
    ("/admin/categories/<int:id>/delete", "GET"): ADMIN_200,
    ("/admin/categories/<int:id>/delete", "POST"): ADMIN_302,
    ("/admin/users", "GET"): ADMIN_200,
    ("/admin/users/<int:id>/role", "GET"): NOT_ALLOWED,
    ("/admin/users/<int:id>/role", "POST"): ADMIN_302,
    # The reset link is shown on the response itself, once.
    ("/admin/users/<int:id>/reset-link", "GET"): NOT_ALLOWED,
    ("/admin/users/<int:id>/reset-link", "POST"): ADMIN_200,
    ("/settings", "GET"): MEMBERS_200,
    ("/settings/sessions/end", "GET"): NOT_ALLOWED,
    ("/settings/sessions/end", "POST"): MEMBERS_302,
    ("/settings/tokens", "GET"): NOT_ALLOWED,
    # The settings page shows the new token once, so creating one answers 200, not a redirect.
    ("/settings/tokens", "POST"): MEMBERS_200,
    # The token is carol's: nobody else can see it, not even an admin.
    ("/settings/tokens/<int:id>/revoke", "GET"): row(LOGIN, 200, 404, 404, 404, 404),
    ("/settings/tokens/<int:id>/revoke", "POST"): row(LOGIN, 302, 404, 404, 404, 404),
    # The JSON API: bearer tokens, never the session; JSON errors with a code.
    ("/api/docs", "GET"): EVERYONE_200,
    ("/api/v1/openapi.json", "GET"): EVERYONE_200,
    ("/api/v1/categories", "GET"): EVERYONE_200,
    ("/api/v1/me", "GET"): row(401, 200, 200, 200, 200, 200),
    ("/api/v1/users/<username>", "GET"): EVERYONE_200,
    ("/api/v1/threads", "GET"): EVERYONE_200,
    ("/api/v1/threads", "POST"): row(401, 201, 201, 201, 201, 201),
    ("/api/v1/threads/<id:id>", "GET"): EVERYONE_200,
    ("/api/v1/threads/<id:id>/posts", "GET"): NOT_ALLOWED,
    ("/api/v1/threads/<id:id>/posts", "POST"): row(401, 201, 201, 201, 201, 201),
    ("/api/v1/posts/<id:id>", "GET"): EVERYONE_200,
    ("/api/v1/posts/<id:id>", "PATCH"): row(401, 200, 403, 200, 200, 200),
    ("/api/v1/posts/<id:id>", "DELETE"): row(401, 200, 403, 200, 200, 200),
    # Signing in with carol's password works whoever else is calling.
    ("/api/v1/tokens", "POST"): row(201),
    ("/api/v1/tokens", "GET"): row(401, 200, 200, 200, 200, 200),
    ("/api/v1/tokens/<id:id>", "GET"): NOT_ALLOWED,
    ("/api/v1/tokens/<id:id>", "DELETE"): row(401, 204, 404, 404, 404, 404),
    ("/api/v1/search", "GET"): EVERYONE_200,
    ("/api/v1/search/similar", "GET"): EVERYONE_200,
    # Anyone signed in reports someone else's post: carol cannot report her own reply.
    ("/api/v1/posts/<id:id>/flags", "GET"): NOT_ALLOWED,
    ("/api/v1/posts/<id:id>/flags", "POST"): row(401, 403, 201, 201, 201, 201),
    # The team's API: the queue, decisions on the held reply, banning the newcomer, scoring.
    ("/api/v1/moderation/queue", "GET"): API_TEAM_200,
    ("/api/v1/moderation/posts/<id:id>/approve", "GET"): NOT_ALLOWED,
    ("/api/v1/moderation/posts/<id:id>/approve", "POST"): API_TEAM_200,
    ("/api/v1/moderation/posts/<id:id>/remove", "GET"): NOT_ALLOWED,
    ("/api/v1/moderation/posts/<id:id>/remove", "POST"): API_TEAM_200,
    ("/api/v1/moderation/users/<id:id>/ban", "GET"): NOT_ALLOWED,
    ("/api/v1/moderation/users/<id:id>/ban", "POST"): API_TEAM_200,
    ("/api/v1/moderation/spam/score", "GET"): NOT_ALLOWED,
    ("/api/v1/moderation/spam/score", "POST"): API_TEAM_200,
    # Moderation: the review queue, decisions, accounts and the audit log are the team's;
    # notices belong to every member; nobody flags their own post (carol's reply).
    ("/moderation/", "GET"): TEAM_200,
    ("/moderation/bulk", "GET"): NOT_ALLOWED,
    ("/moderation/bulk", "POST"): TEAM_302,
    ("/moderation/log", "GET"): TEAM_200,
    ("/moderation/log/<int:id>/undo", "GET"): NOT_ALLOWED,
    ("/moderation/log/<int:id>/undo", "POST"): TEAM_302,
    # The old notices page lives on as a redirect to the notifications.
    ("/moderation/notices", "GET"): row(301),
    ("/moderation/posts/<int:id>/<any(approve, spam, remove):action>", "GET"): TEAM_200,
    ("/moderation/posts/<int:id>/<any(approve, spam, remove):action>", "POST"): TEAM_302,
    ("/moderation/posts/<int:id>/flag", "GET"): row(LOGIN, 403, 200, 200, 200, 200),
    ("/moderation/posts/<int:id>/flag", "POST"): row(LOGIN, 403, 302, 302, 302, 302),
    ("/moderation/score", "GET"): TEAM_200,
    ("/moderation/score", "POST"): TEAM_200,
    ("/moderation/users/<int:id>", "GET"): TEAM_200,
    ("/moderation/users/<int:id>/ban", "GET"): NOT_ALLOWED,
    ("/moderation/users/<int:id>/ban", "POST"): TEAM_302,
    ("/moderation/users/<int:id>/silence", "GET"): NOT_ALLOWED,
    ("/moderation/users/<int:id>/silence", "POST"): TEAM_302,
    # Search: everyone searches; the search log is for staff and admins, not moderators.
    ("/search", "GET"): EVERYONE_200,
    ("/search/similar", "GET"): EVERYONE_200,
    ("/search/go/<doc_type>/<int:id>", "GET"): row(302),
    ("/search/deflect", "GET"): NOT_ALLOWED,
    ("/search/deflect", "POST"): MEMBERS_302,
    ("/search/log", "GET"): row(LOGIN, 403, 403, 403, 200, 200),
    # Accepted answers: the asker (carol) suggests, the team accepts (also through the API).
    ("/posts/<int:id>/suggest", "GET"): NOT_ALLOWED,
    ("/posts/<int:id>/suggest", "POST"): row(LOGIN, 302, 403, 403, 403, 403),
    ("/api/v1/threads/<id:id>/accepted-answer", "GET"): NOT_ALLOWED,
    ("/api/v1/threads/<id:id>/accepted-answer", "POST"): row(401, 403, 403, 200, 200, 200),
    ("/api/v1/threads/<id:id>/accepted-answer", "DELETE"): row(401, 403, 403, 200, 200, 200),
    # The knowledge base: published articles and feedback for everyone (visitors vote too);
    # writing, publishing, reviewing and history for staff and admins.
    ("/kb/", "GET"): EVERYONE_200,
    ("/kb/search", "GET"): EVERYONE_200,
    ("/kb/<int:id>", "GET"): row(301),
    ("/kb/<int:id>/<slug>", "GET"): EVERYONE_200,
    ("/kb/<int:id>/feedback", "GET"): SLUG_REDIRECT,
    ("/kb/<int:id>/feedback", "POST"): row(302),
    ("/kb/manage", "GET"): STAFF_200,
    ("/kb/new", "GET"): STAFF_200,
    ("/kb/new", "POST"): STAFF_302,
    ("/kb/<int:id>/edit", "GET"): STAFF_200,
    ("/kb/<int:id>/edit", "POST"): STAFF_302,
    ("/kb/<int:id>/<any(publish, unpublish, archive):action>", "GET"): SLUG_REDIRECT,
    ("/kb/<int:id>/<any(publish, unpublish, archive):action>", "POST"): STAFF_302,
    ("/kb/<int:id>/verify", "GET"): SLUG_REDIRECT,
    ("/kb/<int:id>/verify", "POST"): STAFF_302,
    ("/kb/<int:id>/history", "GET"): STAFF_200,
    ("/kb/<int:id>/revisions/<int:number>", "GET"): STAFF_200,
    ("/kb/<int:id>/revisions/<int:number>/restore", "GET"): NOT_ALLOWED,
    ("/kb/<int:id>/revisions/<int:number>/restore", "POST"): STAFF_302,
    ("/api/v1/kb/articles", "GET"): EVERYONE_200,
    ("/api/v1/kb/articles/<id:id>", "GET"): EVERYONE_200,
    ("/api/v1/kb/articles/<id:id>", "PATCH"): row(401, 403, 403, 403, 200, 200),
    ("/api/v1/kb/articles/<id:id>/feedback", "GET"): NOT_ALLOWED,
    ("/api/v1/kb/articles/<id:id>/feedback", "POST"): row(401, 200, 200, 200, 200, 200),
    # Staff answering tools: the team answers the queue; the dashboard is for staff and admins.
    ("/staff/unanswered", "GET"): TEAM_200,
    ("/staff/dashboard", "GET"): STAFF_200,
    ("/admin/spam", "GET"): ADMIN_200,
    ("/admin/spam", "POST"): ADMIN_302,
    ("/admin/spam/rules", "GET"): ADMIN_200,
    ("/admin/spam/rules", "POST"): ADMIN_302,
    ("/admin/spam/rules/<int:id>/delete", "GET"): ADMIN_200,
    ("/admin/spam/rules/<int:id>/delete", "POST"): ADMIN_302,
    # Webhooks: admins only. Registering and rotating show the secret once (200).
    ("/admin/webhooks", "GET"): ADMIN_200,
    ("/admin/webhooks", "POST"): ADMIN_200,
    ("/admin/webhooks/<int:id>", "GET"): ADMIN_200,
    ("/admin/webhooks/<int:id>", "POST"): ADMIN_302,
    ("/admin/webhooks/<int:id>/secret", "GET"): ADMIN_200,
    ("/admin/webhooks/<int:id>/secret", "POST"): ADMIN_200,
    ("/admin/webhooks/<int:id>/delete", "GET"): ADMIN_200,
    ("/admin/webhooks/<int:id>/delete", "POST"): ADMIN_302,
    ("/admin/webhooks/<int:id>/test", "GET"): NOT_ALLOWED,
    ("/admin/webhooks/<int:id>/test", "POST"): ADMIN_302,
    ("/admin/webhooks/deliveries/<int:id>", "GET"): ADMIN_200,
    ("/admin/webhooks/deliveries/<int:id>/redeliver", "GET"): NOT_ALLOWED,
    ("/admin/webhooks/deliveries/<int:id>/redeliver", "POST"): ADMIN_302,
    # Notifications: every member has a bell; the notification is carol's (oscar answered her).
    ("/notifications", "GET"): MEMBERS_200,
    ("/notifications/read", "GET"): NOT_ALLOWED,
    ("/notifications/read", "POST"): MEMBERS_302,
    ("/notifications/<int:id>/read", "GET"): NOT_ALLOWED,
    ("/notifications/<int:id>/read", "POST"): row(LOGIN, 302, 404, 404, 404, 404),
    ("/threads/<int:id>/<any(follow, unfollow):action>", "GET"): SLUG_REDIRECT,
    ("/threads/<int:id>/<any(follow, unfollow):action>", "POST"): MEMBERS_302,
    ("/c/<slug>/<any(follow, unfollow):action>", "GET"): NOT_ALLOWED,
    ("/c/<slug>/<any(follow, unfollow):action>", "POST"): MEMBERS_302,
    ("/settings/notifications", "GET"): NOT_ALLOWED,
    ("/settings/notifications", "POST"): MEMBERS_302,
    # The unsubscribe link (carol's) works for whoever holds it, signed in or not: it is the
    # proof; a mail client's one-click POST carries no session and no CSRF token.
    ("/mail/unsubscribe/<token>", "GET"): EVERYONE_200,
    ("/mail/unsubscribe/<token>", "POST"): EVERYONE_200,
    # Feeds and discovery are public and show only public content.
    ("/feeds/latest.atom", "GET"): EVERYONE_200,
    ("/feeds/c/<slug>.atom", "GET"): EVERYONE_200,
    ("/feeds/threads/<int:id>.atom", "GET"): EVERYONE_200,
    ("/feeds/kb.atom", "GET"): EVERYONE_200,
    ("/sitemap.xml", "GET"): EVERYONE_200,
    ("/sitemap-<int:number>.xml", "GET"): EVERYONE_200,
    ("/robots.txt", "GET"): EVERYONE_200,
    ("/favicon.ico", "GET"): row(301),
    ("/api/v1/notifications", "GET"): row(401, 200, 200, 200, 200, 200),
    ("/api/v1/notifications/read", "GET"): NOT_ALLOWED,
    ("/api/v1/notifications/read", "POST"): row(401, 200, 200, 200, 200, 200),
}


def missing_rows(cases):
    """The (rule, method) pairs of ``cases`` that EXPECTED has no row for."""
    return [(rule, method) for _, rule, _, method in cases if (rule, method) not in EXPECTED]


def test_every_route_has_an_expected_status_for_every_role():
    missing = missing_rows(case.values for case in ROUTE_CASES)
    assert not missing, f"add these routes to EXPECTED in tests/test_access.py: {missing}"


def test_a_route_added_without_a_row_is_caught():
    app = create_app(TestingConfig)
    app.add_url_rule("/brand-new", "brand_new", lambda: "new", methods=["GET", "POST"])
    cases = [case.values for case in route_cases(app)]
    assert missing_rows(cases) == [("/brand-new", "GET"), ("/brand-new", "POST")]


def test_expected_table_names_only_existing_routes():
    existing = {(rule, method) for _, rule, _, method in (case.values for case in ROUTE_CASES)}
    stale = set(EXPECTED) - existing
    assert not stale, f"routes no longer in the URL map: {stale}"


def database_rows(app, skip_tokens=False):
    """Every row of every table; API tokens' last-use times are left out for API requests,
    since reading with a token records when it was last used."""
    with app.app_context():
        return {
            table.name: sorted(map(repr, db.session.execute(table.select())))
            for table in db.metadata.sorted_tables
            if not (skip_tokens and table.name == "api_tokens")
        }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "rule", "arguments", "method"), ROUTE_CASES)
def test_route_access(route_scenario, endpoint, rule, arguments, method, role):
    app, scenario = route_scenario
    expected = EXPECTED.get((rule, method), {}).get(role)
    assert expected is not None, f"no expected status for {method} {rule} as {role}"
    url = build_url(app, endpoint, arguments, scenario)
    body = form_data(scenario).get(endpoint, {}) if method != "GET" else None
    if rule.startswith("/api/v1"):
        client, options = app.test_client(), {"headers": api_headers(scenario, role)}
        if method in ("POST", "PATCH"):
            options["json"] = body
    else:
        client, options = signed_in_client(app, role), {"data": body}
    before = database_rows(app, skip_tokens=rule.startswith("/api/v1"))

    response = client.open(url, method=method, **options)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:2000]
    if expected == 302:
        assert not response.headers["Location"].startswith("/auth/login")
    body = response.get_data(as_text=True)
    if expected in (401, 403, 404, 405, 409):
        if rule.startswith("/api/v1"):
            assert response.json["error"]["code"], "API errors are JSON with a code"
        else:
            assert "Go to the home page" in body
    if response.mimetype == "text/html" and response.status_code != 204:
        html5lib.HTMLParser(strict=True).parse(body)  # raises on markup a browser must repair
    if role != "admin" and endpoint not in SHOWS_OWN_EMAIL:
        assert "@example.com" not in body, "an email address is shown to someone not an admin"
    if method == "GET" or expected not in (200, 201, 204, 302):
        after = database_rows(app, skip_tokens=rule.startswith("/api/v1"))
        assert after == before, "a refused request or a page view wrote something"
