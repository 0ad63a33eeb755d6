"""Build a whole training program through the JSON API v1, then read back its indicator report.

A walkthrough for people who will script against the registry: it uses nothing but `requests` and
prints each step with the HTTP status and the ids and codes it got. Against a running registry it:

 1. checks the tokens;
 2. (admin) creates a program whose completion rule is 80% attendance;
 3. (officer) registers six participants, then a deliberately similar record of one of them: the
    registry answers 409 with the likely duplicates, and the script registers it anyway with
    "allow_duplicate": true;
 4. creates a cohort that started 70 days ago and ended 10 days ago, with the trainer if one is given,
    and adds eight sessions on past days;
 5. enrolls the six participants and records attendance for each session (as the trainer when a
    trainer token is given): one person misses too many sessions, one stops coming;
 6. completes those who meet the rule, drops out the one who left, shows that completing the
    low-attendance person is refused (422) without "override", then completes them with a reason;
 7. records a follow-up for each completer a few days after completion;
 8. merges the similar record into the original;
 9. reads the indicator report of the cohort's period, for this program only.

It writes real records: point it at a training or test registry, never at production data.

Tokens: an account's tokens are made on its account page, or on the server with

    flask --app wsgi create-token USERNAME

which prints one. Three accounts take part: an admin (creates the program), an officer whose provinces
include those given with --provinces (everything else), and optionally a trainer (takes attendance;
give the username too, since a token does not tell it, so that the trainer is put on the cohort).

Run it from the repository root (it imports nothing from the registry, so a copy of this one file
runs anywhere `requests` is installed, as `python api_walkthrough.py ...`):

    python -m tools.api_walkthrough --base-url http://127.0.0.1:5000 \\
        --admin-token TOKEN --officer-token TOKEN [--trainer-token TOKEN --trainer-username USERNAME] \\
        [--provinces 02,01] [--seed N]

Each token may come from the environment instead: REGISTRY_ADMIN_TOKEN, REGISTRY_OFFICER_TOKEN,
REGISTRY_TRAINER_TOKEN (and REGISTRY_TRAINER_USERNAME). Names, birth dates and phone numbers are drawn
at random from --seed (printed at the start), so that a second run does not look like a duplicate of
the first. The script stops with exit status 1, printing the JSON error, at the first answer it did not
expect.
"""
import argparse
import json
import os
import random
import sys
from datetime import date, timedelta

import requests

API = "/api/v1"
MIN_ATTENDANCE = 0.8
SESSIONS = 8

FEMALE = ["Sreyneang", "Sophea", "Channary", "Bopha", "Theary", "Sokunthea", "Maly", "Rachana", "Sreymom",
          "Kolab", "Leakhena", "Sothea", "Phalla", "Vanna", "Chenda", "Malis", "Thida", "Sreyleak", "Nary", "Rany"]
MALE = ["Vannak", "Rithy", "Piseth", "Samnang", "Visal", "Bunthoeun", "Kosal", "Vuthy", "Sovann", "Chanthou",
        "Makara", "Veasna", "Sarath", "Ratana", "Sambath", "Pheakdey", "Narith", "Seyha", "Borey", "Kimhong"]
FAMILY = ["Chhun", "Keo", "Chea", "Heng", "Meas", "Prak", "Nhem", "Touch", "Yim", "Ouk", "Long", "Lim", "Phan",
          "Hor", "Nuon", "Srun", "Tep", "Chhay", "Mao", "Pen", "Seng", "Kong", "Ros", "Vong", "Dy", "Em", "Chin",
          "Sim", "Roeun", "Khim"]

# Six people, by role in the story: (sex, age, baseline income in USD or None, attendance marks per session,
# what happens). P = present, L = late (counts as attended), E = excused, A = absent (neither counts).
ROSTER = [
    ("female", 19, 50, "PPPPPPPP", "complete"),
    ("female", 24, None, "PPLPPPPP", "complete"),
    ("male", 27, 80, "PPPPEPPP", "complete"),       # 7 of 8 attended: 87.5%
    ("male", 22, None, "PPPAAAAA", "drop_out"),     # stopped coming after the third session
    ("female", 33, 30, "PAPAPAPP", "override"),     # 5 of 8 attended: 62.5%, below the rule
    ("male", 17, 40, "PPPPPPAP", "complete"),
]
MARKS = {"P": "present", "L": "late", "E": "excused", "A": "absent"}
# What each completer does a few days later: (status, monthly income in USD, employer or business).
OUTCOMES = [
    ("wage_employed", 180, "Garment factory, Battambang"),
    ("self_employed", 150, "Own tailoring stall"),
    ("wage_employed", 200, "Hotel laundry"),
    None,                                            # dropped out: no follow-up
    ("unemployed", None, None),
    ("self_employed", 90, "Alterations from home"),
]


