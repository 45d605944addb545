import json

from forum.extensions import db
from forum.moderation import services, undo
from forum.moderation.models import ModerationAction
from forum.spam import classifier, probe
from forum.spam import services as spam_services
from forum.spam.models import SpamModel
from forum.spam.policy import load_policy
from forum.spam.text import Sample
from forum.threads import services as threads
from tests import factories

REPLICAS = [
    "Premium replica watches at unbeatable prices, message our shop for the full catalogue.",
    "Unbeatable prices on premium replica watches, ask our shop for the catalogue today.",
    "Our shop sells premium replica watches at unbeatable prices, catalogue on request.",
]
NEXT_REPLICA = "Premium replica watches, unbeatable prices: our shop sends the catalogue."
HAM = [
    "My sync stops at 99 percent on macOS, what can I try?",
    "How do I exclude node_modules folders from the backup?",
    "The Android app only uploads photos when I open it.",
]


def score(text):
    return probe.score({"text": text, "author": {"username": "fresh", "posts": 0}})


def train_ham_through_the_queue(admin, moderator, thread):
    spam_services.save_settings(admin, {"premoderate_new": True})
    for n, text in enumerate(HAM):
        post = threads.reply(factories.make_user("customer", f"asker{n}"), thread, text)
        assert post.status == "held"
        services.approve(moderator, post)
    spam_services.save_settings(admin, {"premoderate_new": False})


def test_untrained_classifier_is_neutral(app):
    assert not classifier.totals().trained
    assert classifier.check(Sample("", "online casino free spins"), None) == []


def test_classifier_learns_from_moderator_decisions(app, admin, moderator, thread):
    train_ham_through_the_queue(admin, moderator, thread)
    assert score(NEXT_REPLICA)["action"] == "publish"
    for n, text in enumerate(REPLICAS):
        post = threads.reply(factories.make_user("customer", f"seller{n}"), thread, text)
        services.remove(moderator, post, spam=True, version=post.review_version)
    verdict = score(NEXT_REPLICA)
    assert verdict["action"] == "hold"
    learned = next(r for r in verdict["reasons"] if r["rule"] == "classifier")
    assert learned["weight"] >= 4.0  # enough to hold a new account's post on its own
    assert "unbeatable prices" in learned["evidence"]
    post = threads.reply(factories.make_user("customer", "seller9"), thread, NEXT_REPLICA)
    assert post.status == "held"


def test_undoing_a_spam_decision_takes_the_lesson_back(app, admin, moderator, thread):
    train_ham_through_the_queue(admin, moderator, thread)
    before = classifier.totals()
    post = threads.reply(factories.make_user("customer", "seller"), thread, REPLICAS[0])
    entry = services.remove(moderator, post, spam=True, version=post.review_version)
    assert classifier.totals().spam_docs == before.spam_docs + 1
    undo.undo(moderator, entry)
    after = classifier.totals()
    assert (after.spam_docs, after.spam_tokens) == (before.spam_docs, before.spam_tokens)
    assert db.session.get(type(post), post.id).trained_as is None


def test_approving_after_removal_moves_the_post_from_spam_to_ham(app, moderator, thread, newcomer):
    post = factories.make_held_reply(newcomer, thread)
    services.remove(moderator, post, spam=True)
    assert classifier.totals().spam_docs == 1
    removal = services_entry("remove")
    undo.undo(moderator, removal)
    services.approve(moderator, post)
    totals = classifier.totals()
    assert (totals.spam_docs, totals.ham_docs) == (0, 1)


def services_entry(action):
    return db.session.scalars(
        db.select(ModerationAction).where(ModerationAction.action == action)
    ).one()


def test_token_counts_are_shared_through_the_database(app, admin, moderator, thread):
    train_ham_through_the_queue(admin, moderator, thread)
    post = threads.reply(factories.make_user("customer", "seller"), thread, REPLICAS[0])
    services.remove(moderator, post, spam=True, version=post.review_version)
    row = db.session.get(SpamModel, 1)
    assert (row.spam_docs, row.ham_docs) == (1, len(HAM))
    app.extensions.pop(classifier.CACHE_KEY, None)  # as in another worker
    [reason] = classifier.check(Sample("", REPLICAS[1]), load_policy())
    assert reason.weight > 0


def test_seed_command_learns_the_corpus_once(runner):
    first = runner.invoke(args=["spam", "seed"])
    assert "Learned" in first.output
    totals = classifier.totals()
    assert totals.spam_docs > 100 and totals.ham_docs > 100
    again = runner.invoke(args=["spam", "seed"])
    assert "already learned" in again.output
    assert classifier.totals().spam_docs == totals.spam_docs


def test_score_command_writes_one_verdict_per_line(runner):
    lines = [
        {"text": "Hello, my sync stops at 99%", "author": {"username": "bob", "posts": 0}},
        {"title": "Help", "text": "See https://x.example.biz https://y.example.biz now"},
        {
            "text": "Call 1-8OO-555-O199 for casino bonus",
            "author": {"username": "m", "age_days": 3},
        },
    ]
    result = runner.invoke(args=["spam", "score"], input="\n".join(map(json.dumps, lines)))
    assert result.exit_code == 0
    verdicts = [json.loads(line) for line in result.output.splitlines()]
    assert [v["action"] for v in verdicts] == ["publish", "hold", "hold"]
    assert verdicts[1]["reasons"][0]["rule"] == "links.cap"


def test_score_command_reports_bad_lines_and_goes_on(runner):
    text = 'not json\n{"text": ""}\n{"text": "fine", "author": {"posts": -1}}\n{"text": "ok"}\n'
    result = runner.invoke(args=["spam", "score"], input=text)
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.output.splitlines()]
    assert "error" in out[0] and "text must be" in out[1]["error"]
    assert "author.posts" in out[2]["error"]
    assert out[3]["action"] == "publish"


def test_train_from_moderation_rebuilds_the_model(app, runner, admin, moderator, thread):
    train_ham_through_the_queue(admin, moderator, thread)
    post = threads.reply(factories.make_user("customer", "seller"), thread, REPLICAS[0])
    services.remove(moderator, post, spam=True, version=post.review_version)
    expected = classifier.totals()
    result = runner.invoke(args=["spam", "train", "--from-moderation", "--no-corpus"])
    assert "Learned 1 spam and 3 ham decisions" in result.output
    rebuilt = classifier.totals()
    assert (rebuilt.spam_tokens, rebuilt.ham_tokens) == (expected.spam_tokens, expected.ham_tokens)
    assert runner.invoke(args=["spam", "train"]).exit_code == 2
