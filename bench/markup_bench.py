"""Markup benchmark: time forum.markup.render on generated post bodies, the working tree's code
against a base commit's (main by default), measured alternately in the same run.

    .venv/bin/python bench/markup_bench.py                          # every family, 5k/20k/50k
    .venv/bin/python bench/markup_bench.py --families prose "run <" --sizes 50000 --rounds 5
    .venv/bin/python bench/markup_bench.py --profile "run <" --sizes 50000   # cProfile, new code
    .venv/bin/python bench/markup_bench.py --check [--recorded bench/out/markup_recorded.json]

Timing: for each family and size, one warm-up call of each implementation (whose outputs are
compared), then ``--rounds`` rounds that each time both, in alternating order; the best time
of each is kept. The machine is shared, so the ratio new / old (same minutes, same input) is
the number to read; µs per character shows whether the cost grows faster than the input.

--check renders the corpus of bench/markup_inputs.py (every family at small sizes, each XSS
payload in six contexts, 400 random mixes) and, with --recorded, the texts the tests gave
render (see bench/markup_record.py), with both implementations, and exits 1 unless every
output of render and excerpt is byte-identical.
"""

import argparse
import cProfile
import html
import importlib.util
import json
import math
import os
import pstats
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from markup_inputs import FAMILIES, corpus, generate  # noqa: E402

from forum import markup as new  # noqa: E402


def load_base(commit):
    """forum/markup.py as it was at ``commit``, imported as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{commit}:forum/markup.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    spec = importlib.util.spec_from_loader("markup_base", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{commit}:forum/markup.py", "exec"), module.__dict__)
    return module


def best_times(text, old, rounds):
    """Best seconds of old.render and new.render on ``text``, timed alternately."""
    times = {"old": [], "new": []}
    for i in range(rounds):
        order = (("old", old), ("new", new)) if i % 2 == 0 else (("new", new), ("old", old))
        for name, module in order:
            start = time.perf_counter()
            module.render(text)
            times[name].append(time.perf_counter() - start)
    return min(times["old"]), min(times["new"])


def bench(old, families, sizes, rounds):
    rows = []
    print(f"{'family':<18} {'size':>6} {'old µs/ch':>10} {'new µs/ch':>10} {'new/old':>8}  same")
    for family in families:
        for size in sizes:
            text = generate(family, size)
            same = old.render(text) == new.render(text)
            old_s, new_s = best_times(text, old, rounds)
            row = {
                "family": family, "size": len(text), "same": same,
                "old_us_per_char": 1e6 * old_s / len(text),
                "new_us_per_char": 1e6 * new_s / len(text), "ratio": new_s / old_s,
            }  # fmt: skip
            rows.append(row)
            print(
                f"{family:<18} {len(text):>6} {row['old_us_per_char']:>10.2f} "
                f"{row['new_us_per_char']:>10.2f} {row['ratio']:>8.2f}  {'yes' if same else 'NO'}",
                flush=True,
            )
    return rows


def summary(rows, sizes):
    print()
    for size in sizes:
        at = [row for row in rows if row["size"] == size]
        # Ratios compare the same work only where both gave the same HTML.
        ratios = [row["ratio"] for row in at if row["same"]]
        if not ratios:
            continue
        geomean = math.exp(sum(map(math.log, ratios)) / len(ratios))
        slow_old = max(at, key=lambda row: row["old_us_per_char"])
        slow_new = max(at, key=lambda row: row["new_us_per_char"])
        print(
            f"{size:>6} chars, same output: new/old geometric mean {geomean:.2f}, "
            f"best {min(ratios):.2f}, "
            f"worst {max(ratios):.2f}; slowest old {slow_old['old_us_per_char']:.1f} µs/char "
            f"({slow_old['family']}), slowest new {slow_new['new_us_per_char']:.1f} µs/char "
            f"({slow_new['family']})"
        )
    different = [f"{row['family']} {row['size']}" for row in rows if not row["same"]]
    print("outputs differ for: " + ", ".join(different) if different else "all outputs identical")


def words(markup_or_text):
    """The words (runs of non-space) a reader sees, counted: tags dropped, entities read."""
    return Counter(re.findall(r"\S+", html.unescape(re.sub(r"<[^>]*>", " ", markup_or_text))))


def check(old, recorded):
    items = corpus()
    if recorded:
        texts = json.loads(Path(recorded).read_text())
        items.update({f"recorded {i}": text for i, text in enumerate(texts)})
    differ, more_text = 0, 0
    for name, text in items.items():
        for function in ("render", "excerpt"):
            before, after = getattr(old, function)(text), getattr(new, function)(text)
            if before == after:
                continue
            differ += 1
            gained = words(after) - words(before)
            keeps_more = not (words(before) - words(after)) and gained
            more_text += bool(keeps_more)
            at = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), 0)
            print(
                f"{function} differs for {name!r} at {at}"
                + (f" (new shows {gained.total()} more words, drops none)" if keeps_more else "")
                + f":\n  old …{before[max(0, at - 100) : at + 200]!r}"
                + f"\n  new …{after[max(0, at - 100) : at + 200]!r}"
            )
    print(
        f"{len(items)} texts, render and excerpt each: {differ} outputs differ, {more_text} of "
        "them only by showing more of the text"
    )
    return not differ


def profile(family, size):
    text = generate(family, size)
    new.render(text)
    profiler = cProfile.Profile()
    profiler.runcall(new.render, text)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="main", help="commit of the old forum/markup.py")
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=FAMILIES)
    parser.add_argument("--sizes", nargs="+", type=int, default=[5_000, 20_000, 50_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=FAMILIES, help="cProfile the new code on one family")
    parser.add_argument("--check", action="store_true", help="compare outputs on the corpus")
    parser.add_argument("--recorded", help="with --check: a JSON list of texts to add")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()

    if args.profile:
        for size in args.sizes:
            profile(args.profile, size)
        return 0
    old = load_base(args.base)
    if args.check:
        return 0 if check(old, args.recorded) else 1
    rows = bench(old, args.families, args.sizes, args.rounds)
    summary(rows, args.sizes)
    os.makedirs(args.out, exist_ok=True)
    result = {"base": args.base, "rounds": args.rounds, "rows": rows, "load": os.getloadavg()}
    Path(args.out, "markup_bench.json").write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
