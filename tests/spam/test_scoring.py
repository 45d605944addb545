import pytest

from forum.spam import services
from forum.spam.explain import author_reason
from forum.spam.policy import load_policy
from forum.spam.scoring import assess
from forum.spam.settings import SettingError
from forum.spam.text import Sample
from forum.spam.trust import Author, level

SPAMMY = "Online casino free spins! Call 1-8OO-555-O199 now!!!!!!!"


@pytest.mark.parametrize(
    ("posts", "age", "role", "expected"),
    [
        (0, 0, "customer", "new"),
        (2, 400, "customer", "new"),
        (50, 0.5, "customer", "new"),
        (3, 1, "customer", "basic"),
        (19, 365, "customer", "basic"),
        (20, 30, "customer", "trusted"),
        (0, 0, "moderator", "team"),
        (0, 0, "staff", "team"),
        (0, 0, "admin", "team"),
    ],
)
def test_trust_levels(app, posts, age, role, expected):
    assert level(Author("someone", posts, age, role), load_policy()) == expected


@pytest.mark.parametrize("role", ["moderator", "staff", "admin"])
def test_team_is_never_held(app, role):
    text = SPAMMY + " https://bit.ly/x https://bit.ly/y"
    verdict = assess(Sample("Casino", text), Author("t", role=role))
    assert verdict.action == "publish"
    assert verdict.trust == "team"


def test_new_accounts_get_stricter_thresholds(app):
    text = "Call us on +1 (800) 555-0199 for the details"
    assert assess(Sample("", text), Author("a")).action == "hold"
    assert assess(Sample("", text), Author("a", 25, 90)).action == "publish"


def test_new_accounts_first_post_with_three_links_is_held_naming_the_link_rule(app):
    body = "See https://a.example.net/1 https://a.example.net/2 https://a.example.net/3"
    verdict = assess(Sample("Question", body, True), Author("fresh"))
    assert verdict.action == "hold"
    cap = next(r for r in verdict.reasons if r.rule == "links.cap")
    assert "3 link(s) to a.example.net; a first post from a new account may have 0" == cap.evidence
    assert "links" in author_reason(verdict.reasons_json())


def test_verdict_as_json_has_action_score_and_weighted_reasons(app):
    data = assess(Sample("", SPAMMY), Author("spinner")).as_dict()
    assert data["action"] in ("hold", "reject")
    assert data["score"] == pytest.approx(sum(r["weight"] for r in data["reasons"]), abs=0.05)
    assert {"rule", "weight", "evidence"} <= set(data["reasons"][0])
    weights = [abs(r["weight"]) for r in data["reasons"]]
    assert weights == sorted(weights, reverse=True)


def test_premoderation_holds_every_new_accounts_post(app, admin):
    services.save_settings(admin, {"premoderate_new": True})
    assert assess(Sample("", "Hello, a plain question."), Author("n")).action == "hold"
    assert assess(Sample("", "Hello, a plain question."), Author("n", 5, 5)).action == "publish"


def test_settings_change_thresholds_and_weights(app, admin):
    text = "Call us on +1 (800) 555-0199 for the details"
    services.save_settings(admin, {"hold_score_new": 20.0})
    assert assess(Sample("", text), Author("a")).action == "publish"
    services.save_settings(admin, {"hold_score_new": 4.0, "w_phone": 0.0})
    assert assess(Sample("", text), Author("a")).action == "publish"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("hold_score_new", "-1", "between"),
        ("w_phone", "lots", "not a number"),
        ("dry_run", "perhaps", "true or false"),
        ("rate_limit_new", "sometimes", "3 per 5 minutes"),
    ],
)
def test_bad_setting_values_are_refused(app, admin, name, value, message):
    with pytest.raises(SettingError, match=message) as caught:
        services.save_settings(admin, {name: value})
    assert caught.value.field == name


def test_reasons_in_plain_words_hide_patterns_and_weights():
    reasons = [
        {"rule": "rule.regex", "weight": 4.0, "evidence": "secret pattern", "action": "hold"},
        {"rule": "contact.phone", "weight": 2.5, "evidence": "phone number 18005550199"},
        {"rule": "classifier", "weight": -1.0, "evidence": "spam probability 0.3"},
    ]
    text = author_reason(reasons)
    assert text == (
        "Your post is waiting for review because it contains a phrase our moderators check "
        "and it contains a phone number."
    )
    assert "secret" not in text and "1800" not in text
