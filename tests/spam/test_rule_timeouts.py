"""Admin regexes cannot hang a worker: a pattern that backtracks catastrophically is refused
when it is saved, and one already stored gives up after SPAM_RULE_TIMEOUT seconds on a post,
which then goes to the moderators instead of being published, refused or lost."""

import logging

import pytest

from forum.extensions import db
from forum.spam.models import SpamRule
from forum.spam.policy import invalidate
from forum.threads.models import Post

NESTED = r"(a+)+$"
# Python's re needs about 2^20000 steps to find that NESTED does not match this.
LONG_RUN = "a" * 20_000 + "!"


@pytest.fixture
def config_overrides():
    return {"SPAM_RULE_TIMEOUT": 0.05}


def stored_rule(admin, pattern, action):
    """A rule saved before patterns were tried at save time (or straight into the table)."""
    rule = SpamRule(kind="regex", pattern=pattern, action=action, created_by=admin)
    db.session.add(rule)
    db.session.commit()
    invalidate()
    return rule


def page(client, path):
    return client.get(path, follow_redirects=True).get_data(as_text=True)


def reply(client, thread, body):
    return client.post(f"/threads/{thread.id}/reply", data={"body": body})


@pytest.mark.parametrize("pattern", [NESTED, r"(\w+\s?)+$", r"(x+x+)+y", r"(.*?,){11}P"])
def test_admin_cannot_save_a_regex_that_backtracks_catastrophically(client, auth, admin, pattern):
    auth.login(admin)
    response = client.post(
        "/admin/spam/rules", data={"kind": "regex", "pattern": pattern, "action": "block"}
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "This regular expression takes too long on some texts" in text
    assert "nested repetition" in text
    assert f'value="{pattern}"' in text  # the pattern is kept for fixing
    assert db.session.scalar(db.select(db.func.count(SpamRule.id))) == 0


def test_ordinary_regexes_are_still_saved_and_matched(client, auth, admin, newcomer, thread):
    auth.login(admin)
    saved = client.post(
        "/admin/spam/rules",
        data={"kind": "regex", "pattern": r"crack(ed)?\s+version", "action": "block"},
    )
    assert saved.status_code == 302
    auth.logout()
    auth.login(newcomer)
    refused = reply(client, thread, "Get the CRACKED   version here")
    assert refused.status_code == 422
    assert (
        db.session.scalar(db.select(db.func.count(Post.id)).where(Post.author_id == newcomer.id))
        == 0
    )


def test_a_stored_catastrophic_block_rule_holds_a_long_post_instead_of_hanging(
    client, auth, admin, newcomer, moderator, thread, caplog
):
    rule = stored_rule(admin, NESTED, "block")
    auth.login(newcomer)
    with caplog.at_level(logging.WARNING, logger="forum.spam.rules"):
        response = reply(client, thread, LONG_RUN)
    assert response.status_code == 302
    post = db.session.scalar(db.select(Post).where(Post.author_id == newcomer.id))
    assert post.body == LONG_RUN  # not lost
    assert post.status == "held"  # not published unchecked, not refused on a guess
    timed_out = next(r for r in post.spam_reasons if r["rule"] == "rule.timeout")
    assert timed_out["action"] == "hold"
    assert NESTED in timed_out["evidence"] and "50 ms" in timed_out["evidence"]
    assert f"spam rule {rule.id}" in caplog.text and "gave up" in caplog.text
    text = page(client, response.headers["Location"])
    assert "waiting for review" in text
    assert NESTED not in text  # the author is not shown the pattern
    auth.logout()
    auth.login(moderator)
    assert "took longer than 50 ms on this text" in page(client, "/moderation/")


def test_a_stored_catastrophic_flag_rule_publishes_and_flags(client, auth, admin, newcomer, thread):
    stored_rule(admin, r"(a|aa)+$", "flag")
    auth.login(newcomer)
    assert reply(client, thread, LONG_RUN).status_code == 302
    post = db.session.scalar(db.select(Post).where(Post.author_id == newcomer.id))
    assert (post.status, post.open_flags) == ("visible", 1)
    assert "took longer than 50 ms" in post.flags[0].note
