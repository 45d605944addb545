"""Soak test: concurrent visitors, customers and a moderator against gunicorn, then an audit.

    .venv/bin/python bench/soak.py [--clients 16] [--minutes 10] [--workers 4]
                                   [--database-url postgresql+psycopg://…]

Clients share out as one moderator, one "index probe" (a staff account that posts and times how
long until search finds the post), and then alternately customers (register, ask, reply, edit
their replies, flag) and visitors (home, category, thread, search). Every write the server
confirms (a redirect to the new thread or post) is remembered with its exact text. At the end:

- every confirmed post exists in the database with exactly the text the server confirmed
  (the last edit's text for edited replies), every confirmed thread with its title;
- every confirmed post that is visible at the end is found by searching for its unique word
  (a post the spam screen held, or the moderator removed, is only checked in the database);
- responses counted by status; throughput; p50/p99 latency per kind of request; index lag.

Targets (issue 9): 0 responses 5xx, 0 confirmed posts lost, index lag p100 <= 2 s. The script
exits 1 when one is missed. Results go to stdout and bench/out/soak.json.
"""

import argparse
import json
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import requests
import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # bench/server.py; the forum package
import server  # noqa: E402  (bench/server.py, next to this script)

from forum.demo import DEMO_PASSWORD  # noqa: E402

OUT = HERE / "out"
WORDS = (
    "printer invoice export account billing sync login password backup report dashboard "
    "upload download mobile app update version error timeout setting email notification "
    "calendar invoice workspace team permission folder file archive import license plan "
    "refund receipt schedule integration webhook token network proxy certificate install"
).split()
THREAD_LINK = re.compile(r'href="/threads/(\d+)/')
CATEGORY_LINK = re.compile(r'href="/c/([a-z0-9-]+)"')
SEARCH_HIT = re.compile(r"/search/go/thread/(\d+)")
QUEUE_ITEM = re.compile(
    r'action="/moderation/posts/(\d+)/approve[^"]*">\s*<input[^>]*name="csrf_token"[^>]*value="'
    r'([^"]+)"[^>]*>\s*<input type="hidden" name="version" value="(\d+)"'
)
THREAD_LOCATION = re.compile(r"/threads/(\d+)/[^?#]*$")
POST_ANCHOR = re.compile(r"#post-(\d+)$")


