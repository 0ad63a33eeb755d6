"""Synthetic accounts, all sharing one documented password, and the trainers of each cohort.

Usernames start with "synth-": an officer for all provinces (synth-officer), one per province
(synth-officer-02), a manager (synth-manager), and trainers where cohorts are (synth-trainer-02-1),
about one for every ten cohorts of their province. No admin: an admin is created with
`flask create-user`, as on a real registry.
"""
import secrets
from collections import defaultdict

from registry.auth.models import MANAGER, OFFICER, TRAINER, User, UserProvince
from registry.auth.passwords import hash_password
from registry.synthetic import vocabulary as words
from registry.synthetic.bulk import bulk, next_id

PASSWORD = "synthetic-data-only"
PREFIX = "synth-"
COHORTS_PER_TRAINER, CO_TRAINED = 10, 0.2
FIELDS = [User.id, User.username, User.full_name, User.role, User.active, User.language, User.all_provinces,
          User.password_hash, User.session_token, User.created_at, User.must_change_password]


def plan_accounts(cohorts, rng):
    """[(username, full name, role, language, province code or None for all)] for the cohorts planned."""
    def name():
        return f"{rng.choice(words.FAMILY_NAMES)} {rng.choice(words.GIVEN_NAMES)}"

    accounts = [(PREFIX + "officer", f"{name()} (officer, all provinces)", OFFICER, "en", None),
                (PREFIX + "manager", f"{name()} (M&E manager)", MANAGER, "en", None)]
    accounts += [(f"{PREFIX}officer-{code}", f"{name()} (officer {code})", OFFICER, rng.choice(("en", "km")), code)
                 for code in sorted(words.PROVINCES)]
    per_province = defaultdict(int)
    for cohort in cohorts:
        per_province[cohort.province] += 1
    for code, count in sorted(per_province.items()):
        accounts += [(f"{PREFIX}trainer-{code}-{n}", f"{name()} (trainer {code})", TRAINER, "km", code)
                     for n in range(1, -(-count // COHORTS_PER_TRAINER) + 1)]
    return accounts


def insert_accounts(accounts, password, created):
    """Insert the accounts (one password hash for all: the same password) and their scopes; return {username: id}."""
    first, hashed = next_id(User), hash_password(password)
    bulk(User, FIELDS, ((first + n, username, full_name, role, True, language, province is None, hashed,
                         secrets.token_urlsafe(32), created, False)
                        for n, (username, full_name, role, language, province) in enumerate(accounts)))
    bulk(UserProvince, [UserProvince.user, UserProvince.province],
         [(first + n, account[4]) for n, account in enumerate(accounts) if account[4]])
    return {account[0]: first + n for n, account in enumerate(accounts)}


def assign_trainers(cohorts, ids, rng):
    """Give each cohort a trainer of its province in turn, and a second one to some."""
    trainers = defaultdict(list)
    for username, user_id in ids.items():
        if username.startswith(PREFIX + "trainer-"):
            trainers[username.split("-")[2]].append(user_id)
    turn = defaultdict(int)
    for cohort in cohorts:
        team = trainers[cohort.province]
        cohort.trainers = [team[turn[cohort.province] % len(team)]]
        turn[cohort.province] += 1
        if len(team) > 1 and rng.random() < CO_TRAINED:
            cohort.trainers.append(rng.choice([t for t in team if t != cohort.trainers[0]]))


def officers_by_province(ids):
    """{province code: the id of its officer}."""
    return {code: ids[f"{PREFIX}officer-{code}"] for code in words.PROVINCES}


def existing():
    """Whether synthetic accounts are already in the database."""
    return User.select().where(User.username.startswith(PREFIX)).exists()
