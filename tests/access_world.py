"""A small world for the access tests: records with id 1 (or code BR-000001) in province 02, and a caller per role."""
from datetime import date, timedelta

import pytest

from registry.auth.models import User
from registry.outcomes.services import record_follow_up
from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment
from tests.conftest import PASSWORD

TODAY = date.today()
# What each role is, in the tables: outsider is an officer of province 17 (the world lives in 02);
# trainer is assigned to cohort 1, other_trainer to none.
CALLERS = ("anonymous", "admin", "officer", "outsider", "trainer", "other_trainer", "manager")


@pytest.fixture
def world(app, create_beneficiary, create_cohort, enroll, create_user, registrar):
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
