"""Build a realistic synthetic forum fast, index it, and say how fast that went.

    .venv/bin/python bench/seed.py --posts 1000000 [--database-url URL] [--index-dir DIR]

The schema comes from the real migrations (`flask db upgrade`); rows are inserted in bulk with
SQLAlchemy Core executemany (not through the services: a million posts through the spam layers
and Markdown would take hours); the search index is built by the same code as
`flask search reindex`. What it makes, for N posts:

- users: N/50 (at least 200), activity Zipf-distributed; 1 admin, 5 moderators, 20 staff;
- 12 categories, popularity Zipf-distributed;
- threads of 1 question and 1–40 replies (1 + exponential, mean 9: N/10 threads), a quarter of
  the replies by staff, 40 % solved with an accepted answer, a few pinned; about 1 % of replies
  held, 0.5 % hidden and 0.5 % deleted;
- published KB articles for 5 % of the solved threads;
- text: Zipf-distributed words (s = 1.07) over a 30,000-word vocabulary, log-normal lengths
  (the generator of bench/search_bench.py); Post.html is the paragraphs markup.render would make;
- the spam classifier's starter corpus, as `flask spam seed` teaches it.

It writes bench/out/seed-<name>.json: the counts, the seconds of each phase and the fixtures
bench/run.sh needs (a thread with exactly 20 replies, a category, a KB article, the accounts
`bench_customer` / `bench_staff`, password `bench-password`).
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from itertools import accumulate

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, HERE]

from search_bench import Text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from config import Config  # noqa: E402
from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.users.confusables import confusable_key  # noqa: E402

PASSWORD = "bench-password"
CHUNK = 20_000  # rows per executemany
START = datetime(2023, 1, 1)
SPAN = timedelta(days=3 * 365)  # threads spread over three years
CATEGORIES = (
    "Getting started", "Sync & backup", "Billing & accounts", "Windows client", "macOS client",
    "Linux client", "Mobile apps", "Sharing & teams", "Security & privacy", "API & integrations",
    "Feature requests", "Announcements",
)  # fmt: skip


def zipf_weights(n, s=1.0):
    return list(accumulate(1 / rank**s for rank in range(1, n + 1)))


class Forum:
    """Generates the rows, thread by thread, and flushes them in chunks."""

    def __init__(self, n_posts, rng):
        self.n_posts, self.rng, self.text = n_posts, rng, Text(rng)
        self.n_threads_goal = max(1, n_posts // 10)
        self.n_users = max(200, n_posts // 50)
        self.staff = list(range(2, 22))  # ids 2..21; 22..26 moderators; 1 admin
        # 27 is bench_customer, who never posts in the seed: "basic" trust (10 approved posts),
        # so posting as it goes through every spam layer, the classifier included.
        self.customers = list(range(28, self.n_users + 1))
        self.customer_weights = zipf_weights(len(self.customers), 0.8)
        self.category_weights = zipf_weights(len(CATEGORIES), 0.7)
        self.threads, self.posts, self.accepted, self.articles = [], [], [], []
        self.posted_by = {27: 10}  # user id -> visible posts, for trust (approved_posts)
        self.counts = {"threads": 0, "posts": 0, "articles": 0}
        self.fixtures = {}

    def users(self):
        rows = []
        hashed = generate_password_hash(PASSWORD)  # scrypt, as in production, for the logins
        for i in range(1, self.n_users + 1):
            role = (
                "admin"
                if i == 1
                else "staff"
                if i <= 21
                else "moderator"
                if i <= 26
                else "customer"
            )
            name = {1: "bench_admin", 2: "bench_staff", 27: "bench_customer"}.get(i, f"user{i}")
            rows.append(
                {"id": i, "username": name, "username_key": name,
                 "username_skeleton": confusable_key(name)[:120], "email": f"{name}@example.com",
                 "password_hash": hashed if name.startswith("bench_") else "!", "role": role,
                 "is_banned": False, "session_token": f"s{i:08d}",
                 "created_at": START - timedelta(days=self.rng.randint(30, 900)),
                 "approved_posts": self.posted_by.get(i, 0)}
            )  # fmt: skip
        return rows

    def customer(self):
        return self.rng.choices(self.customers, cum_weights=self.customer_weights)[0]

    def thread(self, thread_id, first_post_id):
        rng, text = self.rng, self.text
        created = (
            START + SPAN * (thread_id / self.n_threads_goal) + timedelta(minutes=rng.random() * 30)
        )
        replies = min(40, 1 + int(rng.expovariate(1 / 8)))
        title = text.title()[:200]
        category = rng.choices(range(1, len(CATEGORIES) + 1), cum_weights=self.category_weights)
        author = self.customer()
        moment, post_id, visible = created, first_post_id, 0
        first_reply = first_staff = answer = None
        for r in range(replies + 1):
            if r:
                moment += timedelta(minutes=rng.expovariate(1 / 180))
            staff = r > 0 and rng.random() < 0.25
            by = author if r == 0 else rng.choice(self.staff) if staff else self.customer()
            status = "visible"
            if r:
                roll = rng.random()
                status = (
                    "held"
                    if roll < 0.01
                    else "hidden"
                    if roll < 0.015
                    else ("deleted" if roll < 0.02 else "visible")
                )
            body, html = text.post(4.4 if r == 0 else 3.9)
            self.posts.append(
                {"id": post_id, "thread_id": thread_id, "author_id": by, "is_question": r == 0,
                 "body": body, "html": html, "status": status, "created_at": moment,
                 "open_flags": 0, "review_version": 0}
            )  # fmt: skip
            if status == "visible":
                self.posted_by[by] = self.posted_by.get(by, 0) + 1
                if r:
                    visible += 1
                    first_reply = first_reply or moment
                    if staff:
                        first_staff = first_staff or moment
                        answer = answer or (post_id, by, moment, body, html)
                    elif answer is None and rng.random() < 0.1:
                        answer = (post_id, by, moment, body, html)
            post_id += 1
        solved = answer is not None and rng.random() < 0.4 / 0.75
        row = {
            "id": thread_id, "category_id": category[0], "author_id": author, "title": title,
            "slug": "-".join(title.lower().split())[:80].strip("-") or "thread",
            "status": "visible", "locked": False, "pinned": thread_id % 20_000 == 7,
            "reply_count": visible, "created_at": created, "last_activity_at": moment,
            "first_reply_at": first_reply, "first_staff_reply_at": first_staff,
        }  # fmt: skip
        self.threads.append(row)
        if solved:
            self.accepted.append(
                {"tid": thread_id, "pid": answer[0], "by": self.staff[0], "at": answer[2]}
            )
            if rng.random() < 0.05:
                self.article(row, answer)
        if replies == 20 and visible == 20 and "thread_20_replies" not in self.fixtures:
            self.fixtures["thread_20_replies"] = {"id": thread_id, "slug": row["slug"]}
        return post_id

    def article(self, thread, answer):
        post_id, by, moment, body, html = answer
        self.articles.append(
            {"title": thread["title"], "slug": thread["slug"], "summary": body[:300],
             "body": body, "html": html, "status": "published",
             "category_id": thread["category_id"], "source_thread_id": thread["id"],
             "source_post_id": post_id, "credited_user_id": by, "needs_review": False,
             "review_reason": "", "helpful_yes": self.rng.randint(0, 40),
             "helpful_no": self.rng.randint(0, 10), "created_by_id": self.staff[0],
             "created_at": moment, "updated_at": moment, "published_at": moment}
        )  # fmt: skip


def insert(table, rows):
    for start in range(0, len(rows), CHUNK):
        db.session.execute(db.insert(table), rows[start : start + CHUNK])


def fill(forum, progress):
    from forum.categories.models import Category
    from forum.kb.models import Article
    from forum.threads.models import Post, Thread
    from forum.users.models import User

    db.session.execute(
        db.insert(Category.__table__),
        [{"id": i, "name": name, "slug": "-".join(name.lower().replace("&", "").split()),
          "description": f"Questions about {name.lower()}.", "position": i}
         for i, name in enumerate(CATEGORIES, start=1)],
    )  # fmt: skip
    # Content is generated and inserted in chunks to keep memory flat, so users go in first and
    # get their approved_posts (trust) at the end.
    insert(User.__table__, forum.users())
    db.session.commit()
    thread_id, post_id = 1, 1
    while post_id <= forum.n_posts:
        post_id = forum.thread(thread_id, post_id)
        thread_id += 1
        if len(forum.posts) >= CHUNK or post_id > forum.n_posts:
            insert(Thread.__table__, forum.threads)
            insert(Post.__table__, forum.posts)
            db.session.commit()
            forum.counts["threads"] += len(forum.threads)
            forum.counts["posts"] += len(forum.posts)
            forum.threads.clear(), forum.posts.clear()
            progress(forum.counts)
    table = Thread.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == db.bindparam("tid"))
        .values(
            accepted_post_id=db.bindparam("pid"),
            accepted_by_id=db.bindparam("by"),
            solved_at=db.bindparam("at"),
        ),
        forum.accepted,
    )
    users = User.__table__
    db.session.execute(
        users.update()
        .where(users.c.id == db.bindparam("uid"))
        .values(approved_posts=db.bindparam("n")),
        [{"uid": uid, "n": n} for uid, n in forum.posted_by.items()],
    )
    insert(Article.__table__, forum.articles)
    if db.engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind
        for table in ("users", "categories", "threads", "posts"):
            db.session.execute(
                db.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
    db.session.commit()
    forum.counts["articles"] = len(forum.articles)
    forum.counts["solved"] = len(forum.accepted)
    forum.counts["users"] = forum.n_users


def empty_database(url):
    """A database with nothing in it: the SQLite file removed, or the PostgreSQL schema reset."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def build(args):
    import shutil

    from flask_migrate import upgrade
    from sqlalchemy import event

    from forum.search import backend
    from forum.spam.corpus import seed as seed_classifier

    class SeedConfig(Config):
        SECRET_KEY = "bench-seed"
        SQLALCHEMY_DATABASE_URI = args.database_url
        SEARCH_INDEX_DIR = args.index_dir
        RATELIMIT_ENABLED = False

    empty_database(args.database_url)
    shutil.rmtree(args.index_dir, ignore_errors=True)
    app = create_app(SeedConfig)
    timings = {}
    os.chdir(ROOT)  # Flask-Migrate finds migrations/ relative to the working directory
    with app.app_context():
        started = time.perf_counter()
        if db.engine.dialect.name == "sqlite":
            # A bulk load needs no durability until it is finished: no fsync per commit.
            event.listen(
                db.engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF")
            )
            db.engine.dispose()
        upgrade()
        timings["schema_s"] = time.perf_counter() - started
        forum = Forum(args.posts, random.Random(args.seed))
        started = time.perf_counter()
        fill(forum, lambda counts: report_progress("fill", counts, started))
        seed_classifier()
        timings["fill_s"] = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            vacuum_like_autovacuum()
        started = time.perf_counter()
        documents = 0
        if not args.no_index:
            # The application's backend: Whoosh on SQLite, search_documents on PostgreSQL.
            search = backend.current()
            documents, _seconds = search.rebuild(procs=args.procs, limitmb=args.limitmb)
            args.search_backend = search.name
        timings["index_s"] = time.perf_counter() - started
    return forum, documents, timings


