import pytest

from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.spam import services
from forum.spam.models import SpamRule
from forum.spam.rules import RuleError
from forum.spam.scoring import assess
from forum.spam.text import Sample
from forum.spam.trust import Author

NEWBIE = Author("newbie")


def verdict(text, author=NEWBIE):
    return assess(Sample("", text), author)


def test_watched_word_hold_holds_with_the_rule_named(app, admin):
    services.add_rule(admin, "word", "Acme Rival", "hold")
    result = verdict("Have you tried acme  rival instead?")
    assert result.action == "hold"
    assert result.reasons[0].rule == "rule.word"
    assert "acme  rival" in result.reasons[0].evidence


def test_watched_word_matches_whole_words_only(app, admin):
    services.add_rule(admin, "word", "spin", "block")
    assert verdict("The spinner keeps spinning forever").action == "publish"
    assert verdict("Free spin for you").action == "reject"


def test_watched_regex_block_rejects(app, admin):
    services.add_rule(admin, "regex", r"crack(ed)?\s+version", "block")
    assert verdict("Download the CRACKED version here").action == "reject"


def test_flag_rule_publishes_and_flags(app, admin):
    services.add_rule(admin, "word", "competitor", "flag")
    result = verdict("Is the competitor cheaper?")
    assert result.action == "publish"
    assert [reason.rule for reason in result.flags] == ["rule.word"]


def test_blocked_domain_rejects_links_and_mentions(app, admin):
    services.add_rule(admin, "blocked_domain", "https://www.Evil-Shop.biz/")
    assert db.session.scalar(db.select(SpamRule.pattern)) == "evil-shop.biz"
    assert verdict("see https://deals.evil-shop.biz/x").action == "reject"
    assert verdict("buy at evil-shop.biz today").action == "reject"
    assert verdict("see https://notevil-shop.biz/x").action != "reject"


def test_allowed_domain_lets_a_first_post_link_through(app, admin):
    assert verdict("Docs: https://help.example.com/a").action == "hold"
    services.add_rule(admin, "allowed_domain", "example.com")
    assert verdict("Docs: https://help.example.com/a").action == "publish"


@pytest.mark.parametrize(
    ("kind", "pattern", "action", "message"),
    [
        ("regex", "(unclosed", "hold", r"Invalid regular expression: missing \) at position 9\."),
        ("regex", "a{2,1}", "hold", "min repeat greater than max repeat"),
        ("word", "", "hold", "1 to 200 characters"),
        ("word", "casino", "delete", "Choose block, hold or flag"),
        ("blocked_domain", "not a domain", None, "is not a domain name"),
        ("colour", "x", "hold", "Choose what kind of rule"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(app, admin, kind, pattern, action, message):
    with pytest.raises(RuleError, match=message):
        services.add_rule(admin, kind, pattern, action)
    assert db.session.scalar(db.select(db.func.count(SpamRule.id))) == 0


def test_duplicate_rule_is_refused(app, admin):
    services.add_rule(admin, "word", "casino", "hold")
    with pytest.raises(RuleError, match="already exists"):
        services.add_rule(admin, "word", "casino", "block")


def test_rule_changes_are_audited(app, admin):
    rule = services.add_rule(admin, "word", "casino", "hold")
    services.delete_rule(admin, rule)
    actions = db.session.scalars(db.select(ModerationAction.action)).all()
    assert actions == ["add_spam_rule", "delete_spam_rule"]
    assert verdict("casino").action == "publish"
