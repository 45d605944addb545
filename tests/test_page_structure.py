"""Every HTML page, for every kind of visitor: one h1, one main landmark reached by the skip
link, a label on every control, unique ids."""

import pytest

from tests.pages import structure_problems
from tests.routes import ROUTE_CASES, build_url, signed_in_client

PAGES = [
    (endpoint, arguments)
    for endpoint, rule, arguments, method in (case.values for case in ROUTE_CASES)
    if method == "GET" and not rule.startswith(("/api/v1", "/static", "/healthz"))
]


@pytest.mark.parametrize("role", ("anonymous", "customer", "moderator", "admin"))
def test_every_page_has_one_h1_a_main_landmark_and_labelled_controls(route_scenario, role):
    app, scenario = route_scenario
    client = signed_in_client(app, role)
    checked = 0
    for endpoint, arguments in PAGES:
        url = build_url(app, endpoint, arguments, scenario)
        response = client.get(url)
        if response.mimetype != "text/html" or response.status_code in (301, 302):
            continue
        problems = structure_problems(response.get_data(as_text=True))
        assert not problems, f"{url} as {role} ({response.status_code}): {problems}"
        checked += 1
    assert checked >= 10


def test_the_checks_catch_a_page_without_structure():
    page = '<html><body><h1>A</h1><h1>B</h1><input name="q"><button></button></body></html>'
    problems = structure_problems(page)
    assert "not exactly one h1" in problems
    assert "not exactly one main" in problems
    assert "unlabelled control q" in problems
    assert "button without text" in problems
