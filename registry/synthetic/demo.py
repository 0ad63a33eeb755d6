"""`flask seed-demo`: a small, realistic demo so that a newcomer sees a living registry."""
import random
from datetime import date, timedelta

import click
from flask.cli import with_appcontext

from registry.audit.models import AuditEvent
from registry.audit.services import record_event
from registry.auth.models import User
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.services import register_beneficiary
from registry.db import database
from registry.synthetic.demo_training import seed_training
from registry.users.services import create_user

DEMO_PASSWORD = "registry-demo"
DEMO_USERS = [
    # username, full name, role, provinces (None: all), language
    ("admin", "Sokha Chea (admin)", "admin", None, "en"),
    ("officer", "Dara Sok (officer, Battambang and Banteay Meanchey)", "officer", {"01", "02"}, "en"),
    ("trainer", "Srey Neang Kim (trainer)", "trainer", {"02"}, "km"),
    ("manager", "Vuthy Lim (M&E manager)", "manager", None, "en"),
]


FAMILY_NAMES = [("Sok", "សុខ"), ("Chea", "ជា"), ("Kim", "គីម"), ("Lim", "លឹម"), ("Heng", "ហេង"), ("Chan", "ចាន់"),
                ("Keo", "កែវ"), ("Meas", "មាស"), ("Prak", "ប្រាក់"), ("Seng", "សេង"), ("Touch", "ទូច"), ("Mao", "ម៉ៅ")]
GIVEN_NAMES = [("Chanthy", "ចាន់ធី", "female"), ("Dara", "ដារ៉ា", "male"), ("Sokha", "សុខា", "female"),
               ("Sophea", "សុភា", "female"), ("Pisey", "ពិសី", "female"), ("Vuthy", "វុទ្ធី", "male"),
               ("Bopha", "បុប្ផា", "female"), ("Sreyneang", "ស្រីនាង", "female"), ("Rithy", "រិទ្ធី", "male"),
               ("Makara", "មករា", "male"), ("Sophal", "សុផល", "male"), ("Vannak", "វណ្ណៈ", "male"),
               ("Channary", "ចាន់ណារី", "female"), ("Kosal", "កុសល", "male"), ("Sothea", "សុធា", "female"),
               ("Ratana", "រតនា", "female")]
DEMO_PROVINCES = ["01", "02", "02", "02", "17", "12"]
COUNTRIES = ["Thailand", "Thailand", "Malaysia", "South Korea"]
DEMO_PARTICIPANTS = 40
REGISTERED_ON = date.today() - timedelta(days=300)


def _demo_person(rng, number):
    """One made-up participant: names in both scripts for most, in one for a few."""
    family, family_km = rng.choice(FAMILY_NAMES)
    given, given_km, sex = rng.choice(GIVEN_NAMES)
    migrant = rng.random() < 0.6
    born = date(rng.randint(1975, 2008), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "family_name": family if number % 7 else "", "given_name": given if number % 7 else "",
        # Some have their name in one script only, never in neither.
        "family_name_km": family_km if number % 5 or not number % 7 else "",
        "given_name_km": given_km if number % 5 or not number % 7 else "",
        "sex": sex, "date_of_birth": born if number % 4 else None, "birth_year": None if number % 4 else born.year,
        "phone": f"+8551{rng.randint(0, 9)}{rng.randint(100000, 999999)}" if number % 3 else "",
        "province": rng.choice(DEMO_PROVINCES), "village": rng.choice(["Kouk Khmum", "Ou Mal", "Prek Preah Sdach"]),
        "category": "returned_migrant" if migrant else "at_risk",
        "destination_country": rng.choice(COUNTRIES) if migrant else "",
        "return_mode": rng.choice(["deported", "assisted", "own"]) if migrant else None,
        "disability": rng.random() < 0.08, "household_size": rng.randint(2, 8),
        "baseline_employment": rng.choice(["unemployed", "unemployed", "self_employed", "wage_employed"]),
        "baseline_monthly_income": rng.choice([0, 0, 60, 90, 150]), "baseline_income_currency": "USD",
        "consent_data_use": number % 9 != 0, "consent_follow_up": number % 9 != 0, "consent_photos": False,
        # Registered (and consent recorded) before any of the demo's training, which starts 40 weeks ago.
        "consent_on": REGISTERED_ON, "registered_on": REGISTERED_ON,
    }


def _seed_participants(officer):
    rng = random.Random(2026)  # the same demo every time
    people = [_demo_person(rng, n) for n in range(1, DEMO_PARTICIPANTS + 1)]
    # A likely duplicate, as officers meet them: the first person again, spelt another way.
    people.append({**people[0], "given_name": people[0]["given_name"] + "h", "phone": ""})
    for person in people:
        register_beneficiary(person, officer, allow_duplicate=True)


class DemoRefused(click.ClickException):
    """The database holds records that are not demo records."""


def demo_logins():
    """The demo accounts as lines to print."""
    return [f"  {username:<8} / {DEMO_PASSWORD}   {role}" for username, _n, role, _p, _l in DEMO_USERS]


def seed_demo():
    """Load the demo into an empty database; do nothing if the demo is there; refuse anything else.

    The audit log's "demo.seed" event marks a demo database: names alone cannot, as a real
    registry may well have an account called "admin".

    :return: True when loaded now, False when it was already there.
    :raise DemoRefused: the database holds accounts or participants and is not a demo.
    """
    if AuditEvent.select().where(AuditEvent.action == "demo.seed").exists():
        return False
    if User.select().exists() or Beneficiary.select().exists():
        raise DemoRefused("This database already holds real records; the demo is loaded only into an empty one.")
    with database.atomic():
        for username, full_name, role, provinces, language in DEMO_USERS:
            create_user(username, full_name, role, DEMO_PASSWORD, provinces, language)
        admin = User.get(User.username == "admin")  # all provinces: the demo spans several
        _seed_participants(admin)
        seed_training(admin, User.get(User.username == "trainer"))
        record_event("demo.seed", detail={"participants": DEMO_PARTICIPANTS + 1})
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
