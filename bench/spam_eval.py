"""Measure the spam layers: precision/recall, time per assessment, SQL queries added to posting.

    python bench/spam_eval.py [--out bench/out/spam_eval.json]

1. The hand-written corpus (forum/spam/corpus) is split deterministically into four folds by
   crc32(text) % 4; each fold in turn is the test set and the other three the training set,
   each on a fresh database. Fold 0 is "the" split; the pooled figures add up all four.
2. Training goes through the moderation path on an empty classifier: with "hold every post
   from new accounts" on, each training item is posted by its author (trust from the corpus),
   then a moderator approves it (ham) or removes it as spam (spam) through
   forum.moderation.services, exactly as the review queue does.
3. The test set is scored through forum.spam.probe.score, the function behind
   `flask spam score` and the moderators' score endpoint. Positive = hold or reject. It is
   scored twice: before training (rules and heuristics only, the classifier untrained) and
   after.
4. Timing (fold 0): assess() on 2,000-character posts by a new account with a known id (so
   the duplicate and velocity queries run) against the trained model, 500 runs after a
   warm-up, wall clock and CPU time; also with the classifier's token cache emptied each run.
5. Queries (fold 0): statements executed by one reply from a new account, with and without
   screening.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import zlib
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import event  # noqa: E402

from config import TestingConfig  # noqa: E402
from forum import create_app  # noqa: E402
from forum.clock import utcnow  # noqa: E402
from forum.extensions import db  # noqa: E402

FOLDS = 4


def fold_of(item):
    return zlib.crc32(item.text.encode()) % FOLDS


def make_app(path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        SEARCH_INDEX_DIR = os.path.join(os.path.dirname(path), "index")
        # The corpus compresses weeks of posting into seconds; velocity would fire for
        # every prolific author, so it is switched off for the replay (and only then).
        SPAM_SETTINGS = {"velocity_max_posts": 1000}

    return create_app(Config)


def author_for(item, users, n):
    from forum.users import services as users_service

    spec = item.author or {}
    name = spec.get("username", "someone")
    if name not in users:
        user = users_service.create_user(
            f"u{n}_{name}"[:30], f"u{n}@example.com", "a long password 1"
        )
        user.approved_posts = int(spec.get("posts", 0))
        user.created_at = utcnow() - timedelta(days=float(spec.get("age_days", 0)))
        db.session.commit()
        users[name] = user
    return users[name]


def replay_training(train, moderator, category, host):
    from forum.moderation import services
    from forum.moderation.errors import ModerationError
    from forum.threads import services as threads
    from forum.threads.errors import ContentError

    users, counts = {}, {"spam": 0, "ham": 0, "published_ham": 0, "refused": 0}
    for n, item in enumerate(train):
        author = author_for(item, users, n)
        try:
            if item.title:
                post = threads.create_thread(author, category, item.title, item.text).question
            else:
                post = threads.reply(author, host, item.text)
        except ContentError:
            counts["refused"] += 1
            continue
        try:
            if item.label == "spam":
                services.remove(moderator, post, spam=True, version=post.review_version)
                counts["spam"] += 1
            elif post.status == "held":
                services.approve(moderator, post)
                counts["ham"] += 1
            else:
                counts["published_ham"] += 1
        except ModerationError:
            counts["refused"] += 1
    return counts


def score_tests(test):
    from forum.spam import probe

    rows = []
    for item in test:
        data = {"title": item.title, "text": item.text, "author": item.author}
        verdict = probe.score(data)
        rows.append((item, verdict))
    tp = sum(1 for i, v in rows if i.label == "spam" and v["action"] != "publish")
    fp = sum(1 for i, v in rows if i.label == "ham" and v["action"] != "publish")
    fn = sum(1 for i, v in rows if i.label == "spam" and v["action"] == "publish")
    tn = sum(1 for i, v in rows if i.label == "ham" and v["action"] == "publish")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    mistakes = [
        {
            "label": i.label,
            "action": v["action"],
            "score": v["score"],
            "text": i.text[:120],
            "reasons": [(r["rule"], r["weight"]) for r in v["reasons"]],
        }
        for i, v in rows
        if (i.label == "spam") != (v["action"] != "publish")
    ]
    return {
        "test_items": len(rows),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "mistakes": mistakes,
    }


def long_posts(items, count=50):
    """``count`` different 2,000-character posts, each a shuffle of real ham texts."""
    import random

    texts = [item.text for item in items if item.label == "ham"]
    rng = random.Random(4)
    posts = []
    for _ in range(count):
        rng.shuffle(texts)
        posts.append("\n\n".join(texts)[:2000])
    return posts


def time_assessments(items, author, runs=500, cold=False):
    """Time of assess() per post, wall clock and CPU. Each run starts a fresh transaction
    that has loaded the author, as a posting request has by then; ``cold`` also empties the
    classifier's token cache first, as right after a moderator decision."""
    from flask import current_app

    from forum.spam.classifier import CACHE_KEY
    from forum.spam.scoring import assess
    from forum.spam.text import Sample
    from forum.spam.trust import Author
    from forum.users.models import User

    posts = long_posts(items)
    profile = Author.of(author)
    wall, cpu = [], []
    for run in range(runs + 50):
        body = posts[run % len(posts)]
        db.session.rollback()
        db.session.execute(db.select(User.id).where(User.id == author.id)).all()
        if cold:
            current_app.extensions.pop(CACHE_KEY, None)
        started, started_cpu = time.perf_counter(), time.process_time()
        assess(Sample("", body, False), profile)
        if run >= 50:  # the first runs warm up imports and caches
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    cpu.sort()
    return {
        "chars": len(posts[0]),
        "runs": runs,
        "wall_p50_ms": round(statistics.median(wall), 3),
        "wall_p95_ms": round(wall[int(runs * 0.95) - 1], 3),
        "cpu_p50_ms": round(statistics.median(cpu), 3),
        "cpu_p95_ms": round(cpu[int(runs * 0.95) - 1], 3),
        "load_average": os.getloadavg()[0],
    }


