"""Crash test: SIGKILL gunicorn (master and workers) under write load, restart, and audit.

    .venv/bin/python bench/crash.py [--rounds 20] [--writers 4] [--workers 2]
                                    [--database-url postgresql+psycopg://…]

Each round starts gunicorn, runs writers (staff and customer accounts replying through the
browser's forms), kills the whole process group with SIGKILL at a random moment 0.5 to 4 s
after they start writing, then restarts the forum as an operator would: `flask worker --once`
delivers what the outbox still holds, and gunicorn starts again. After every round:

- every post the server confirmed (in this or any earlier round) is in the database with its
  exact text;
- `flask search check` reports nothing missing, stale or extra (the Whoosh index opens and
  matches the database);
- on SQLite, `PRAGMA integrity_check` answers ok.

A request in flight when the kill lands may or may not have committed; only confirmed writes
(a redirect received) must survive. Exits 1 on any loss. Results: stdout, bench/out/crash.json.
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
from pathlib import Path

import requests
import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # bench/server.py; the forum package
import server  # noqa: E402

from forum.demo import DEMO_PASSWORD  # noqa: E402

OUT = HERE / "out"
THREAD_LINK = re.compile(r'href="/threads/(\d+)/')
CATEGORY_LINK = re.compile(r'href="/c/([a-z0-9-]+)"')
WRITERS = ["sam_support", "priya_staff", "jenna_k", "marco_r", "dave_builds", "linh_nguyen"]


class Writer(threading.Thread):
    def __init__(self, base, username, confirmed, lock, seed):
        super().__init__(daemon=True)
        self.base, self.username = base, username
        self.confirmed, self.lock = confirmed, lock
        self.random = random.Random(seed)
        self.http = requests.Session()
        self.stop = False
        self.ready = threading.Event()  # signed in and about to write

    def run(self):
        try:
            server.sign_in(self.http, self.base, self.username, DEMO_PASSWORD)
            home = self.http.get(self.base + "/", timeout=10).text
            threads = set()
            for slug in CATEGORY_LINK.findall(home)[:4]:
                listing = self.http.get(f"{self.base}/c/{slug}", timeout=10).text
                threads.update(map(int, THREAD_LINK.findall(listing)))
            threads = sorted(threads)
            self.ready.set()
            while not self.stop and threads:
                thread_id = self.random.choice(threads)
                page = self.http.get(f"{self.base}/threads/{thread_id}", timeout=10)
                token = server.csrf_token(page.text)
                if token is None:
                    continue
                body = f"crash test reply {uuid.uuid4().hex} from {self.username}"
                response = self.http.post(
                    f"{self.base}/threads/{thread_id}/reply",
                    data={"csrf_token": token, "body": body},
                    allow_redirects=False,
                    timeout=10,
                )
                location = response.headers.get("Location", "")
                if response.status_code == 302 and "#post-" in location:
                    with self.lock:
                        self.confirmed[int(location.rsplit("#post-", 1)[1])] = body
        except requests.RequestException:
            return  # the server died under us: that is the point
        finally:
            self.ready.set()


def audit(env, confirmed):
    engine = sa.create_engine(env["DATABASE_URL"])
    posts = sa.table("posts", sa.column("id"), sa.column("body"))
    with engine.connect() as connection:
        stored = dict(
            connection.execute(
                sa.select(posts.c.id, posts.c.body).where(posts.c.id.in_(list(confirmed)))
            ).all()
        )
        integrity = "n/a"
        if engine.dialect.name == "sqlite":
            integrity = connection.execute(sa.text("PRAGMA integrity_check")).scalar()
    engine.dispose()
    lost = [post_id for post_id in confirmed if post_id not in stored]
    changed = [i for i, body in confirmed.items() if i in stored and stored[i] != body]
    check = server.flask(env, "search", "check", check=False)
    return lost, changed, integrity, check


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="PostgreSQL URL; default: SQLite in a temp dir")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    chance = random.Random(args.seed)

    confirmed, lock = {}, threading.Lock()
    rounds, failures = [], 0
    with tempfile.TemporaryDirectory(prefix="crash-") as folder:
        env = server.forum_env(folder, args.database_url)
        server.prepare(env)
        log = Path(folder) / "gunicorn.log"
        for number in range(1, args.rounds + 1):
            forum = server.Server(env, workers=args.workers, log=log).start()
            writers = [
                Writer(forum.url, WRITERS[i % len(WRITERS)], confirmed, lock, number * 100 + i)
                for i in range(args.writers)
            ]
            before = len(confirmed)
            for writer in writers:
                writer.start()
            for writer in writers:
                writer.ready.wait(timeout=60)
            delay = chance.uniform(0.5, 4.0)
            time.sleep(delay)
            forum.kill()
            for writer in writers:
                writer.stop = True
                writer.join(timeout=30)
            restart = time.perf_counter()
            drained = server.flask(env, "worker", "--once", check=False)
            forum = server.Server(env, workers=args.workers, log=log).start()
            restart_s = time.perf_counter() - restart
            health = requests.get(forum.url + "/healthz", timeout=10).json()
            forum.stop()
            lost, changed, integrity, check = audit(env, confirmed)
            ok = (
                not lost
                and not changed
                and integrity in ("ok", "n/a")
                and check.returncode == 0
                and drained.returncode == 0
            )
            failures += not ok
            rounds.append(
                {
                    "round": number,
                    "killed_after_s": round(delay, 2),
                    "confirmed_this_round": len(confirmed) - before,
                    "lost": lost,
                    "text_differs": changed,
                    "integrity_check": integrity,
                    "search_check": check.stdout.strip().splitlines()[-1:]
                    + check.stderr.strip().splitlines()[-1:],
                    "worker_once_exit": drained.returncode,
                    "restart_s": round(restart_s, 2),
                    "search_index": health.get("search_index"),
                }
            )
            print(json.dumps(rounds[-1]), flush=True)

    result = {
        "database": "postgresql" if args.database_url else "sqlite",
        "rounds": args.rounds,
        "rounds_failed": failures,
        "confirmed_posts": len(confirmed),
        "lost": sum(len(r["lost"]) for r in rounds),
        "restart_s_max": max((r["restart_s"] for r in rounds), default=0),
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "crash.json").write_text(json.dumps({"summary": result, "rounds": rounds}, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
