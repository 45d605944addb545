"""`flask --app wsgi import stackexchange DIR`: bring an existing community in."""

import os
import sys
import time

import click
from flask.cli import AppGroup

from forum import outbox
from forum.categories.services import SLUG_RE
from forum.importer import services, stackexchange

REBUILD_OVER = 2_000  # pending import events above which a rebuild may be cheaper
import_cli = AppGroup("import", help="Import an existing community (docs/import.md).")


def parse_category_map(ctx, param, value):
    """``tag=slug,tag2=slug2`` → ``{"tag": "slug", ...}``."""
    mapping = {}
    for pair in filter(None, (p.strip() for p in (value or "").split(","))):
        tag, sep, slug = pair.partition("=")
        if not sep or not tag.strip() or not SLUG_RE.match(slug.strip()):
            raise click.BadParameter(f"{pair!r} is not TAG=SLUG (a category slug: a-z, 0-9, -).")
        mapping[tag.strip().lower()] = slug.strip()
    return mapping


def progress(kind, rows, rate, done=False):
    line = f"{kind}: {rows:,} rows, {rate:,.0f} rows/s"
    if sys.stderr.isatty():
        click.echo(f"\r{line}", nl=done, err=True)
    elif done or rows % 10_000 == 0:
        click.echo(line, err=True)


@import_cli.command("stackexchange")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--site", help="The site's name; keys what was imported.  [default: DIRECTORY's name]"
)
@click.option("--category", "default_category", metavar="SLUG", help="Category for questions.")
@click.option(
    "--category-map",
    metavar="TAG=SLUG,…",
    callback=parse_category_map,
    help="Questions go to the category of their first mapped tag (else --category).",
)
@click.option("--create-categories", is_flag=True, help="Create the categories named if missing.")
@click.option("--kb-drafts", is_flag=True, help="Draft a KB article from each accepted answer.")
@click.option(
    "--index/--no-index",
    default=True,
    show_default=True,
    help="Bring the search index up to date at the end (else run `search reindex`).",
)
def stackexchange_command(
    directory, site, default_category, category_map, create_categories, kb_drafts, index
):
    """Import a Stack Exchange data dump (Posts.xml; Users.xml, Comments.xml if present).
    Running it again updates what changed and never duplicates."""
    site = site or os.path.basename(os.path.normpath(os.path.abspath(directory)))
    started = time.monotonic()
    try:
        run = services.import_dump(
            directory,
            site,
            category_map,
            default_category,
            create_categories,
            kb_drafts,
            index,
            progress,
        )
    except (services.ImportError_, stackexchange.DumpError) as error:
        raise click.ClickException(str(error)) from None
    elapsed = time.monotonic() - started
    click.echo(f"Imported {run.map.source} in {elapsed:.1f} s.")
    for line in summary(run):
        click.echo(line)
    if index:
        update_index(click.get_current_context())
    else:
        click.echo("search index: not updated; run `flask --app wsgi search reindex`.")


def update_index(ctx):
    """Apply the import's events to the search index, or, when they are many and the forum
    mostly consists of what was just imported, rebuild the index (`flask search reindex`):
    one fresh build costs far less than thousands of document updates."""
    pending, threads, last = services.index_backlog()
    started = time.monotonic()
    reindex = _reindex_command(ctx)
    if reindex is not None and pending > REBUILD_OVER and pending > threads // 2:
        click.echo(
            f"search index: {pending:,} imported changes for {threads:,} threads; "
            "rebuilding the whole index (`flask search reindex`)."
        )
        ctx.invoke(reindex)
        services.forget_index_events(last)
        return
    delivered = outbox.drain()
    left, took = outbox.backlog(), time.monotonic() - started
    click.echo(
        f"search index: {delivered:,} change(s) applied in {took:.1f} s"
        + (f"; {left:,} left for the next drain" if left else ".")
    )


def _reindex_command(ctx):
    search = ctx.find_root().command.get_command(ctx, "search")
    return search.get_command(ctx, "reindex") if search is not None else None


def summary(run):
    """One line per kind of item, then the skipped rows by reason."""
    kinds = ("users", "threads", "replies", "comments", "accepted", "kb drafts")
    for kind in kinds:
        outcomes = {o: n for (k, o), n in sorted(run.counts.items()) if k == kind}
        if outcomes or kind in ("users", "threads", "replies"):
            label = "accepted answers" if kind == "accepted" else kind
            text = ", ".join(f"{n:,} {outcome}" for outcome, n in outcomes.items()) or "none"
            yield f"{label}: {text}"
    total = sum(run.skipped.values())
    yield f"skipped: {total:,}"
    for reason, n in run.skipped.most_common():
        yield f"  {n:,} {reason}"
