"""`flask create-token USERNAME`: print a new API token for an account, and nothing else."""
import click
from flask.cli import with_appcontext

from registry.api.tokens import TokenError, create_token
from registry.auth.models import User


@click.command("create-token")
@with_appcontext
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def create_token_command(username, name):
    """Create an API token for USERNAME and print it on standard output."""
    user = User.get_or_none(User.username == username)
    if user is None:
        raise click.ClickException(f"No account named {username}.")
    try:
        token, _record = create_token(user, name)
    except TokenError as error:
        raise click.ClickException(str(error)) from None
    click.echo(token)
