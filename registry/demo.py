"""`flask seed-demo`: a small, realistic demo so that a newcomer sees a living registry."""
import click
from flask.cli import with_appcontext

from registry.auth.models import User
from registry.db import database
from registry.users.services import create_user

DEMO_PASSWORD = "registry-demo"
DEMO_USERS = [
    # username, full name, role, provinces (None: all), language
    ("admin", "Sokha Chea (admin)", "admin", None, "en"),
    ("officer", "Dara Sok (officer, Battambang and Banteay Meanchey)", "officer", {"01", "02"}, "en"),
    ("trainer", "Srey Neang Kim (trainer)", "trainer", {"02"}, "km"),
    ("manager", "Vuthy Lim (M&E manager)", "manager", None, "en"),
]


class DemoRefused(click.ClickException):
    """The database holds records that are not demo records."""


def demo_logins():
    """The demo accounts as lines to print."""
    return [f"  {username:<8} / {DEMO_PASSWORD}   {role}" for username, _n, role, _p, _l in DEMO_USERS]


def seed_demo():
    """Load the demo unless already loaded; refuse on a database with real records.

    :return: True when loaded now, False when it was already there.
    :raise DemoRefused: the database holds accounts that are not the demo's.
    """
    demo_names = [u[0] for u in DEMO_USERS]
    others = User.select().where(User.username.not_in(demo_names)).count()
    if others:
        raise DemoRefused("This database already holds real records; the demo is loaded only into an empty one.")
    if User.select().where(User.username.in_(demo_names)).count() == len(demo_names):
        return False
    with database.atomic():
        for username, full_name, role, provinces, language in DEMO_USERS:
            if not User.select().where(User.username == username).exists():
                create_user(username, full_name, role, DEMO_PASSWORD, provinces, language)
    return True


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the demo data into an empty database and print the demo logins."""
    loaded = seed_demo()
    click.echo("Demo data loaded." if loaded else "The demo data is already loaded.")
    click.echo("Demo logins (username / password):")
    for line in demo_logins():
        click.echo(line)
