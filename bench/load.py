"""Serve a seeded forum with gunicorn, measure its pages with wrk, and print one table.

    .venv/bin/python bench/load.py --name sqlite-100000 [--duration 15] [--connections 4]

Called by bench/run.sh (see bench/README.md). The forum and a trivial Flask view (the ceiling)
run under the same gunicorn settings, side by side; each scenario runs wrk once (one wrk thread,
``--connections`` connections). Also measured: SQL statements per page (in-process, counted at
the engine), RSS of each gunicorn worker after the run, and the load average around each
scenario (other jobs share the machine).
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, HERE]
OUT = os.path.join(HERE, "out")
VENV_BIN = os.path.join(ROOT, ".venv", "bin")

REPORT_LUA = r"""
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""
PATHS_LUA = r"""
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""
POST_LUA = r"""
local threads = {%s}
local words = {%s}
local n = 0
request = function()
  n = n + 1
  local text = {"Reply " .. n .. ":"}
  for k = 1, 20 + (n * 7) %% 40 do
    text[#text + 1] = words[math.random(#words)]
  end
  local body = "csrf_token=%s&body=" .. table.concat(text, "+")
  return wrk.format("POST", "/threads/" .. threads[n %% #threads + 1] .. "/reply",
    {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "%s"}, body)
end
"""


def lua_strings(items):
    return ", ".join(json.dumps(item) for item in items)


def write_script(name, body):
    os.makedirs(os.path.join(OUT, "lua"), exist_ok=True)
    path = os.path.join(OUT, "lua", f"{name}.lua")
    with open(path, "w") as handle:
        handle.write(body + REPORT_LUA)
    return path


@contextmanager
def gunicorn(app_spec, port, args, env, cwd=ROOT, pythonpath=None):
    command = [os.path.join(VENV_BIN, "gunicorn"), "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(args.workers), "--worker-class", args.worker_class]
    command += ["--threads", str(args.threads), "--log-level", "warning"]
    if args.access_log:
        command += ["--access-logfile", args.access_log, "--access-logformat", "%(r)s %(s)s %(M)s"]
    if pythonpath:
        command += ["--pythonpath", pythonpath]
    process = subprocess.Popen([*command, app_spec], cwd=cwd, env=env)
    try:
        wait_ready(f"http://127.0.0.1:{port}/")
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def wait_ready(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def worker_pids(master):
    with open(f"/proc/{master}/task/{master}/children") as handle:
        return [int(pid) for pid in handle.read().split()]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def helper_pids(pids):
    """The children of ``pids``, whichever thread started them: the embedded courier's search
    index helpers."""
    children = []
    for pid in pids:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                children += [int(child) for child in handle.read().split()]
    return children


def cpu_seconds(pids):
    """User + system CPU time of ``pids`` and their helpers so far (threads included)."""
    total = 0
    for pid in [*pids, *helper_pids(pids)]:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a helper that has just exited
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def loadavg():
    with open("/proc/loadavg") as handle:
        return float(handle.read().split()[0])


def wrk(url, script, args):
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s"]
    before = loadavg()
    result = subprocess.run([*command, "-s", script, url], capture_output=True, text=True)
    line = [x for x in result.stdout.splitlines() if x.startswith("{")]
    if result.returncode or not line:
        raise SystemExit(f"wrk failed on {url}:\n{result.stdout}\n{result.stderr}")
    numbers = json.loads(line[-1])
    numbers["rps"] = numbers["requests"] / (numbers["duration_us"] / 1e6)
    numbers["load"] = (before, loadavg())
    return numbers


def paced_posts(base, cookie, csrf, threads, words, args, rate=4.0):
    """Replies sent at a steady ``rate`` per second (open loop, one thread per request), as
    people post on a forum that is not flooded: each one's latency. wrk can only flood."""
    import threading

    latencies, errors, lock = [], [0], threading.Lock()
    rng = random.Random(11)

    def post(n):
        body = f"Paced reply {n}: " + " ".join(rng.choice(words) for _ in range(20 + n * 7 % 40))
        data = urllib.parse.urlencode({"csrf_token": csrf, "body": body}).encode()
        request = urllib.request.Request(
            f"{base}/threads/{threads[n % len(threads)]}/reply", data, {"Cookie": cookie}
        )
        opener = urllib.request.build_opener(NoRedirect)
        started = time.perf_counter()
        try:
            status = opener.open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        with lock:
            latencies.append(time.perf_counter() - started)
            errors[0] += status != 302

    before, started, workers = loadavg(), time.perf_counter(), []
    for n in range(int(args.duration * rate)):
        time.sleep(max(0.0, started + n / rate - time.perf_counter()))
        worker = threading.Thread(target=post, args=(n,))
        worker.start()
        workers.append(worker)
    for worker in workers:
        worker.join(60)
    ordered = sorted(latencies)

    def pct(q):
        return int(ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1e6)

    return {
        "requests": len(ordered), "duration_us": int((time.perf_counter() - started) * 1e6),
        "rps": len(ordered) / (time.perf_counter() - started), "status_errors": errors[0],
        "socket_errors": 0, "p50_us": pct(0.5), "p95_us": pct(0.95), "p99_us": pct(0.99),
        "max_us": int(ordered[-1] * 1e6), "load": (before, loadavg()),
    }  # fmt: skip


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base, username, password, thread_path):
    """A signed-in session over HTTP, as a browser gets one: (Cookie header, CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def token(path):
        page = opener.open(base + path).read().decode()
        field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
        return re.search(r'value="([^"]+)"', field).group(1)

    form = {"username": username, "password": password, "csrf_token": token("/auth/login")}
    opener.open(base + "/auth/login", urllib.parse.urlencode(form).encode()).read()
    csrf = token(thread_path)  # the reply form's token, as the thread page gives it
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, csrf


def search_paths():
    from search_bench import Text, fixed_queries

    text = Text(random.Random(2024))  # the seed's vocabulary (bench/seed.py, --seed 2024)
    queries = fixed_queries(text, random.Random(7))
    return [f"/search?{urllib.parse.urlencode({'q': q})}" for q in queries], text


def database_facts(seed):
    """The URLs of the fixtures and threads to reply to, read from the seeded database."""
    import sqlalchemy as sa

    engine = sa.create_engine(seed["database_url"])
    with engine.connect() as connection:
        article = connection.execute(
            sa.text("select id, slug from articles where status = 'published' order by id limit 1")
        ).one()
        few = connection.execute(
            sa.text(
                "select id, slug from threads where status = 'visible' and reply_count = 2 "
                "and not locked order by id limit 1"
            )
        ).one()
        repliable = (
            connection.execute(
                sa.text(
                    "select id from threads where status = 'visible' and not locked "
                    "and reply_count between 3 and 15 order by id desc limit 200"
                )
            )
            .scalars()
            .all()
        )
        counts = connection.execute(
            sa.text("select (select count(*) from posts), (select count(*) from threads)")
        ).one()
    engine.dispose()
    return {
        "article": f"/kb/{article.id}/{article.slug}",
        "thread_few": f"/threads/{few.id}/{few.slug}",
        "repliable": list(repliable),
        "posts": counts[0],
        "threads": counts[1],
    }


def server_env(seed, args):
    env = {
        **os.environ,
        "SECRET_KEY": "bench-secret",
        "DATABASE_URL": seed["database_url"],
        "SEARCH_INDEX_DIR": seed["index_dir"],
        "RATELIMIT_ENABLED": "false",  # one client sends thousands of requests a minute
        "OUTBOX_DRAIN_INLINE": "false" if args.flask_worker else "true",
    }
    return env


def scenarios(seed, facts, args):
    thread = seed["fixtures"]["thread_20_replies"]
    thread_path = f"/threads/{thread['id']}/{thread['slug']}"
    searches, text = search_paths()
    pages = [
        ("home", "Home page", "/"),
        ("category", "Category page", f"/c/{seed['fixtures']['category']}"),
        ("thread", "Thread, 20 replies (page 1: 20 posts)", thread_path),
        ("search", "Search (100 fixed queries)", searches),
        ("kb", "KB article", facts["article"]),
        ("api_thread", "API: GET /api/v1/threads/<id>", f"/api/v1/threads/{thread['id']}"),
        ("post", "Post a reply (form, signed in, CSRF)", None),
        ("post_paced", "Post a reply, 4 per second (not flooded)", None),
    ]
    return [page for page in pages if page[0] in args.scenarios], thread_path, text


def measure_queries(seed, facts, thread_path, args):
    """SQL statements per page, counted in-process on the same database."""
    from sqlalchemy import event

    from config import ProductionConfig
    from forum import create_app
    from forum.extensions import db

    class Config(ProductionConfig):
        SECRET_KEY = "bench-secret"
        SQLALCHEMY_DATABASE_URI = seed["database_url"]
        SEARCH_INDEX_DIR = seed["index_dir"]
        RATELIMIT_ENABLED = False
        WTF_CSRF_ENABLED = False
        OUTBOX_DRAIN_INLINE = False  # the worker or the courier delivers: not counted here
        PAGE_CACHE_SECONDS = 0  # what rendering a page costs; the cached thread page below

    app = create_app(Config)
    statements = []

    def counted(statement):
        if threading.current_thread() is threading.main_thread():  # not the jobs' threads
            statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: counted(a[2]))
    # Not queries: transaction control, and settings (set_config sets several in one statement).
    control = (
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT",
        "RELEASE",
        "SET LOCAL",
        "SELECT SET_CONFIG(",
    )
    client = app.test_client()
    searches, _ = search_paths()
    pages = {
        "home": "/",
        "category": f"/c/{seed['fixtures']['category']}",
        "thread": thread_path,
        "thread_few": facts["thread_few"],
        "kb": facts["article"],
        "api_thread": f"/api/v1/threads/{seed['fixtures']['thread_20_replies']['id']}",
    }
    counts = {}

    def count(method, path, **kwargs):
        client.open(path, method=method, **kwargs)  # warm: first-request caches
        del statements[:]
        response = client.open(path, method=method, **kwargs)
        assert response.status_code < 400, (path, response.status_code)
        return sum(not statement.lstrip().upper().startswith(control) for statement in statements)

    for name, path in pages.items():
        counts[name] = count("GET", path)
    # Search pages differ (articles among the hits, the any-word fallback): the range over all.
    searched = [count("GET", path) for path in searches]
    counts["search"], counts["search_fewest"] = max(searched), min(searched)
    logins = seed["fixtures"]["logins"]
    client.post(
        "/auth/login", data={"username": logins["customer"], "password": logins["password"]}
    )
    counts["thread_signed_in"] = count("GET", thread_path)
    counts["post"] = count(
        "POST", f"/threads/{facts['repliable'][0]}/reply", data={"body": "Counting queries here."}
    )
    client = app.test_client()  # a visitor again
    app.config.update(PAGE_CACHE_SECONDS=30, PAGE_CACHE_CHECK_SECONDS=0)
    counts["thread_cached"] = count("GET", thread_path)  # a visitor's kept page, checked
    return counts


SETTINGS = ("duration", "connections", "workers", "worker_class", "threads", "flask_worker")


def per_request(pids, cpu_before, result):
    """Milliseconds of the forum workers' CPU per request, their search index helpers' included:
    what a page costs, whatever else runs on the machine (login and warm-up requests included,
    a few per run)."""
    return round((cpu_seconds(pids) - cpu_before) * 1000 / max(result["requests"], 1), 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--name", default="sqlite-100000", help="the seed: bench/out/seed-NAME.json"
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--root", default=ROOT, help="serve the forum from this checkout")
    parser.add_argument(
        "--flask-worker", action="store_true", help="OUTBOX_DRAIN_INLINE=false + flask worker"
    )
    parser.add_argument(
        "--scenarios",
        default="home,category,thread,search,kb,api_thread,post,post_paced",
        type=lambda s: s.split(","),
    )
    parser.add_argument("--label", default="")
    parser.add_argument("--index-dir", help="serve this search index instead of the seed's")
    parser.add_argument("--access-log", help="gunicorn's access log, with each request's ms")
    args = parser.parse_args()
    with open(os.path.join(OUT, f"seed-{args.name}.json")) as handle:
        seed = json.load(handle)
    seed["index_dir"] = args.index_dir or seed["index_dir"]
    facts = database_facts(seed)
    pages, thread_path, text = scenarios(seed, facts, args)
    env = server_env(seed, args)
    base, ceiling_base = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
    results, rss = {}, {}
    extra = []
    if args.flask_worker:
        command = [
            os.path.join(VENV_BIN, "flask"),
            "--app",
            "wsgi",
            "worker",
            "--log-level",
            "WARNING",
        ]
        extra.append(subprocess.Popen(command, cwd=args.root, env=env))
    try:
        with gunicorn("ceiling:app", args.port + 1, args, env, pythonpath=HERE) as ceiling:
            with gunicorn("wsgi:app", args.port, args, env, cwd=args.root) as forum:
                pids = {"ceiling": worker_pids(ceiling.pid), "forum": worker_pids(forum.pid)}
                cpu = cpu_seconds(pids["ceiling"])
                results["ceiling"] = wrk(
                    ceiling_base + "/", write_script("ceiling", PATHS_LUA % '"/"'), args
                )
                results["ceiling"]["cpu_ms"] = per_request(pids["ceiling"], cpu, results["ceiling"])
                for name, _title, path in pages:
                    if name == "post_paced":
                        cookie, csrf = login(base, "bench_customer", "bench-password", thread_path)
                        words = text.words[:2000:7]
                        cpu = cpu_seconds(pids["forum"])
                        results[name] = paced_posts(
                            base, cookie, csrf, facts["repliable"], words, args
                        )
                        results[name]["cpu_ms"] = per_request(pids["forum"], cpu, results[name])
                        continue
                    if name == "post":
                        cookie, csrf = login(base, "bench_customer", "bench-password", thread_path)
                        script = POST_LUA % (
                            ", ".join(map(str, facts["repliable"])),
                            lua_strings(text.words[:2000:7]),
                            csrf,
                            cookie,
                        )
                    else:
                        paths = path if isinstance(path, list) else [path]
                        for p in paths[:100]:  # warm every worker's caches and the OS cache
                            urllib.request.urlopen(base + p).read()
                        script = PATHS_LUA % lua_strings(paths)
                    cpu = cpu_seconds(pids["forum"])
                    results[name] = wrk(base, write_script(name, script), args)
                    results[name]["cpu_ms"] = per_request(pids["forum"], cpu, results[name])
                rss["forum"] = [round(rss_mb(pid), 1) for pid in worker_pids(forum.pid)]
                rss["ceiling"] = [round(rss_mb(pid), 1) for pid in worker_pids(ceiling.pid)]
                helpers = helper_pids(worker_pids(forum.pid))
                rss["helpers"] = [round(rss_mb(pid), 1) for pid in helpers]
    finally:
        for process in extra:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    # Counted with this checkout's code: not for another one (--root).
    same_code = os.path.realpath(args.root) == os.path.realpath(ROOT)
    queries = measure_queries(seed, facts, thread_path, args) if same_code else {}
    report = {
        "name": args.name,
        "label": args.label,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "posts": facts["posts"],
        "threads": facts["threads"],
        "settings": {k: getattr(args, k) for k in SETTINGS},
        "results": results,
        "rss_mb": rss,
        "queries": queries,
    }  # fmt: skip
    suffix = f"-{args.label}" if args.label else ""
    with open(os.path.join(OUT, f"load-{args.name}{suffix}.json"), "w") as handle:
        json.dump(report, handle, indent=2)
    print(table(report, pages))


def table(report, pages):
    ceiling = report["results"]["ceiling"]["rps"]
    s = report["settings"]
    lines = [
        f"{report['name']} {report['label']}: {report['posts']:,} posts, {report['threads']:,} "
        f"threads; gunicorn {s['workers']} × {s['worker_class']}"
        f"{' ' + str(s['threads']) + ' threads' if s['threads'] > 1 else ''}, wrk 1 thread "
        f"{s['connections']} connections {s['duration']} s; {report['date']}",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | × ceiling | CPU ms/req | SQL | errors "
        "| load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    rows = [("ceiling", "Ceiling: trivial Flask view")] + [(n, t) for n, t, _ in pages]
    for name, title in rows:
        r = report["results"][name]
        queries = report["queries"]
        sql = queries.get(name, "–")
        if name == "thread" and queries:
            signed_in, few = queries["thread_signed_in"], queries["thread_few"]
            cached = queries.get("thread_cached")
            sql = f"{sql} (signed in {signed_in}; 2 replies {few}; cached {cached})"
        if name == "search" and "search_fewest" in queries:
            sql = f"{queries['search_fewest']}–{sql}"
        lines.append(
            f"| {title} | {r['rps']:.0f} | {r['p50_us'] / 1000:.1f} | {r['p95_us'] / 1000:.1f} | "
            f"{r['p99_us'] / 1000:.1f} | {r['rps'] / ceiling:.2f} | {r.get('cpu_ms', '–')} | "
            f"{sql} | "
            f"{r['status_errors'] + r['socket_errors']} | {r['load'][0]:.1f} → {r['load'][1]:.1f} |"
        )  # fmt: skip
    lines.append("")
    lines.append(
        f"RSS per worker after the run: forum {report['rss_mb']['forum']} MB, "
        f"ceiling {report['rss_mb']['ceiling']} MB; search index helpers "
        f"{report['rss_mb'].get('helpers', [])} MB"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
