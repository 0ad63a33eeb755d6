"""A small world for the access tests: records with id 1 (or code BR-000001) in province 02, and a caller per role."""
from datetime import date, timedelta

import pytest

from registry.auth.models import User
from registry.outcomes.services import record_follow_up
from registry.programs import enrollment as enrolling
from registry.programs.attendance import record_attendance
from registry.programs.models import Enrollment, TrainingSession
from tests.conftest import PASSWORD

TODAY = date.today()
# What each role is, in the tables: outsider is an officer of province 17 (the world lives in 02);
# trainer is assigned to cohort 1, other_trainer to none.
CALLERS = ("anonymous", "admin", "officer", "outsider", "trainer", "other_trainer", "manager")


@pytest.fixture
def access_world(app, create_beneficiary, create_cohort, enroll, create_user, registrar):
    """Participants BR-000001 (enrolled, in cohort 1 with session 1) and BR-000002 (a graduate, follow-up 1)."""
    trainer = create_user("trainer", username="assigned")
    person = create_beneficiary(phone="+85512345678")
    graduate = create_beneficiary(given_name="Sokha")
    start = TODAY - timedelta(days=40)
    cohort = create_cohort(start_on=start, end_on=TODAY + timedelta(days=20), days=[TODAY - timedelta(days=3)],
                           trainers=[trainer])
    enroll(cohort, person, on=start)
    with app.app_context():
        done = enroll(cohort, graduate, on=start)
        enrolling.change_status(Enrollment.get_by_id(done.id), "completed", TODAY - timedelta(days=1),
                                User.get_by_id(registrar.id), override_reason="test")
        record_follow_up(graduate, {"followed_on": TODAY, "reached": False, "method": "phone"},
                         User.get_by_id(registrar.id))
    return {"code": person.code, "graduate": graduate.code, "trainer": trainer}


def sign_in(client, create_user, world, caller):
    """Sign the client in as the caller (nothing for anonymous)."""
    if caller == "anonymous":
        return
    if caller == "trainer":
        username = world["trainer"].username
    else:
        role = {"outsider": "officer", "other_trainer": "trainer"}.get(caller, caller)
        provinces = {"02"} if caller == "officer" else {"17"} if caller == "outsider" else None
        username = create_user(role, provinces).username
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


LAST = ("auth.logout", "auth.sign_out_everywhere")  # they end the session: requested after the others


def page_requests(app, world):
    """(method, rule, url) of every page route (not the API), with the world's ids; session-ending ones last."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        values = {arg: world["code"] if arg == "code" else 1 for arg in rule.arguments}
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            found.append((method, rule.rule, url, rule.endpoint))
    return sorted(found, key=lambda r: (r[3] in LAST, r[0], r[1]))


# A cohort of province 17 holding a person of province 02, enrolled by the registrar (who covers both):
# an officer of 17 opens the cohort, sees that person by code only, and may not change their enrollment
# or attendance; the cohort's trainer sees every name. The names and the phone are what must not leak.
CROSS_SECRETS = ("Chanthy", "ចន្ធី", "12345678", "Dara", "Rith")


@pytest.fixture
def cross_world(app, create_beneficiary, create_cohort, enroll, create_user, registrar):
    """Cohort of 17 with `away` (02, marked present) and `local` (17) seated, `waiting` (02) on its waitlist,
    and `left` (02) who left the waitlist; `trainer` is assigned to it and `officer17` is an officer of 17."""
    trainer = create_user("trainer", username="cross-trainer")
    away = create_beneficiary(phone="+85512345678", family_name_km="សុខ", given_name_km="ចន្ធី")
    local = create_beneficiary(family_name="Keo", given_name="Sophea", province="17")
    waiting = create_beneficiary(family_name="Chea", given_name="Dara", date_of_birth=date(1995, 6, 1))
    left = create_beneficiary(family_name="Bun", given_name="Rith", date_of_birth=date(1997, 2, 2))
    start = TODAY - timedelta(days=40)
    cohort = create_cohort(name="Hospitality Siem Reap", province="17", start_on=start,
                           end_on=TODAY + timedelta(days=20), days=[TODAY - timedelta(days=3)], trainers=[trainer],
                           capacity=2)
    seated = {b.code: enroll(cohort, b, on=start) for b in (away, local)}
    with app.app_context():
        user = User.get_by_id(registrar.id)
        for person in (waiting, left):
            enrolling.enroll(cohort, person, start, user)
        gone = Enrollment.get((Enrollment.beneficiary == left.id) & (Enrollment.cohort == cohort.id))
        enrolling.change_status(gone, "withdrawn", start, user, reason="Found work")
        session = TrainingSession.get(TrainingSession.cohort == cohort.id)
        record_attendance(session, {seated[away.code].id: "present"}, user)
    return {"cohort": cohort, "session": session, "trainer": trainer, "away": away, "local": local,
            "waiting": waiting, "away_enrollment": seated[away.code], "local_enrollment": seated[local.code],
            "waiting_enrollment": Enrollment.get((Enrollment.beneficiary == waiting.id)
                                                 & (Enrollment.cohort == cohort.id)),
            "officer17": create_user("officer", {"17"}, username="officer17")}
