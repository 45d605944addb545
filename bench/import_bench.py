"""Import benchmark: generate a Stack Exchange dump of N posts, time `flask import stackexchange`.

    .venv/bin/python bench/import_bench.py --posts 50000 [--database-url URL] [--keep DIR]

The dump (Users.xml, Posts.xml, Comments.xml) is written to a temporary folder: one question
in four posts, the others answers to a recent question (so a thread has three answers on
average), half the questions with an accepted answer, one comment per two posts, HTML bodies
of 300-1,500 characters with paragraphs, code blocks, inline code, lists and links, tags in
both formats, one user per ten posts, a few posts by deleted users. The import then runs twice
through the real CLI in a subprocess (a fresh SQLite database unless --database-url names an
empty one): the first run writes everything and indexes it (Whoosh), the second finds
everything unchanged; with --no-index the first run skips the index and `search reindex`
builds it afterwards. Reports wall and CPU time, posts per second, peak memory (max RSS of
the commands so far) and the summary lines. CPU time is the fairer figure on a shared machine.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from xml.sax.saxutils import quoteattr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORDS = (
    "sync backup restore folder file client server agent dashboard invoice billing account "
    "password error version update install upgrade network proxy firewall port token api "
    "the a to of and in is it that for on with as this be not you are have can do my when "
    "after before every again still only now how what why which please thanks help"
).split()
TAGS = ["sync", "backup", "billing", "install", "networking", "api", "windows", "macos", "linux"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def body(rng):
    parts = []
    while sum(map(len, parts)) < rng.randint(300, 1500):
        kind = rng.random()
        if kind < 0.55:
            parts.append(
                f"<p>{sentence(rng, rng.randint(8, 30))} Use <code>{rng.choice(WORDS)} "
                f'--{rng.choice(WORDS)}</code> and see <a href="https://docs.example.com/'
                f'{rng.choice(WORDS)}">the docs</a>.</p>'
            )
        elif kind < 0.75:
            code = "\n".join(f"{rng.choice(WORDS)} = {rng.randint(0, 99)}" for _ in range(4))
            parts.append(f'<pre class="lang-py prettyprint-override"><code>{code}\n</code></pre>')
        elif kind < 0.9:
            items = "".join(f"<li>{sentence(rng, 5)}</li>" for _ in range(3))
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<blockquote><p>{sentence(rng, 12)}</p></blockquote>")
    return "\n".join(parts)


def write_dump(directory, posts, seed=7):
    rng = random.Random(seed)
    start = datetime(2012, 1, 1)
    users = max(10, posts // 10)
    with open(os.path.join(directory, "Users.xml"), "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<users>\n')
        for uid in range(1, users + 1):
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {uid % 97}"
            created = (start + timedelta(minutes=uid)).isoformat(timespec="milliseconds")
            out.write(
                f'  <row Id="{uid}" DisplayName={quoteattr(name)} CreationDate="{created}" />\n'
            )
        out.write("</users>\n")
    questions, comments, moment = [], [], start
    with open(os.path.join(directory, "Posts.xml"), "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        for pid in range(1, posts + 1):
            moment += timedelta(minutes=rng.randint(1, 30))
            when = moment.isoformat(timespec="milliseconds")
            owner = (
                f'OwnerUserId="{rng.randint(1, users)}"'
                if rng.random() > 0.02
                else 'OwnerDisplayName="gone user"'
            )
            if pid % 4 == 1 or not questions:
                accepted = f' AcceptedAnswerId="{pid + 2}"' if rng.random() < 0.5 else ""
                tags = rng.sample(TAGS, 2)
                tagged = f"<{tags[0]}><{tags[1]}>" if pid % 2 else f"|{tags[0]}|{tags[1]}|"
                title = sentence(rng, rng.randint(5, 12))[:150]
                out.write(
                    f'  <row Id="{pid}" PostTypeId="1"{accepted} CreationDate="{when}" '
                    f"Title={quoteattr(title)} Tags={quoteattr(tagged)} {owner} "
                    f"Body={quoteattr(body(rng))} />\n"
                )
                questions.append(pid)
            else:
                parent = questions[-1] if rng.random() < 0.9 else rng.choice(questions)
                out.write(
                    f'  <row Id="{pid}" PostTypeId="2" ParentId="{parent}" CreationDate="{when}" '
                    f"{owner} Body={quoteattr(body(rng))} />\n"
                )
            if rng.random() < 0.5:
                comments.append((pid, moment + timedelta(minutes=5)))
        out.write("</posts>\n")
    with open(os.path.join(directory, "Comments.xml"), "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<comments>\n')
        for cid, (pid, moment) in enumerate(comments, start=1):
            text = sentence(rng, rng.randint(5, 25))
            out.write(
                f'  <row Id="{cid}" PostId="{pid}" Text={quoteattr(text)} UserId='
                f'"{rng.randint(1, users)}" CreationDate="{moment.isoformat()}" />\n'
            )
        out.write("</comments>\n")
    return users, len(questions), len(comments)


def flask(env, *args):
    """Run one CLI command; returns (wall seconds, CPU seconds, output, peak RSS in KB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(result.stdout + result.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.monotonic() - started, cpu, result.stdout, after.ru_maxrss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--database-url")
    parser.add_argument("--keep", help="write the dump here and keep it")
    parser.add_argument(
        "--no-index", action="store_true", help="import with --no-index, then `search reindex`"
    )
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="import-bench-")
    dump = args.keep or os.path.join(work, "dump")
    os.makedirs(dump, exist_ok=True)
    started = time.monotonic()
    users, questions, comments = write_dump(dump, args.posts)
    size = sum(os.path.getsize(os.path.join(dump, f)) for f in os.listdir(dump))
    print(
        f"dump: {args.posts:,} posts ({questions:,} questions), {users:,} users, "
        f"{comments:,} comments, {size / 1e6:.1f} MB, written in {time.monotonic() - started:.1f} s"
    )
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        "DATABASE_URL": args.database_url or f"sqlite:///{work}/forum.db",
        "SEARCH_INDEX_DIR": os.path.join(work, "index"),
        "RATELIMIT_ENABLED": "false",
    }
    flask(env, "db", "upgrade")
    command = ["import", "stackexchange", dump, "--site", "bench", "--category", "general"]
    command += ["--create-categories", "--kb-drafts"]
    if args.no_index:
        command.append("--no-index")
    for label in ("first run", "second run"):
        elapsed, cpu, output, rss = flask(env, *command)
        print(
            f"\n{label}: {elapsed:.1f} s wall, {cpu:.1f} s CPU, "
            f"{args.posts / elapsed:,.0f} posts/s (wall), {args.posts / cpu:,.0f} posts/s (CPU), "
            f"peak RSS so far {rss / 1024:.0f} MB"
        )
        print(output.rstrip())
        if args.no_index and label == "first run":
            elapsed, cpu, output, _ = flask(env, "search", "reindex")
            print(f"search reindex: {elapsed:.1f} s wall, {cpu:.1f} s CPU")
            print(output.rstrip().splitlines()[-1])


if __name__ == "__main__":
    main()