class StepFailed(Exception):
    """An answer the walkthrough did not expect; the message says which request and why."""


class Api:
    """Requests to one registry, each with a bearer token, a timeout, and the statuses expected."""

    def __init__(self, base_url, timeout):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()

    def call(self, method, path, token, expect, body=None, params=None):
        """(status, JSON body) of one request to the base URL; StepFailed unless the status is expected."""
        expect = (expect,) if isinstance(expect, int) else expect
        try:
            response = self.http.request(method, self.base_url + API + path, json=body, params=params,
                                         headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                                         timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as error:
            raise StepFailed(f"{method} {API}{path}: no answer from {self.base_url} ({error})") from None
        try:
            answer = response.json()
        except ValueError:
            answer = {"error": "not JSON", "body": response.text[:500]}
        if response.status_code not in expect:
            raise StepFailed(f"{method} {API}{path} answered {response.status_code}, expected "
                             f"{' or '.join(map(str, expect))}:\n{json.dumps(answer, indent=2, ensure_ascii=False)}")
        return response.status_code, answer


def log(status, text):
    """Print one answer: its HTTP status and what it gave."""
    print(f"  [{status}] {text}")


def heading(text):
    """Print the title of a step."""
    print(f"\n== {text}")


# --- The story, step by step ---------------------------------------------------------------------------

def check_tokens(api, tokens):
    """GET /cohorts with each token: each must answer 200."""
    heading("Check the tokens")
    for role, token in tokens.items():
        try:
            status, page = api.call("GET", "/cohorts", token, 200, params={"per_page": 1})
        except StepFailed as error:
            raise StepFailed(f"the {role} token does not work: {error}") from None
        log(status, f"GET /cohorts as the {role}: the token works ({page['total']} cohorts visible)")


def create_program(api, token, stamp):
    """(admin) A program whose completion rule is MIN_ATTENDANCE; return it."""
    heading("The admin creates a program")
    body = {"name": f"Tailoring and garment skills (walkthrough {stamp})", "sector": "Garment",
            "donor_award": "CTIP livelihoods", "min_attendance": MIN_ATTENDANCE, "assessment_required": False}
    status, program = api.call("POST", "/programs", token, 201, body)
    log(status, f"POST /programs -> program {program['id']} \"{program['name']}\", "
                f"min_attendance {program['min_attendance']}")
    return program


def make_people(rng, provinces, today):
    """Six participants' records from the roster, with names, births and phones drawn from the seed."""
    women, men, families = rng.sample(FEMALE, 3), rng.sample(MALE, 3), rng.sample(FAMILY, 6)
    registered = today - timedelta(days=90)
    people = []
    for i, (sex, age, income, _marks, _fate) in enumerate(ROSTER):
        born = date(today.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        record = {
            "given_name": (women if sex == "female" else men).pop(), "family_name": families[i], "sex": sex,
            "date_of_birth": born.isoformat(), "phone": f"0{rng.choice([12, 17, 92])} {rng.randint(100, 999)} "
                                                        f"{rng.randint(100, 999)}",
            "province": provinces[i % len(provinces)], "village": rng.choice(["Ou Char", "Kampong Svay", "Svay Por"]),
            "education_level": rng.choice(["primary", "lower_secondary", "upper_secondary"]),
            "baseline_employment": "wage_employed" if income else "unemployed",
            "baseline_monthly_income": income, "baseline_income_currency": "USD" if income else None,
            "consent_data_use": True, "consent_follow_up": True, "consent_on": registered.isoformat(),
            "registered_on": registered.isoformat(),
        }
        if i % 2 == 0:
            record.update(category="returned_migrant", destination_country="Thailand", return_mode="deported",
                          return_date=(registered - timedelta(days=30 + 20 * i)).isoformat())
        else:
            record["category"] = "at_risk"
        people.append(record)
    return people


def register_people(api, token, people):
    """(officer) Register each record; return the participants as the API answered them."""
    heading("The officer registers the participants")
    registered = []
    for record in people:
        status, person = api.call("POST", "/beneficiaries", token, 201, record)
        log(status, f"POST /beneficiaries -> {person['code']} {person['given_name']} {person['family_name']} "
                    f"({person['sex']}, born {person['date_of_birth']}, province {person['province']})")
        registered.append(person)
    return registered


def register_similar(api, token, original, rng):
    """The same person typed again, family name first, with an ID card: 409, then registered anyway."""
    heading("The officer registers a record that looks like one already there")
    record = {"given_name": original["family_name"], "family_name": original["given_name"],
              "sex": original["sex"], "date_of_birth": original["date_of_birth"], "province": original["province"],
              "category": original["category"], "id_document_type": "national_id",
              "id_document_number": str(rng.randint(100000000, 999999999))}
    status, refused = api.call("POST", "/beneficiaries", token, 409, record)
    log(status, f"POST /beneficiaries {record['given_name']} {record['family_name']} -> refused: {refused['error']}")
    for match in refused["duplicates"]:
        log(status, f"    likely duplicate {match['code']}: {', '.join(match['reasons'])}")
    if original["code"] not in [m["code"] for m in refused["duplicates"]]:
        raise StepFailed(f"the 409 did not name {original['code']} among the likely duplicates")
    status, duplicate = api.call("POST", "/beneficiaries", token, 201, {**record, "allow_duplicate": True})
    log(status, f"POST /beneficiaries with \"allow_duplicate\": true -> {duplicate['code']} "
                f"(to be merged into {original['code']} later)")
    return duplicate


def create_cohort(api, token, program, province, today, trainer_username):
    """(officer) A cohort that started 70 days ago and ended 10 days ago, with the trainer if given."""
    heading("The officer creates a cohort with its sessions")
    start, end = today - timedelta(days=70), today - timedelta(days=10)
    body = {"program": program["id"], "name": "Walkthrough cohort", "venue": "Provincial training centre",
            "province": province, "start_on": start.isoformat(), "end_on": end.isoformat(), "capacity": 20,
            "trainers": [trainer_username] if trainer_username else []}
    status, cohort = api.call("POST", "/cohorts", token, 201, body)
    log(status, f"POST /cohorts -> cohort {cohort['id']} in province {cohort['province']}, "
                f"{cohort['start_on']} to {cohort['end_on']}, trainers {cohort['trainers'] or 'none'}")
    return cohort


def add_sessions(api, token, cohort):
    """(officer) SESSIONS weekly sessions on past days of the cohort; return them."""
    start = date.fromisoformat(cohort["start_on"])
    sessions = []
    for n in range(SESSIONS):  # weekly, from the third day on: all before the cohort's end, all past
        day = start + timedelta(days=2 + 7 * n)
        status, session = api.call("POST", f"/cohorts/{cohort['id']}/sessions", token, 201,
                                   {"date": day.isoformat(), "hours": 3})
        sessions.append(session)
    log(status, f"POST /cohorts/{cohort['id']}/sessions x{len(sessions)} -> sessions "
                f"{', '.join(str(s['id']) for s in sessions)} ({sessions[0]['date']} to {sessions[-1]['date']})")
    return sessions


def enroll_all(api, token, cohort, people):
    """(officer) Enroll every participant from the cohort's first day; return the enrollments."""
    heading("The officer enrolls everyone")
    enrollments = []
    for person in people:
        status, enrollment = api.call("POST", f"/cohorts/{cohort['id']}/enrollments", token, 201,
                                      {"beneficiary": person["code"], "enrolled_on": cohort["start_on"]})
        log(status, f"POST /cohorts/{cohort['id']}/enrollments {person['code']} -> enrollment {enrollment['id']} "
                    f"({enrollment['status']})")
        enrollments.append(enrollment)
    return enrollments


def take_attendance(api, token, who, sessions, people):
    """Mark every session as ROSTER says, one PUT per session."""
    heading(f"The {who} records attendance")
    print("  (marks in the order of registration: P present, L late, E excused, A absent)")
    for n, session in enumerate(sessions):
        marks = [{"beneficiary": person["code"], "status": MARKS[ROSTER[i][3][n]]} for i, person in enumerate(people)]
        status, result = api.call("PUT", f"/sessions/{session['id']}/attendance", token, 200, {"marks": marks})
        pattern = "".join(ROSTER[i][3][n] for i in range(len(people)))
        log(status, f"PUT /sessions/{session['id']}/attendance ({session['date']}): {result['marks']} marks {pattern}")


def attended(marks):
    """The sessions a person came to (present or late) among their marks."""
    return sum(mark in "PL" for mark in marks)


def close_enrollments(api, token, cohort, sessions, people, enrollments):
    """(officer) Complete or drop out each enrollment; an override where attendance is too low."""
    heading("The officer closes the enrollments")
    end = cohort["end_on"]
    # (final assessment passed, soft-skills score before, after). The assessment goes with the scores: API v1 as
    # first released refused scores sent alone while none was stored (422, "assessment_passed: Not a valid choice.").
    scores = [(True, 40, 70), (True, 55, 60), (True, 60, 58), None, (True, 30, 45), (True, 35, 65)]
    for i, (enrollment, person) in enumerate(zip(enrollments, people)):
        marks, fate = ROSTER[i][3], ROSTER[i][4]
        rate = f"attended {attended(marks)} of {len(marks)}"
        path = f"/enrollments/{enrollment['id']}"
        if fate == "drop_out":
            left_on = sessions[marks.index("A") + 1]["date"]  # after missing two sessions in a row
            body = {"status": "dropped_out", "on": left_on, "reason": "Left to look for work in Thailand."}
            status, changed = api.call("PATCH", path, token, 200, body)
            log(status, f"PATCH {path} {person['code']} ({rate}) -> {changed['status']} on {changed['ended_on']}: "
                        f"{changed['reason']}")
            continue
        passed, pre, post = scores[i]
        body = {"status": "completed", "on": end, "assessment_passed": passed, "pre_score": pre, "post_score": post}
        if fate == "override":
            status, refused = api.call("PATCH", path, token, 422, body)
            log(status, f"PATCH {path} {person['code']} ({rate}) completed -> refused: "
                        f"{refused['fields'].get('status', refused['error'])}")
            body["override"] = "Missed sessions to care for a sick parent; passed the practical test."
        status, changed = api.call("PATCH", path, token, 200, body)
        note = f", override: {changed['override']}" if changed["override"] else ""
        log(status, f"PATCH {path} {person['code']} ({rate}) -> {changed['status']} on {changed['ended_on']}{note}")


def record_follow_ups(api, token, cohort, people, today):
    """(officer) A follow-up of each completer, a few days after completion (OUTCOMES)."""
    heading("The officer records follow-ups")
    completed_on = date.fromisoformat(cohort["end_on"])
    for i, person in enumerate(people):
        if OUTCOMES[i] is None:
            continue
        work, income, employer = OUTCOMES[i]
        on = min(completed_on + timedelta(days=3 + i), today)
        body = {"on": on.isoformat(), "reached": True, "method": "phone" if i % 2 else "visit", "status": work}
        if income is not None:
            body.update(monthly_income=income, currency="USD", employer=employer, sector="Garment",
                        related_to_training=True, hours_per_week=48 if work == "wage_employed" else 30,
                        job_started_on=min(completed_on + timedelta(days=2), on).isoformat())
        else:
            body["monthly_income"] = 0  # no work, no earnings: 0, not blank (a blank is left out of EG.6-11)
        path = f"/beneficiaries/{person['code']}/follow-ups"
        status, follow_up = api.call("POST", path, token, 201, body)
        earning = f", {follow_up['monthly_income']:g} {follow_up['currency']}/month" if income is not None else ""
        log(status, f"POST {path} -> follow-up {follow_up['id']} on {follow_up['on']} "
                    f"(enrollment {follow_up['enrollment']}, {follow_up['window']}-month window): "
                    f"{follow_up['status']}{earning}")


def merge_duplicate(api, token, original, duplicate):
    """(officer) Merge the similar record into the original, then read it back as merged."""
    heading("The officer merges the duplicate into the original")
    path = f"/beneficiaries/{original['code']}/merge"
    status, merged = api.call("POST", path, token, 200, {"duplicate": duplicate["code"]})
    filled = sorted(k for k, v in merged["survivor"].items() if v is not None and original.get(k) is None)
    log(status, f"POST {path} {{duplicate: {merged['duplicate']}}} -> merge {merged['merge']}, "
                f"fields filled from the duplicate: {', '.join(filled) or 'none'}, "
                f"conflicts: {'; '.join(merged['conflicts']) or 'none'}")
    status, record = api.call("GET", f"/beneficiaries/{duplicate['code']}", token, 200)
    log(status, f"GET /beneficiaries/{record['code']} -> status {record['status']}, "
                f"merged into {record['merged_into']}")


def indicator_report(api, token, program, cohort, today):
    """Read the indicator report of the cohort's period for this program, and print it."""
    heading("The indicator report of the cohort's period, for this program")
    params = {"start": cohort["start_on"], "end": today.isoformat(), "program": program["id"]}
    status, report = api.call("GET", "/reports/indicators", token, 200, params=params)
    log(status, f"GET /reports/indicators?start={params['start']}&end={params['end']}&program={program['id']}")
    print(f"  {'code':<11} {'numerator':>10} {'denominator':>12} {'value':>8}")
    for indicator in report["indicators"]:
        print(f"  {indicator['code']:<11} {_show(indicator['numerator']):>10} "
              f"{_show(indicator['denominator']):>12} {_show(indicator['value']):>8}")
    return report


def _show(number):
    """A figure of the report, or a dash when it has none."""
    return "-" if number is None else f"{number:g}"


# --- Command line --------------------------------------------------------------------------------------

def parse_args(argv=None):
    """The command-line options, each token also read from the environment."""
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=env("REGISTRY_BASE_URL", "http://127.0.0.1:5000"),
                        help="The registry's address (default %(default)s).")
    parser.add_argument("--admin-token", default=env("REGISTRY_ADMIN_TOKEN"), help="Or REGISTRY_ADMIN_TOKEN.")
    parser.add_argument("--officer-token", default=env("REGISTRY_OFFICER_TOKEN"),
                        help="Or REGISTRY_OFFICER_TOKEN.")
    parser.add_argument("--trainer-token", default=env("REGISTRY_TRAINER_TOKEN"),
                        help="Or REGISTRY_TRAINER_TOKEN; attendance is taken by the officer without it.")
    parser.add_argument("--trainer-username", default=env("REGISTRY_TRAINER_USERNAME"),
                        help="The trainer put on the cohort (needed with a trainer token).")
    parser.add_argument("--provinces", default="02,01",
                        help="Province codes in the officer's scope, comma-separated; the cohort is in the "
                             "first (default %(default)s).")
    parser.add_argument("--seed", type=int, default=None, help="Draws the names, births and phones.")
    parser.add_argument("--timeout", type=float, default=20.0, help="Seconds per request (default %(default)s).")
    args = parser.parse_args(argv)
    if not args.admin_token or not args.officer_token:
        parser.error("give --admin-token and --officer-token (or REGISTRY_ADMIN_TOKEN and REGISTRY_OFFICER_TOKEN)")
    if args.trainer_token and not args.trainer_username:
        parser.error("with a trainer token, give --trainer-username: a trainer may only mark their own cohorts")
    args.provinces = [code.strip().zfill(2) for code in args.provinces.split(",") if code.strip()]
    if not args.provinces:
        parser.error("give at least one province code")
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(10**6)
    return args


def walkthrough(args):
    """Every step in order; the first unexpected answer raises StepFailed."""
    api = Api(args.base_url, args.timeout)
    admin, officer = args.admin_token, args.officer_token
    today = date.today()
    rng = random.Random(args.seed)
    print(f"Walkthrough against {api.base_url} on {today} (seed {args.seed})")
    tokens = {"admin": admin, "officer": officer}
    if args.trainer_token:
        tokens["trainer"] = args.trainer_token
    check_tokens(api, tokens)
    program = create_program(api, admin, f"{today} seed {args.seed}")
    people = register_people(api, officer, make_people(rng, args.provinces, today))
    duplicate = register_similar(api, officer, people[0], rng)
    cohort = create_cohort(api, officer, program, args.provinces[0], today, args.trainer_username)
    sessions = add_sessions(api, officer, cohort)
    enrollments = enroll_all(api, officer, cohort, people)
    if args.trainer_token:
        take_attendance(api, args.trainer_token, f"trainer ({args.trainer_username})", sessions, people)
    else:
        take_attendance(api, officer, "officer", sessions, people)
    close_enrollments(api, officer, cohort, sessions, people, enrollments)
    record_follow_ups(api, officer, cohort, people, today)
    merge_duplicate(api, officer, people[0], duplicate)
    indicator_report(api, officer, program, cohort, today)


def main(argv=None):
    """Run the walkthrough; return the exit status (1 at the first step that failed)."""
    args = parse_args(argv)
    try:
        walkthrough(args)
    except StepFailed as error:
        print(f"\nFAILED: {error}", file=sys.stderr)
        return 1
    print("\nDone: every step answered as expected.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
