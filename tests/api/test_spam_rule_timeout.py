"""The moderators' score endpoint runs admin regexes under the same time limit as posting."""

import pytest

from forum.extensions import db
from forum.spam.models import SpamRule
from forum.spam.policy import invalidate
from tests.api.conftest import bearer

LONG_RUN = "a" * 20_000 + "!"


@pytest.fixture
def config_overrides():
    return {"SPAM_RULE_TIMEOUT": 0.05}


def test_the_score_endpoint_gives_up_on_a_catastrophic_rule_and_says_hold(client, admin, moderator):
    db.session.add(SpamRule(kind="regex", pattern=r"(a+)+$", action="block", created_by=admin))
    db.session.commit()
    invalidate()
    response = client.post(
        "/api/v1/moderation/spam/score", json={"text": LONG_RUN}, headers=bearer(moderator)
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["action"] == "hold"
    timed_out = [r for r in data["reasons"] if r["rule"] == "rule.timeout"]
    assert len(timed_out) == 1 and timed_out[0]["action"] == "hold"
