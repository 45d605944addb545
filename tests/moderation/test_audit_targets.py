"""Audit entries name their target's real type: a post refused as spam is an entry about its
author (a user), found from the moderators' page about that account."""

import re

import pytest

from forum.api import services as tokens
from forum.extensions import db
from forum.moderation.models import ModerationAction, record
from forum.spam import services as spam_services
from tests import factories
from tests.moderation.conftest import page


@pytest.fixture
def blocked(admin):
    spam_services.add_rule(admin, "blocked_domain", "cheap-deals.example.net")


def rejection():
    return db.session.scalar(db.select(ModerationAction).where(ModerationAction.action == "reject"))


def audit_link_of(client, user):
    """The "Audit entries for this account" link on the moderators' page about ``user``."""
    text = page(client, f"/moderation/users/{user.id}")
    href = re.search(r'<a href="([^"]+)">Audit entries for this account</a>', text).group(1)
    return href.replace("&amp;", "&")


def test_a_refused_page_post_is_logged_against_its_author(
    client, auth, blocked, newcomer, moderator, thread
):
    auth.login(newcomer)
    refused = client.post(f"/threads/{thread.id}/reply", data={"body": factories.LINKY_BODY})
    assert refused.status_code == 422
    entry = rejection()
    assert (entry.target_type, entry.target_id) == ("user", newcomer.id)
    auth.logout()

    auth.login(moderator)
    text = page(client, audit_link_of(client, newcomer))
    assert "1 entry" in text
    assert f'<a href="/moderation/users/{newcomer.id}">user #{newcomer.id}</a>' in text
    assert "localproxy" not in text
    assert "cheap-deals.example.net/a" in text  # the excerpt of what was refused


def test_a_refused_api_post_is_logged_against_its_author_too(client, blocked, newcomer, thread):
    _, secret = tokens.create_token(newcomer, "test")
    refused = client.post(
        f"/api/v1/threads/{thread.id}/posts",
        json={"body": factories.LINKY_BODY},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert refused.status_code == 422
    assert (rejection().target_type, rejection().target_id) == ("user", newcomer.id)


@pytest.mark.parametrize("target", [object(), "user", None])
def test_the_audit_log_refuses_a_target_that_is_not_a_stored_object(app, moderator, target):
    with pytest.raises(TypeError, match="audit target"):
        record(moderator, "reject", target)
    assert db.session.scalar(db.select(db.func.count(ModerationAction.id))) == 0
