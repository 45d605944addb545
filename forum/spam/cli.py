"""`flask --app wsgi spam …`: score JSON lines, seed and retrain the classifier."""

import json
import sys

import click
from flask.cli import AppGroup

from forum.spam import probe

spam_cli = AppGroup("spam", help="Test spam rules and train the classifier.")


@spam_cli.command("score")
def score():
    """Read JSON lines {"text", "title", "author": {"username", "posts", "age_days"}} from
    standard input; write one JSON verdict (action, score, reasons) per line. A line that
    cannot be scored gets {"error": …} and the exit status is 1."""
    failed = False
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            result = probe.score(json.loads(line))
        except (ValueError, probe.ProbeError) as error:
            result, failed = {"error": str(error)}, True
        click.echo(json.dumps(result, ensure_ascii=False))
    if failed:
        sys.exit(1)


@spam_cli.command("seed")
def seed():
    """Teach the classifier the starter corpus (once; safe to run again)."""
    from forum.spam.corpus import seed as seed_corpus

    learned = seed_corpus()
    click.echo(f"Learned {learned} corpus examples." if learned else "Corpus already learned.")


@spam_cli.command("train")
@click.option("--from-moderation", is_flag=True, help="Rebuild from the moderators' decisions.")
@click.option("--no-corpus", is_flag=True, help="Leave the starter corpus out.")
def train(from_moderation, no_corpus):
    """Forget the classifier and learn it again from the audit log (approve → ham, remove as
    spam → spam, undone decisions skipped), plus the starter corpus."""
    from forum.moderation.training import retrain

    if not from_moderation:
        raise click.UsageError("Say where to learn from: --from-moderation.")
    counts = retrain(with_corpus=not no_corpus)
    click.echo(
        f"Learned {counts['spam']} spam and {counts['ham']} ham decisions"
        f" and {counts['corpus']} corpus examples."
    )