class Ledger:
    """What the server confirmed, and every response it gave."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts = {}  # post id -> (thread id, exact text)
        self.threads = {}  # thread id -> (title, question text)
        self.statuses = Counter()
        self.latency = defaultdict(list)
        self.by_kind = defaultdict(Counter)
        self.lags = []
        self.errors = []

    def record(self, kind, response, started):
        with self.lock:
            self.statuses[response.status_code] += 1
            self.latency[kind].append(time.perf_counter() - started)
            self.by_kind[kind][response.status_code] += 1
            if response.status_code >= 500 and len(self.errors) < 20:
                self.errors.append(f"{kind} {response.request.method} {response.url}")


def words(count):
    return " ".join(random.choices(WORDS, k=count))


def marker():
    return "soak" + uuid.uuid4().hex[:12]


class Client(threading.Thread):
    def __init__(self, base, ledger, deadline, seed):
        super().__init__(daemon=True)
        self.base, self.ledger, self.deadline = base, ledger, deadline
        self.random = random.Random(seed)
        self.http = requests.Session()
        self.failure = None

    def call(self, kind, method, path, **kwargs):
        started = time.perf_counter()
        # Pages are followed through redirects (/threads/<id> -> its slug URL); writes are not,
        # since their redirect's Location names what was created.
        response = self.http.request(
            method, self.base + path, allow_redirects=method == "GET", timeout=60, **kwargs
        )
        self.ledger.record(kind, response, started)
        return response

    def token(self, path):
        return server.csrf_token(self.call("form", "GET", path).text)

    def run(self):
        try:
            self.setup()
            while time.monotonic() < self.deadline:
                self.step()
        except Exception as error:  # noqa: BLE001  (reported at the end, never silent)
            self.failure = f"{type(self).__name__}: {error!r}"

    def setup(self):
        pass

    def post_reply(self, thread_id, body):
        """Reply through the thread page's form; the new post's id once the server confirmed it
        (and recorded in the ledger), else None (a locked thread has no reply form)."""
        page = self.call("thread", "GET", f"/threads/{thread_id}")
        token = server.csrf_token(page.text)
        if page.status_code != 200 or token is None:
            return None
        response = self.call(
            "reply",
            "POST",
            f"/threads/{thread_id}/reply",
            data={"csrf_token": token, "body": body},
        )
        found = POST_ANCHOR.search(response.headers.get("Location", ""))
        if response.status_code != 302 or not found:
            return None
        post_id = int(found.group(1))
        with self.ledger.lock:
            self.ledger.posts[post_id] = (thread_id, body)
        return post_id

    def thread_ids(self):
        home = self.call("home", "GET", "/").text
        slugs = CATEGORY_LINK.findall(home) or ["general"]
        page = self.call("category", "GET", f"/c/{self.random.choice(slugs)}").text
        return slugs, [int(i) for i in THREAD_LINK.findall(page)]


class Visitor(Client):
    def step(self):
        slugs, threads = self.thread_ids()
        if threads:
            self.call("thread", "GET", f"/threads/{self.random.choice(threads)}")
        self.call("search", "GET", "/search", params={"q": words(self.random.randint(1, 3))})


class Customer(Client):
    def setup(self):
        self.name = "soak_" + uuid.uuid4().hex[:10]
        token = self.token("/auth/register")
        response = self.call(
            "register",
            "POST",
            "/auth/register",
            data={
                "csrf_token": token,
                "username": self.name,
                "email": f"{self.name}@example.com",
                "password": "correct horse battery staple",
                "confirm": "correct horse battery staple",
            },
        )
        if response.status_code != 302:
            raise RuntimeError(f"registration answered {response.status_code}")
        self.replies = []

    def step(self):
        roll = self.random.random()
        slugs, threads = self.thread_ids()
        if roll < 0.2 or not threads:
            self.ask(self.random.choice(slugs))
        elif roll < 0.6:
            self.reply(self.random.choice(threads))
        elif roll < 0.8 and self.replies:
            self.edit(self.random.choice(self.replies))
        elif roll < 0.85:
            self.flag(threads)
        else:
            self.call("thread", "GET", f"/threads/{self.random.choice(threads)}")

    def ask(self, slug):
        title = f"{words(5)} {marker()}".capitalize()
        body = f"{words(30)}\n\n{marker()} {words(10)}"
        token = self.token("/threads/new")
        response = self.call(
            "ask",
            "POST",
            "/threads/new",
            data={"csrf_token": token, "category": slug, "title": title, "body": body},
        )
        found = THREAD_LOCATION.search(response.headers.get("Location", ""))
        if response.status_code == 302 and found:
            with self.ledger.lock:
                self.ledger.threads[int(found.group(1))] = (title, body)

    def reply(self, thread_id):
        post_id = self.post_reply(thread_id, f"{words(20)} {marker()}")
        if post_id is not None:
            self.replies.append(post_id)

    def edit(self, post_id):
        token = self.token(f"/posts/{post_id}/edit")
        body = f"{words(15)} edited {marker()}"
        response = self.call(
            "edit",
            "POST",
            f"/posts/{post_id}/edit",
            data={"csrf_token": token, "body": body},
        )
        if response.status_code == 302:
            with self.ledger.lock:
                thread_id, _ = self.ledger.posts[post_id]
                self.ledger.posts[post_id] = (thread_id, body)

    def flag(self, threads):
        page = self.call("thread", "GET", f"/threads/{self.random.choice(threads)}").text
        posts = re.findall(r'id="post-(\d+)"', page)
        if posts:
            post_id = self.random.choice(posts)
            token = self.token(f"/moderation/posts/{post_id}/flag")
            self.call(
                "flag",
                "POST",
                f"/moderation/posts/{post_id}/flag",
                data={"csrf_token": token, "reason": "off_topic", "note": ""},
            )


class Moderator(Client):
    def setup(self):
        server.sign_in(self.http, self.base, "mod", DEMO_PASSWORD)

    def step(self):
        queue = self.call("queue", "GET", "/moderation/").text
        items = QUEUE_ITEM.findall(queue)
        for post_id, token, version in items[:5]:
            action = "remove" if self.random.random() < 0.1 else "approve"
            self.call(
                "decide",
                "POST",
                f"/moderation/posts/{post_id}/{action}",
                data={"csrf_token": token, "version": version, "reason": ""},
            )
        time.sleep(0.5)


class IndexProbe(Client):
    """Posts as staff (never held) and measures how long until search finds the post."""

    def setup(self):
        server.sign_in(self.http, self.base, "sam_support", DEMO_PASSWORD)

    def step(self):
        _, threads = self.thread_ids()
        if not threads:
            time.sleep(1)
            return
        thread_id = self.random.choice(threads)
        word = marker()
        if self.post_reply(thread_id, f"{words(12)} {word}") is None:
            return
        confirmed = time.perf_counter()
        while time.perf_counter() - confirmed < 10:
            hits = self.call("search", "GET", "/search", params={"q": word}).text
            if str(thread_id) in SEARCH_HIT.findall(hits):
                break
            time.sleep(0.05)
        with self.ledger.lock:
            self.ledger.lags.append(time.perf_counter() - confirmed)
        time.sleep(2)


def audit(base, database_url, ledger):
    """Compare what the server confirmed with what the database and the search index hold."""
    engine = sa.create_engine(database_url)
    posts = sa.table(
        "posts",
        sa.column("id"),
        sa.column("thread_id"),
        sa.column("body"),
        sa.column("status"),
        sa.column("is_question"),
    )
    threads = sa.table("threads", sa.column("id"), sa.column("title"), sa.column("status"))
    lost, changed, unsearchable = [], [], []
    visible_markers = []
    with engine.connect() as connection:
        stored = {
            row.id: row
            for row in connection.execute(
                # A reply counts as visible only in a visible thread: flags or the moderator
                # may have hidden or removed the question it answers.
                sa.select(posts.c.id, posts.c.body, posts.c.status, threads.c.status.label("ts"))
                .join(threads, threads.c.id == posts.c.thread_id)
                .where(posts.c.id.in_(list(ledger.posts)))
            )
        }
        questions = {
            row.id: row
            for row in connection.execute(
                sa.select(threads.c.id, threads.c.title, posts.c.body, threads.c.status)
                .join(posts, posts.c.thread_id == threads.c.id)
                .where(threads.c.id.in_(list(ledger.threads)), posts.c.is_question)
            )
        }
        for post_id, (thread_id, body) in ledger.posts.items():
            row = stored.get(post_id)
            if row is None:
                lost.append(post_id)
            elif row.body != body:
                changed.append(post_id)
            elif row.status == "visible" and row.ts == "visible":
                visible_markers.append((thread_id, body.split()[-1]))
        for thread_id, (title, body) in ledger.threads.items():
            row = questions.get(thread_id)
            if row is None:
                lost.append(f"thread {thread_id}")
            elif (row.title, row.body) != (title, body):
                changed.append(f"thread {thread_id}")
            elif row.status == "visible":
                visible_markers.append((thread_id, title.split()[-1]))
    engine.dispose()
    http = requests.Session()
    for thread_id, word in visible_markers:
        hits = http.get(base + "/search", params={"q": word}, timeout=60).text
        if str(thread_id) not in SEARCH_HIT.findall(hits):
            unsearchable.append(word)
    return lost, changed, unsearchable, len(visible_markers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", help="PostgreSQL URL; default: SQLite in a temp dir")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        env = server.forum_env(folder, args.database_url)
        server.prepare(env)
        forum = server.Server(env, workers=args.workers, log=Path(folder) / "gunicorn.log")
        forum.start()
        ledger = Ledger()
        deadline = time.monotonic() + args.minutes * 60
        kinds = [Moderator, IndexProbe] + [Customer, Visitor] * args.clients
        clients = [kind(forum.url, ledger, deadline, n) for n, kind in enumerate(kinds)]
        clients = clients[: max(args.clients, 3)]
        started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.perf_counter() - started
        backlog_wait = time.perf_counter()
        while time.perf_counter() - backlog_wait < 30:
            health = requests.get(forum.url + "/healthz", timeout=10).json()
            if not health.get("outbox_backlog"):
                break
            time.sleep(0.2)
        lost, changed, unsearchable, checked = audit(forum.url, env["DATABASE_URL"], ledger)
        forum.stop()
        log_tail = (Path(folder) / "gunicorn.log").read_text(errors="replace")[-3000:]

    requests_made = sum(ledger.statuses.values())
    server_errors = sum(n for status, n in ledger.statuses.items() if status >= 500)
    result = {
        "database": "postgresql" if args.database_url else "sqlite",
        "clients": len(clients),
        "workers": args.workers,
        "seconds": round(elapsed, 1),
        "requests": requests_made,
        "requests_per_second": round(requests_made / elapsed, 1),
        "statuses": dict(sorted(ledger.statuses.items())),
        "responses_5xx": server_errors,
        "latency_ms": {
            kind: {
                "n": len(values),
                "p50": round(1000 * server.percentile(values, 0.50), 1),
                "p99": round(1000 * server.percentile(values, 0.99), 1),
                "statuses": dict(sorted(ledger.by_kind[kind].items())),
            }
            for kind, values in sorted(ledger.latency.items())
        },
        "confirmed_posts": len(ledger.posts),
        "confirmed_threads": len(ledger.threads),
        "lost": len(lost),
        "text_differs": len(changed),
        "visible_checked_in_search": checked,
        "not_found_by_search": len(unsearchable),
        "index_lag_s": {
            "n": len(ledger.lags),
            "p50": round(server.percentile(ledger.lags, 0.5), 3),
            "max": round(max(ledger.lags, default=0), 3),
        },
        "client_failures": [c.failure for c in clients if c.failure],
        "first_5xx": ledger.errors,
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "soak.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    ok = (
        server_errors == 0
        and not lost
        and not changed
        and not unsearchable
        and result["index_lag_s"]["max"] <= 2.0
        and not result["client_failures"]
    )
    if not ok:
        print("TARGET MISSED; gunicorn log tail:\n" + log_tail, file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
