"""Serve a throwaway forum with gunicorn for the load and fault benchmarks (soak.py, crash.py).

The forum runs exactly as `make run` serves it (the same wsgi:app, gunicorn's sync workers), on a
database and search index in a temporary folder, or on PostgreSQL when --database-url names one.
Rate limits (and the new-account posting limit) are raised so that sixteen clients on one
loopback address measure the forum, not the limiter; everything else, spam screening included,
keeps its production default.
"""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def forum_env(folder, database_url=None):
    """The environment of a benchmark forum in ``folder``."""
    folder = Path(folder)
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_hex(16),
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'forum.db'}",
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "REGISTER_RATE_LIMIT": "100000 per minute",
        "SEARCH_RATE_LIMIT": "100000 per minute",
        "API_RATE_LIMIT": "100000 per minute",
        "API_WRITE_RATE_LIMIT": "100000 per minute",
        "API_TOKEN_RATE_LIMIT": "100000 per minute",
        # New accounts may post 3 times in 5 minutes by default; soak customers post more.
        "SPAM_RATE_LIMIT_NEW": "100000 per minute",
    }
    env.pop("FLASK_DEBUG", None)
    return env


def flask(env, *args, check=True):
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def reset_postgres(database_url):
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def prepare(env):
    """Migrate, seed the demo community (categories, accounts, the spam classifier), index."""
    if env["DATABASE_URL"].startswith("postgresql"):
        reset_postgres(env["DATABASE_URL"])
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    flask(env, "search", "reindex")


class Server:
    """gunicorn in its own process group, so that SIGKILL reaches the master and every worker."""

    def __init__(self, env, workers=4, port=None, log=None):
        self.env, self.workers = env, workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = None

    def start(self, timeout=60):
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def kill(self):
        """SIGKILL the master and all workers at once: nothing gets to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def worker_pids(self):
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        return [int(pid) for pid in found]


def csrf_token(html):
    found = CSRF.search(html)
    return found.group(1) if found else None


def sign_in(session, base, username, password):
    page = session.get(base + "/auth/login", timeout=30)
    response = session.post(
        base + "/auth/login",
        data={"csrf_token": csrf_token(page.text), "username": username, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {username} answered {response.status_code}")


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
