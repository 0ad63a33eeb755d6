"""`flask generate-data --participants N`: a synthetic registry at national scale, for tests of size and demos.

    flask --app wsgi generate-data --participants 100000 [--seed 1] [--as-of 2026-11-28] [--password ...]

What it makes, for N participants: people with names in Khmer and Latin script (both on most,
one script on some), the 25 provinces, returned migrants (destination, sector, return date and
mode) and people at risk, phones and ID documents on many, about 1.5% near-duplicate records
(the same person registered again, often with the same phone or ID number); 8 programs, about
N/40 cohorts of 20-40 people over the three years before the day (a few starting soon), 20-32
sessions each, some cancelled; enrollments for about 60% of the people (some in two cohorts) that
complete, drop out or withdraw with reasons and dates consistent with their cohort, with their
status history; attendance with realistic absences; follow-ups 3, 6 and 12 months after each
completion with incomes in KHR and USD and re-migration abroad, and the follow-ups due as the app
schedules them; monthly exchange rates; and the code counter moved past the codes given.

Accounts: synth-officer (officer, all provinces), synth-officer-01 ... synth-officer-25 (one
province each), synth-manager (all provinces), and trainers synth-trainer-PP-N for the cohorts of
province PP, all with the password "synthetic-data-only" unless --password says otherwise. No admin
is created: make one with `flask create-user`, as on a real registry.

Safety: only the database of DATABASE_URL is written, in one transaction (a failed run leaves it
as it was). A database that holds any participant, program or cohort, or synth-* accounts, is
refused: synthetic records never go beside real ones, so there is no --append. Accounts and
reference lists (provinces, indicators, settings) may be there already.
"""
import time
from datetime import date
from urllib.parse import urlsplit, urlunsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from registry.auth.passwords import password_problem
from registry.synthetic.accounts import PASSWORD, PREFIX
from registry.synthetic.generate import MINIMUM, Refused, generate

COUNTED = ["accounts", "participants", "programs", "cohorts", "cohort trainers", "sessions", "cancelled sessions",
           "enrollments", "enrollment changes", "attendance marks", "follow-ups", "follow-ups reached",
           "follow-ups due", "follow-ups due answered", "exchange rates"]
SPLIT = ["participants by status", "participants by category", "enrollments by status", "marks by kind"]


def shown_url(url):
    """A database URL without its password, to print."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(":" + parts.password + "@", ":***@")))


def print_summary(summary, seconds, password):
    """The rows per table, the split of a few, and how to sign in."""
    click.echo(f"Done in {seconds:.1f} s. Rows:")
    for name in COUNTED:
        click.echo(f"  {name:<26}{summary.counts[name]:>12,}")
    for name in SPLIT:
        split = ", ".join(f"{key} {value:,}" for key, value in sorted(summary.counts[name].items()))
        click.echo(f"  {name}: {split}")
    click.echo(f"  provinces with participants: {summary.counts['provinces with participants']}; "
               f"near-duplicate records: {len(summary.duplicates):,}")
    trainers = [u for u in summary.usernames if u.startswith(PREFIX + "trainer-")]
    click.echo(f"Accounts (password: {password}): {PREFIX}officer (all provinces), {PREFIX}officer-01 to "
               f"{PREFIX}officer-25 (one province each), {PREFIX}manager, and {len(trainers)} trainers such as "
               f"{trainers[0] if trainers else '-'}. Create an admin with `flask create-user`.")


@click.command("generate-data")
@click.option("--participants", "count", type=click.IntRange(min=MINIMUM), required=True,
              help="How many participants; cohorts, sessions, marks and follow-ups follow in proportion.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same seed, the same data.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]),
              help="The day the data stands at (YYYY-MM-DD); nothing is dated after it.  [default: today]")
@click.option("--password", default=PASSWORD, show_default=True, help=f"The password of the {PREFIX}* accounts.")
@with_appcontext
def generate_data_command(count, seed, as_of, password):
    """Fill an EMPTY registry database with synthetic data in proportion to N participants.

    Only the database of DATABASE_URL is written, in one transaction. A database that holds any
    participant, program or cohort is refused: synthetic records never go beside real ones, and
    there is no --append. It creates synth-* officers, trainers and a manager with the password
    below (no admin: use create-user).
    """
    as_of = as_of.date() if as_of else date.today()
    if as_of > date.today():
        raise click.BadParameter("The day cannot be in the future.", param_hint="--as-of")
    problem = password_problem(password)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    click.echo(f"Generating synthetic data for {count:,} participants (seed {seed}, as of {as_of}) "
               f"into {shown_url(current_app.config['DATABASE_URL'])}")
    started = time.perf_counter()
    try:
        summary = generate(count, seed, as_of, password, echo=click.echo)
    except Refused as refusal:
        raise click.ClickException(str(refusal)) from None
    print_summary(summary, time.perf_counter() - started, password)
