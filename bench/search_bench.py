"""Search benchmark: fill a fresh database with N synthetic posts, index them, time 100 queries.

    .venv/bin/python bench/search_bench.py --posts 10000 100000
    .venv/bin/python bench/search_bench.py --posts 100000 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scratch   # both backends
    .venv/bin/python bench/search_bench.py --posts 1000000 --backends postgres --database-url …

For each N: one database (a temporary SQLite file, or the scratch PostgreSQL database given,
whose tables are dropped) filled in bulk with users, categories, threads and posts (not through
the services or HTTP); then, for each backend on that same database, the index built by the
same code as `flask search reindex`, and 100 fixed queries (seeded) run twice, the second pass
timed. Reports indexing throughput and p50/p95 latency of the engine alone (the backend's
prepare and run, with the OR fallback), of the whole `search()` call (plus database re-read,
permission check and snippets) and of `similar()`, and PostgreSQL's latencies over Whoosh's.
Text is Zipf-distributed over a 30,000-word vocabulary whose top ranks are English function
words and support-forum terms; lengths follow log-normal distributions.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from html import escape
from itertools import accumulate

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from config import Config  # noqa: E402
from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402

FUNCTION_WORDS = (
    "the to and a of i it is in you that for on my this with have but be not can do if what "
    "was so are at as when there just or how any from get your all an has we me would no one "
    "they out up about will after does did been also then now them some which why here had"
).split()
DOMAIN_WORDS = (
    "sync backup restore file files folder error windows macos linux client update version "
    "install installer upload download account password login invoice billing plan storage "
    "share link team admin user device phone app desktop web dashboard settings sync-folder "
    "agent tray icon network proxy firewall vpn server cloud drive disk space quota limit "
    "slow fast stuck fails failed failing crash crashes freeze progress percent log logs "
    "permission denied access token api key webhook export import delete deleted trash "
    "version-history snapshot schedule retention encryption key-file certificate ssl tls "
    "mac iphone android ipad browser chrome firefox safari edge outlook office excel word "
    "photo photos video videos music document documents pdf zip archive large small size "
    "time hour hours day days week month minutes seconds again still never always sometimes "
    "working works worked problem issue question help support ticket thanks reply answer "
    "tried trying try restart restarted reinstall reinstalled reboot computer laptop machine "
    "new old first last same different other another whole every each missing lost found "
    "shows showing message warning code status page screen button menu option options click"
).split()
SYLLABLES = "ba be bi bo bu ka ke ki ko ku ra re ri ro ru ta te ti to tu na ne ni no nu".split()
SYLLABLES += "sa se si so su ma me mi mo mu la le li lo lu da de di do du pa pe pi po pu".split()


def vocabulary(size, rng):
    words = list(dict.fromkeys(FUNCTION_WORDS + DOMAIN_WORDS))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Text:
    """Zipf-distributed words (s = 1.07) and log-normal lengths."""

    def __init__(self, rng, size=30_000):
        self.rng = rng
        self.words = vocabulary(size, rng)
        self.cumulative = list(accumulate(1 / rank**1.07 for rank in range(1, size + 1)))

    def words_(self, n):
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def length(self, mu, sigma, low, high):
        return max(low, min(high, int(self.rng.lognormvariate(mu, sigma))))

    def sentence_block(self, n):
        words = self.words_(n)
        paragraphs, size = [], max(25, n // 3)
        for start in range(0, n, size):
            paragraphs.append(" ".join(words[start : start + size]).capitalize() + ".")
        return paragraphs

    def title(self):
        return " ".join(self.words_(self.length(2.1, 0.3, 4, 14))).capitalize()

    def post(self, mu):
        paragraphs = self.sentence_block(self.length(mu, 0.6, 8, 1200))
        return "\n\n".join(paragraphs), "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)


def fill(n_posts, rng, text):
    """Insert users, categories, threads and posts in bulk; returns the thread count."""
    from forum.categories.models import Category
    from forum.threads.models import Post, Thread
    from forum.users.models import User

    users = [
        {"id": i, "username": f"user{i}", "username_key": f"user{i}",
         "username_skeleton": f"user{i}", "email": f"u{i}@example.com",
         "password_hash": "x", "role": "staff" if i <= 10 else "customer", "is_banned": False,
         "session_token": f"t{i}", "created_at": datetime(2023, 1, 1)}
        for i in range(1, 501)
    ]  # fmt: skip
    db.session.execute(db.insert(User.__table__), users)
    db.session.execute(
        db.insert(Category.__table__),
        [{"id": i, "name": f"Category {i}", "slug": f"category-{i}", "description": "",
          "position": i} for i in range(1, 9)],
    )  # fmt: skip
    threads, posts, accepted = [], [], []
    start = datetime(2023, 1, 1)
    thread_id = post_id = 0
    while post_id < n_posts:
        thread_id += 1
        created = start + timedelta(minutes=thread_id * 17)
        replies = min(int(rng.expovariate(1 / 4)), 60)
        title = text.title()
        threads.append(
            {"id": thread_id, "category_id": rng.randint(1, 8), "author_id": rng.randint(11, 500),
             "title": title[:200], "slug": title[:60].lower().replace(" ", "-"),
             "status": "visible", "locked": False, "pinned": False, "reply_count": replies,
             "created_at": created, "last_activity_at": created}
        )  # fmt: skip
        for r in range(replies + 1):
            post_id += 1
            body, html = text.post(4.4 if r == 0 else 3.9)
            posts.append(
                {"id": post_id, "thread_id": thread_id, "author_id": rng.randint(1, 500),
                 "is_question": r == 0, "body": body, "html": html, "status": "visible",
                 "created_at": created + timedelta(hours=r)}
            )  # fmt: skip
            if r == 1 and rng.random() < 0.4:
                accepted.append({"tid": thread_id, "pid": post_id, "at": created})
    for chunk in range(0, len(threads), 5000):
        db.session.execute(db.insert(Thread.__table__), threads[chunk : chunk + 5000])
        db.session.commit()  # see forum/categories/counts.py on long bulk transactions
    for chunk in range(0, len(posts), 2000):
        db.session.execute(db.insert(Post.__table__), posts[chunk : chunk + 2000])
    table = Thread.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == db.bindparam("tid"))
        .values(accepted_post_id=db.bindparam("pid"), solved_at=db.bindparam("at")),
        accepted,
    )
    db.session.commit()
    return len(threads), len(posts)


def fixed_queries(text, rng):
    """100 queries: 60 of 2–4 words, 10 phrases, 10 filtered, 10 with an exclusion, 10 ORs."""
    content = [w for w in text.words if w not in FUNCTION_WORDS]
    weights = list(accumulate(1 / rank**1.07 for rank in range(1, len(content) + 1)))

    def pick(k):
        return rng.choices(content, cum_weights=weights, k=k)

    queries = [" ".join(pick(rng.randint(2, 4))) for _ in range(60)]
    queries += [f'"{" ".join(pick(2))}"' for _ in range(10)]
    queries += [f"{' '.join(pick(2))} {rng.choice(['is:solved', 'category:category-3'])}"
                for _ in range(10)]  # fmt: skip
    queries += [f"{' '.join(pick(2))} -{pick(1)[0]}" for _ in range(10)]
    queries += [f"{pick(1)[0]} OR {pick(1)[0]}" for _ in range(10)]
    return queries


def percentiles(samples):
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def timed(function, inputs):
    for item in inputs:  # warm-up pass: OS cache, stemmer cache, searcher
        function(item)
    samples = []
    for item in inputs:
        started = time.perf_counter()
        function(item)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def bench_app(backend, database_url, index_dir):
    class BenchConfig(Config):
        SECRET_KEY = "bench"
        SQLALCHEMY_DATABASE_URI = database_url
        SEARCH_INDEX_DIR = index_dir
        SEARCH_BACKEND = backend
        RATELIMIT_ENABLED = False

    return create_app(BenchConfig)


def index_size(backend, index_dir):
    """Bytes the index takes: Whoosh's directory, or the search_documents table with its
    TOAST data and indexes."""
    if backend == "whoosh":
        return sum(os.path.getsize(os.path.join(index_dir, f)) for f in os.listdir(index_dir))
    return db.session.scalar(db.text("SELECT pg_total_relation_size('search_documents')"))


def measure(backend, database_url, index_dir, procs, text):
    """Index the filled database with ``backend`` and time the fixed queries."""
    from forum.search import backend as search
    from forum.search import queries
    from forum.search.queries import restrictions
    from forum.search.syntax import parse

    app = bench_app(backend, database_url, index_dir)
    with app.app_context():
        engine = search.current()
        documents, seconds = engine.rebuild(procs=procs, limitmb=256)
        if backend == "postgres":
            # The steady state autovacuum reaches shortly after a rebuild (hint bits,
            # visibility map); rebuild() itself already ran ANALYZE.
            db.session.commit()
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    db.text("VACUUM search_documents")
                )
        query_texts = fixed_queries(text, random.Random(7))
        titles = [text.title() for _ in range(100)]

        def engine_only(q):
            parsed = parse(q)
            restrict = restrictions(parsed.filters, [])
            found = engine.run(engine.prepare(parsed), restrict, 0, 20)
            if found.total == 0 and len(parsed.groups) > 1 and not parsed.explicit_or:
                engine.run(engine.prepare(parsed, match_any=True), restrict, 0, 20)

        with app.test_request_context():
            return {
                "backend": backend,
                "index_s": round(seconds, 1),
                "index_docs_per_s": round(documents / seconds),
                "index_mb": round(index_size(backend, index_dir) / 2**20, 1),
                "engine": timed(engine_only, query_texts),
                "search": timed(lambda q: queries.search(q, None), query_texts),
                "similar": timed(lambda t: queries.similar(t, None), titles),
                "hits_per_query": round(
                    statistics.mean(queries.search(q, None).total for q in query_texts)
                ),
            }


def run(n_posts, backends, procs, workdir, database_url):
    """Fill one database with ``n_posts`` and measure each backend on it; one result each."""
    database_url = database_url or f"sqlite:///{workdir}/bench-{n_posts}.db"
    app = bench_app(backends[0], database_url, f"{workdir}/unused")
    rng = random.Random(2024)
    text = Text(rng)
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        n_threads, n_posts = fill(n_posts, rng, text)
        filled = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    results = []
    for backend in backends:
        index_dir = f"{workdir}/index-{n_posts}-{backend}"
        result = measure(backend, database_url, index_dir, procs, text)
        dialect = database_url.split(":", 1)[0].split("+")[0]
        results.append({"posts": n_posts, "threads": n_threads, "database": dialect,
                        "fill_s": round(filled, 1), "procs": procs, **result})  # fmt: skip
        results[-1]["index_posts_per_s"] = round(n_posts / result["index_s"])
        print(json.dumps(results[-1]), flush=True)
    return results


def ratios(results):
    """PostgreSQL's latencies over Whoosh's, per size, for the summary."""
    by_size = {}
    for result in results:
        by_size.setdefault(result["posts"], {})[result["backend"]] = result
    out = []
    for posts, pair in by_size.items():
        if {"whoosh", "postgres"} <= set(pair):
            pg, wh = pair["postgres"], pair["whoosh"]
            out.append(
                {"posts": posts, "postgres_over_whoosh": {
                    part: {p: round(pg[part][p] / wh[part][p], 2) for p in ("p50_ms", "p95_ms")}
                    for part in ("engine", "search", "similar")}}
            )  # fmt: skip
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", choices=("whoosh", "postgres"))
    parser.add_argument(
        "--database-url",
        help="a scratch PostgreSQL database (postgresql+psycopg://…): its tables are dropped. "
        "Needed for the postgres backend; without it, a temporary SQLite file",
    )
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "out"))
    args = parser.parse_args()
    backends = args.backends or (["whoosh", "postgres"] if args.database_url else ["whoosh"])
    if "postgres" in backends and not (args.database_url or "").startswith("postgresql"):
        parser.error("the postgres backend needs --database-url postgresql+psycopg://…")
    os.makedirs(args.out, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="search-bench-") as workdir:
        for n in args.posts:
            results += run(n, backends, args.procs, workdir, args.database_url)
    summary = ratios(results)
    for line in summary:
        print(json.dumps(line), flush=True)
    with open(os.path.join(args.out, "search_bench.json"), "w") as out:
        json.dump({"results": results, "ratios": summary}, out, indent=2)


if __name__ == "__main__":
    main()
