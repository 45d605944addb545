"""The benchmarks keep working as the schema changes: bench/seed.py builds a small forum the
way it builds the million-post one, which then serves its pages and finds its words, and
bench/search_bench.py measures a small forum."""

import json
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from config import TestingConfig
from forum import create_app

ROOT = Path(__file__).resolve().parent.parent


def test_seed_builds_a_forum_the_app_can_serve_and_search(tmp_path):
    database = tmp_path / "seed.db"
    result = subprocess.run(
        [sys.executable, "bench/seed.py", "--posts", "1500", "--name", "smoke", "--procs", "1",
         "--database-url", f"sqlite:///{database}", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((tmp_path / "seed-smoke.json").read_text())
    assert summary["posts"] >= 1500 and summary["threads"] >= 140
    assert summary["documents"] == summary["threads"] + summary["articles"]
    assert summary["search_backend"] == "whoosh"
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        counted = connection.scalar(text("SELECT count(*) FROM threads WHERE status = 'visible'"))
        stored = connection.scalar(text("SELECT sum(visible_threads) FROM categories"))
        logins = connection.scalar(
            text("SELECT count(*) FROM users WHERE username IN ('bench_customer', 'bench_staff')")
        )
    assert counted == stored and logins == 2

    class Seeded(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
        SEARCH_INDEX_DIR = summary["index_dir"]
        SEARCH_BACKEND = "whoosh"

    client = create_app(Seeded).test_client()
    thread = summary["fixtures"]["thread_20_replies"]
    page = client.get(f"/threads/{thread['id']}/{thread['slug']}")
    assert page.status_code == 200
    title = re.search(r"<h1[^>]*>([^<]+)</h1>", page.get_data(as_text=True)).group(1).strip()
    found = client.get("/search", query_string={"q": title}).get_data(as_text=True)
    assert f"/search/go/thread/{thread['id']}?" in found


def test_search_bench_runs_on_a_small_forum(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/search_bench.py", "--posts", "1500", "--procs", "1",
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    (measured,) = json.loads((tmp_path / "search_bench.json").read_text())["results"]
    assert measured["backend"] == "whoosh" and measured["hits_per_query"] > 0
    assert 0 < measured["search"]["p50_ms"] <= measured["search"]["p95_ms"]
