"""Property-based contract test: schemathesis generates requests for every operation in the
OpenAPI document (examples, coverage of edge values, and random valid and invalid data), sends
them over HTTP to the app and checks every response against the document: no server errors,
documented status codes, content types, headers and bodies."""

import threading

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from werkzeug.serving import make_server

from forum import outbox
from forum.extensions import db
from forum.moderation import flags
from forum.threads import services
from forum.threads.models import Post
from tests import factories
from tests.api.conftest import bearer, question_of, set_status


def config(headers):
    return SchemathesisConfig.from_dict(
        {
            "seed": 20261122,
            "headers": headers,
            "generation": {"max-examples": 20, "deterministic": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            "checks": {
                # A well-formed request may still name a category that does not exist or
                # carry a title of spaces; the forum's rules answer those with 422, which the
                # document lists for every such operation.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
                },
            },
        }
    )


@pytest.fixture
def token_headers(app):
    """A small forum to aim at: visible, hidden, locked, solved, held and reported posts, the
    search index, and the tokens of a customer and a moderator."""
    customer = factories.make_user("customer", "carol")
    staff = factories.make_user("staff", "stacy")
    moderator = factories.make_user("moderator", "morgan")
    reporter = factories.make_trusted_user("oscar")
    category = factories.make_category("Getting started", "getting-started")  # as in examples
    for n in range(3):
        thread = factories.make_thread(customer, category, f"Question {n}")
        reply = factories.make_reply(staff, thread)
    services.accept_answer(staff, reply)
    services.set_flag(staff, thread, "locked", True)
    set_status(question_of(factories.make_thread(staff, category)), "hidden")
    # The lowest ids, which schemathesis tries most, wait for a moderator: posts 1 and 2 are
    # reported, and a newcomer's reply is held.
    for post_id in (1, 2):
        flags.flag(reporter, db.session.get(Post, post_id), "off_topic")
    factories.make_held_reply(factories.make_user("customer", "newton"), thread)
    outbox.drain()  # build the search index
    return {"customer": bearer(customer), "moderator": bearer(moderator)}


@pytest.fixture
def server_url(app):
    """The app served over HTTP in a thread (schemathesis 4.32's in-process WSGI transport
    trips over its own ignored_auth probe, so it talks to a real socket instead)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def describe(recorder, case_id, check):
    case = recorder.cases[case_id].value
    return f"{check.name}: {case.method} {case.formatted_path} → {check.failure_info.failure}"


def run(schema):
    """Run every phase over ``schema``; returns (problems, {operation: statuses seen})."""
    problems, statuses = [], {}
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            label = event.recorder.label
            method = label.split()[0]
            statuses.setdefault(label, set()).update(
                i.response.status_code
                for i in event.recorder.interactions.values()
                if i.response is not None and i.request.method == method
            )
            for case_id, checks in event.recorder.checks.items():
                problems += [
                    describe(event.recorder, case_id, check)
                    for check in checks
                    if check.status == Status.FAILURE
                ]
        elif isinstance(event, events.NonFatalError | events.FatalError):
            problems.append(repr(event))
    return problems, statuses


def succeeded(statuses):
    return {label for label, seen in statuses.items() if any(200 <= s < 300 for s in seen)}


def test_api_conforms_to_its_openapi_document(server_url, token_headers):
    url = f"{server_url}/api/v1/openapi.json"
    schema = schemathesis.openapi.from_url(url, config=config(token_headers["customer"]))
    revoke = {"method": "DELETE", "path": "/api/v1/tokens/{id}"}
    # A customer first (the team's operations answer 403); then revoking, which may revoke the
    # very token the other operations use; then a moderator on the team's operations, which
    # may ban the customer.
    problems, statuses = run(schema.exclude(**revoke))
    more_problems, more_statuses = run(schema.include(**revoke))
    team_schema = schemathesis.openapi.from_url(url, config=config(token_headers["moderator"]))
    team_problems, team_statuses = run(team_schema.include(path_regex="^/api/v1/moderation/"))
    problems += more_problems + team_problems
    statuses.update(more_statuses)
    assert not problems, "\n".join(sorted(set(problems)))
    report = "\n".join(
        f"{label}: {seen} / team {team_statuses.get(label, '-')}"
        for label, seen in sorted(statuses.items())
    )
    assert len(statuses) == 29, report  # every operation but GET openapi.json, the input
    assert succeeded(statuses) >= {
        "GET /api/v1/categories",
        "GET /api/v1/me",
        "GET /api/v1/threads",
        "GET /api/v1/threads/{id}",
        "POST /api/v1/threads/{id}/posts",
        "GET /api/v1/tokens",
        "POST /api/v1/threads",
        "PATCH /api/v1/posts/{id}",
        "GET /api/v1/posts/{id}",
        "GET /api/v1/users/{username}",
        "DELETE /api/v1/tokens/{id}",
        "GET /api/v1/search",
        "GET /api/v1/search/similar",
        "POST /api/v1/posts/{id}/flags",
        "GET /api/v1/notifications",
        "POST /api/v1/notifications/read",
    }, report
    assert not succeeded(statuses) & set(team_statuses), report  # customers: 403
    assert succeeded(team_statuses) == set(team_statuses), report
    assert len(team_statuses) == 5, report