def vacuum_like_autovacuum():
    """Leave the tables as autovacuum (on by default; off on some test machines) keeps them.

    The category counters are updated once per thread the fill inserts (forum/categories/
    counts.py): without a vacuum in between, the 12 rows of ``categories`` end up spread over
    1,300 pages that every page of the forum then scans (2 ms instead of 0.04). Autovacuum
    reclaims that space minute by minute as it goes; after a bulk load it takes a VACUUM FULL of
    that small table. VACUUM cannot run inside a transaction: a connection of its own, in
    autocommit."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM FULL categories")
        connection.exec_driver_sql("VACUUM ANALYZE")


def report_progress(phase, counts, started):
    elapsed = time.perf_counter() - started
    print(
        f"{phase}: {counts['posts']:,} posts, {counts['threads']:,} threads "
        f"({counts['posts'] / elapsed:,.0f} posts/s)",
        file=sys.stderr,
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a SQLite file in bench/out/")
    parser.add_argument("--index-dir", help="default: bench/out/index-<name>")
    parser.add_argument("--name", help="names the outputs; default: sqlite-<posts> or pg-<posts>")
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--limitmb", type=int, default=256)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-index", action="store_true", help="skip the search index")
    parser.add_argument("--out", default=os.path.join(HERE, "out"), help="where results go")
    args = parser.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    kind = "pg" if args.database_url and args.database_url.startswith("postgres") else "sqlite"
    args.name = args.name or f"{kind}-{args.posts}"
    args.database_url = args.database_url or f"sqlite:///{out}/forum-{args.name}.db"
    args.index_dir = os.path.abspath(args.index_dir or os.path.join(out, f"index-{args.name}"))
    started = time.perf_counter()
    forum, documents, timings = build(args)
    total = time.perf_counter() - started
    result = {
        "name": args.name,
        "database_url": args.database_url,
        "index_dir": args.index_dir,
        **forum.counts,
        "documents": documents,
        "search_backend": getattr(args, "search_backend", None),
        **{key: round(value, 1) for key, value in timings.items()},
        "total_s": round(total, 1),
        "fill_posts_per_s": round(forum.counts["posts"] / timings["fill_s"]),
        "index_posts_per_s": round(forum.counts["posts"] / timings["index_s"])
        if documents
        else None,
        "index_docs_per_s": round(documents / timings["index_s"]) if documents else None,
        "procs": args.procs,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "fixtures": {
            **forum.fixtures,
            "category": "-".join(CATEGORIES[1].lower().replace("&", "").split()),
            "kb_article": 1 if forum.counts["articles"] else None,
            "logins": {"customer": "bench_customer", "staff": "bench_staff", "password": PASSWORD},
        },
    }
    with open(os.path.join(out, f"seed-{args.name}.json"), "w") as handle:
        json.dump(result, handle, indent=2, default=str)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
