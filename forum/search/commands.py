"""`flask --app wsgi search reindex|check`."""

import os

import click
from flask.cli import AppGroup

from forum.search import backend
from forum.search.backend import SearchUnavailable
from forum.search.documents import visible_thread_ids

search_cli = AppGroup("search", help="Rebuild or check the search index.")


@search_cli.command("reindex")
@click.option(
    "--procs",
    type=click.IntRange(1, 16),
    default=min(2, os.cpu_count() or 1),
    show_default=True,
    help="Indexing processes (Whoosh).",
)
@click.option(
    "--limitmb",
    type=click.IntRange(16, 4096),
    default=256,
    show_default=True,
    help="Memory per indexing process, in MB (Whoosh).",
)
@click.option("--if-missing", is_flag=True, help="Only build when there is no readable index.")
def reindex(procs, limitmb, if_missing):
    """Build a fresh index from the database and swap it in."""
    engine = backend.current()
    if if_missing and engine.status()["status"] == "ok":
        click.echo("The search index is present; nothing to do.")
        return
    total = len(visible_thread_ids())
    with click.progressbar(length=total, label="Indexing threads") as bar:
        count, seconds = engine.rebuild(procs=procs, limitmb=limitmb, progress=bar.update)
    rate = count / seconds if seconds else 0
    click.echo(f"Indexed {count} document(s) in {seconds:.1f} s ({rate:.0f} documents/s).")
    advice = engine.advice()
    if advice:
        click.echo(advice)


@search_cli.command("check")
@click.option("--fix", is_flag=True, help="Rewrite the documents that differ.")
def check(fix):
    """Compare the database with the index; exits 1 when they differ (and were not fixed)."""
    try:
        with click.progressbar(length=len(visible_thread_ids()), label="Checking") as bar:
            result = backend.current().check(fix=fix, progress=bar.update)
    except SearchUnavailable as error:
        raise click.ClickException(
            f"The search index is {error.reason}; run `flask search reindex`."
        ) from error
    click.echo(f"Checked {result.checked} visible thread(s).")
    for label, ids in (
        ("missing", result.missing),
        ("stale", result.stale),
        ("extra", result.extra),
    ):
        if ids:
            shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
            click.echo(f"{label}: {len(ids)} (thread ids {shown})")
    if result.articles:
        click.echo(f"KB articles to rewrite: {len(result.articles)}")
    problems = len(result.problems) + len(result.articles)
    if not problems:
        click.echo("The index matches the database.")
    elif fix:
        click.echo(f"Fixed {problems} document(s).")
    else:
        raise click.ClickException("The index differs from the database; run with --fix.")


def register(app):
    app.cli.add_command(search_cli)
