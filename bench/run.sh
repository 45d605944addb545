#!/bin/sh
# Load benchmark: seed a forum (unless already seeded), serve it with gunicorn, measure it with
# wrk, print one table. See bench/README.md.
#
#   bench/run.sh [--posts N] [--database-url URL] [any option of bench/load.py]
#
# Examples:
#   bench/run.sh --posts 100000
#   bench/run.sh --posts 100000 --database-url postgresql+psycopg://postgres@127.0.0.1/bench
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || make install

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk is missing: installing the Debian package" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y -q wrk; else sudo apt-get install -y -q wrk; fi
fi

POSTS=100000
URL=
while [ $# -gt 0 ]; do
    case "$1" in
        --posts) POSTS=$2; shift 2 ;;
        --database-url) URL=$2; shift 2 ;;
        *) break ;;
    esac
done
case "$URL" in
    postgres*) NAME=pg-$POSTS ;;
    *) NAME=sqlite-$POSTS ;;
esac

if [ ! -f "bench/out/seed-$NAME.json" ]; then
    if [ -n "$URL" ]; then
        $PY bench/seed.py --posts "$POSTS" --database-url "$URL"
    else
        $PY bench/seed.py --posts "$POSTS"
    fi
fi
exec $PY bench/load.py --name "$NAME" "$@"
