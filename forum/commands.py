"""Command-line interface: `flask --app wsgi <command>`."""

import click
from flask.cli import AppGroup

from forum.users import services as users
from forum.users.models import ROLES

users_cli = AppGroup("users", help="Create users and change their roles.")


@users_cli.command("create")
@click.argument("username")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="customer", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(username, email, role, password):
    """Create an account (prompts for the password when --password is absent)."""
    try:
        user = users.create_user(username, email, password, role, allow_reserved=True)
    except users.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.username} <{user.email}>.")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def set_role(username, role):
    """Change a user's role."""
    user = users.get_by_username(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    users.set_role(None, user, role)
    click.echo(f"{user.username} is now {role}.")


categories_cli = AppGroup("categories", help="Category maintenance.")


@categories_cli.command("recount")
def recount_categories():
    """Recount each category's visible threads from the threads themselves (the triggers of
    forum/categories/counts.py keep them; this repairs them after SQL that bypassed them)."""
    from forum.categories.counts import recount

    wrong = recount()
    for slug, (stored, counted) in sorted(wrong.items()):
        click.echo(f"{slug}: {stored} -> {counted}")
    click.echo(f"{len(wrong)} category count(s) corrected." if wrong else "All counts were right.")


@click.command("seed-demo")
def seed_demo():
    """Create demo categories, users and threads, and seed the spam classifier (idempotent)."""
    from forum import outbox
    from forum.demo import DEMO_LOGINS, DEMO_PASSWORD, seed
    from forum.spam.corpus import seed as seed_classifier

    created = seed()
    learned = seed_classifier()
    # Deliver the events the demo content wrote (search index) now, not at the first post.
    outbox.drain()
    if learned:
        created.append(f"spam classifier from {learned} corpus examples")
    for line in created:
        click.echo(f"created {line}")
    click.echo(f"{len(created)} item(s) created." if created else "Demo data already present.")
    click.echo(
        f"Demo logins (password {DEMO_PASSWORD!r}): "
        + ", ".join(f"{name} ({role})" for name, role in DEMO_LOGINS)
    )


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due and run due jobs once, then exit.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=500, show_default=True)
@click.option(
    "--max-idle",
    type=click.FloatRange(0.2, 3600),
    default=5.0,
    show_default=True,
    help="Longest sleep, in seconds, between passes that found nothing to do.",
)
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING"]),
    default="INFO",
    show_default=True,
)
def worker(once, batch_size, max_idle, log_level):
    """Deliver the outbox and run background jobs until SIGTERM or SIGINT (Ctrl-C)."""
    import signal

    from flask import current_app

    from forum import outbox
    from forum.extensions import db
    from forum.worker import Worker

    app = current_app._get_current_object()
    app.logger.setLevel(log_level)  # the "forum" logger, parent of forum.worker and forum.outbox
    loop = Worker(app, batch_size=batch_size, max_idle=max_idle)
    if once:
        delivered, handled = loop.once()
    else:
        previous = {sig: signal.signal(sig, loop.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            delivered, handled = loop.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    left, failing = outbox.backlog(), outbox.failing()
    db.session.remove()
    click.echo(
        f"Delivered {delivered} event(s), {handled} job item(s); {left} event(s) left in the "
        f"outbox ({failing} failing)."
    )


def register(app):
    from forum.api.commands import tokens_cli
    from forum.importer.cli import import_cli
    from forum.mail.cli import mail_cli
    from forum.spam.cli import spam_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(categories_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(spam_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(worker)
    app.cli.add_command(mail_cli)
