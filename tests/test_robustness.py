"""Input no person would type, and path values no column can hold, never answer 500."""

import pytest

from tests.routes import (
    ROUTE_CASES,
    UNSTORABLE,
    UNSTORABLE_PATH_CASES,
    build_url,
    signed_in_client,
)

FIELDS = (
    "username email password confirm current remember category title body name slug "
    "description role q page"
).split()
JUNK = {
    "empty": {},
    "NUL bytes": dict.fromkeys(FIELDS, "a\x00b"),
    "oversized": dict.fromkeys(FIELDS, "x" * 60_000),
    "repeated": dict.fromkeys(FIELDS, ["one", "two"]),
}


@pytest.mark.parametrize("junk", JUNK, ids=str)
@pytest.mark.parametrize(("endpoint", "rule", "arguments", "method"), ROUTE_CASES)
def test_odd_input_never_answers_500(route_scenario, endpoint, rule, arguments, method, junk):
    """As an admin, whom every view lets through to its form handling."""
    app, scenario = route_scenario
    url = build_url(app, endpoint, arguments, scenario)
    client = signed_in_client(app, "admin")
    if method == "GET":
        response = client.get(url, query_string=JUNK[junk])
    else:
        response = client.post(url, data=JUNK[junk])
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]


@pytest.mark.parametrize(("endpoint", "rule", "name", "kind"), UNSTORABLE_PATH_CASES)
def test_path_values_no_column_can_hold_never_reach_a_view(
    route_scenario, endpoint, rule, name, kind
):
    app, scenario = route_scenario
    matching = next(r for r in app.url_map.iter_rules() if r.rule == rule)
    url = build_url(app, endpoint, matching.arguments, scenario, **{name: UNSTORABLE[kind]})
    client = signed_in_client(app, "admin")
    for method in sorted(matching.methods - {"HEAD", "OPTIONS"}):
        response = client.open(url, method=method)
        # Werkzeug checks a rule's methods before its converters, so POST /threads/<huge>/lock
        # meets GET-only /threads/<id>/<slug> and says 405; either way no view runs.
        assert response.status_code in (404, 405), f"{method} {url}"
        if rule.startswith("/api/"):
            assert response.json["error"]["code"] in ("not_found", "method_not_allowed")
        else:
            assert "Go to the home page" in response.get_data(as_text=True)