def count_queries(author, host):
    """SQL statements of one reply by a new account: with the spam policy just reloaded, with
    it cached, and with screening switched off. Returns counts and the statements."""
    from unittest import mock

    from forum.moderation import screening
    from forum.spam.policy import invalidate
    from forum.spam.verdict import Verdict
    from forum.threads import services as threads

    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split())[:90])

    runs = {}
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        db.session.commit()  # each reply starts its own transaction, as a request does
        invalidate()
        threads.reply(author, host, "Does the restore keep folder permissions on Windows?")
        runs["with_screening_policy_reloaded"] = list(statements)
        statements.clear()
        threads.reply(author, host, "And does it keep the modification dates of the files?")
        runs["with_screening_policy_cached"] = list(statements)
        statements.clear()
        publish = Verdict("publish", 0.0, [], "team")
        with mock.patch.object(screening, "screen", return_value=publish):
            threads.reply(author, host, "One more: are hidden files restored as hidden?")
        runs["without_screening"] = list(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    counts = {name: len(found) for name, found in runs.items()}
    base = counts["without_screening"]
    counts["added_policy_cached"] = counts["with_screening_policy_cached"] - base
    counts["added_policy_reloaded"] = counts["with_screening_policy_reloaded"] - base
    return {"counts": counts, "statements": runs}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench/out/spam_eval.json")
    parser.add_argument("--folds", type=int, default=FOLDS, help="how many folds to run")
    args = parser.parse_args()
    report = {"folds": []}
    for fold in range(args.folds):
        with tempfile.TemporaryDirectory() as tmp:
            app = make_app(os.path.join(tmp, "eval.db"))
            with app.app_context():
                db.create_all()
                report["folds"].append(run(fold, measure=fold == 0))
                db.session.remove()
    report["pooled"] = pooled(report["folds"])
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=1, ensure_ascii=False)
    print(json.dumps(summary(report), indent=1))


def pooled(folds):
    result = {}
    for stage in ("heuristics_only", "test"):
        tp, fp, fn, tn = (sum(f[stage][k] for f in folds) for k in ("tp", "fp", "fn", "tn"))
        result[stage] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
        }
    return result


def summary(report):
    """The report without the per-item mistakes and statement lists."""
    folds = []
    for fold in report["folds"]:
        brief = {k: v for k, v in fold.items() if k not in ("test", "heuristics_only", "queries")}
        for stage in ("heuristics_only", "test"):
            brief[stage] = {k: v for k, v in fold[stage].items() if k != "mistakes"}
        if "queries" in fold:
            brief["queries"] = fold["queries"]["counts"]
        folds.append(brief)
    return {"folds": folds, "pooled": report["pooled"]}


def run(fold, measure):
    from forum.categories import services as categories
    from forum.spam import services as spam_services
    from forum.spam.corpus import load
    from forum.threads import services as threads
    from forum.users import services as users_service

    items = load()
    train = [item for item in items if fold_of(item) != fold]
    test = [item for item in items if fold_of(item) == fold]
    password = "a long password 1"
    admin = users_service.create_user("eval_admin", "admin@example.com", password, "admin")
    moderator = users_service.create_user("eval_mod", "mod@example.com", password, "moderator")
    category = categories.create(admin, "General", "general")
    host = threads.create_thread(admin, category, "Replies go here", "Host thread for replies.")
    before = score_tests(test)
    spam_services.save_settings(admin, {"premoderate_new": True})
    training = replay_training(train, moderator, category, host)
    spam_services.save_settings(admin, {"premoderate_new": False})
    result = {
        "fold": fold,
        "split": {
            "train": len(train),
            "test": len(test),
            "test_spam": sum(i.label == "spam" for i in test),
            "test_ham": sum(i.label == "ham" for i in test),
        },
        "training": training,
        "heuristics_only": before,
        "test": score_tests(test),
    }
    if measure:
        newcomer = users_service.create_user("timing_newcomer", "new@example.com", password)
        result["timing_2000_chars"] = time_assessments(items, newcomer)
        result["timing_2000_chars_cold_cache"] = time_assessments(items, newcomer, cold=True)
        result["queries"] = count_queries(newcomer, host)
    return result


if __name__ == "__main__":
    main()
