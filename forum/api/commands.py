"""CLI for API tokens: `flask --app wsgi tokens create USERNAME`."""

import click
from flask.cli import AppGroup

from forum.api import services
from forum.users.services import get_by_username

tokens_cli = AppGroup("tokens", help="Create API tokens.")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", default="CLI token", show_default=True, help="A label for the token.")
def create(username, name):
    """Create a token for USERNAME and print it (the only time it is shown)."""
    user = get_by_username(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    try:
        _, secret = services.create_token(user, name)
    except services.TokenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(secret)
