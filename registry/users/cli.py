"""`flask create-user`: create an account from the command line."""
import click
from flask.cli import with_appcontext

from registry.auth.models import ROLES
from registry.auth.passwords import password_problem
from registry.users.services import UserError, create_user


def parse_province_codes(value):
    """Turn '02,17' into {'02', '17'}; an empty value or 'all' means all provinces (None)."""
    if not value or value.strip().lower() == "all":
        return None
    codes = {code.strip().zfill(2) for code in value.split(",") if code.strip()}
    return codes or None


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="The account's role.")
@click.option("--password", help="The password; asked for when not given.")
@click.option("--provinces", default="all", show_default=True, help="Province codes such as 02,17, or all.")
@click.option("--full-name", help="The person's full name; the username when not given.")
@click.option("--language", type=click.Choice(["en", "km"]), default="en", show_default=True)
def create_user_command(username, role, password, provinces, full_name, language):
    """Create an account with a role and a province scope."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, username)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    try:
        user = create_user(username, full_name or username, role, password,
                           parse_province_codes(provinces), language)
    except UserError as error:
        raise click.ClickException(str(error)) from None
    scope = "all provinces" if user.all_provinces else ", ".join(sorted(user.province_codes()))
    click.echo(f"Created {user.username} ({user.role}, {scope}).")
