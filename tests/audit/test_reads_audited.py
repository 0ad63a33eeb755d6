"""Every page or API answer that shows a person's contact or identity fields writes an audit event naming them.

The test walks the app's URL map: each GET route is built with the ids of a small world, fetched as an
admin (with a token for /api/), and when the answer holds a seeded person's phone (in any way the
registry writes it), ID number, birth date or village, the request must have written an audit event naming
that person: the record as the event's object, or the code in its detail. A route whose URL the test cannot
build must be listed in NOT_BUILT with the reason, so that a new route fails here until it is handled.
"""
import io
import json
from datetime import date, timedelta

import pytest
from flask_babel import format_date
from openpyxl import load_workbook

from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries.models import ImportJob
from registry.beneficiaries.phones import display_phone
from registry.beneficiaries.services import editable_values, update_beneficiary
from registry.outcomes.services import record_follow_up
from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment, TrainingSession
from registry.reports.models import Indicator
from tests.audit.test_views import listed, page_of

TODAY = date.today()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Seeded people and their contact and identity fields. Pisey and her likely duplicate attend a running cohort;
# Sophal completed one 100 days ago (her follow-ups are due); Vanna completed it too and was followed up.
PEOPLE = {
    "Pisey": {"phone": "+85515481201", "id_document_number": "N123456", "date_of_birth": date(1990, 4, 17),
              "village": "Trapeang Chhuk"},
    "Pisey twin": {"phone": "+85517222333", "id_document_number": "P765432", "date_of_birth": date(1988, 11, 2),
                   "village": "Kouk Khmum"},
    "Sophal": {"phone": "+85516333444", "id_document_number": "K246810", "date_of_birth": date(1994, 8, 23),
               "village": "Ou Ta Ki"},
    "Vanna": {"phone": "+85518555666", "id_document_number": "M135791", "date_of_birth": date(1996, 1, 29),
              "village": "Boeung Chhouk"},
}
# Routes the test does not fetch, and why. Nothing else may be left out.
NOT_BUILT = {
    "static": "the app's own CSS, JavaScript and images: no record behind it",
    "bootstrap.static": "Bootstrap's files: no record behind it",
}
# Routes for one role only, fetched signed in as the world's assigned trainer instead of the admin.
AS_TRAINER = {"attendance.offline_copy": "the copy of a trainer's own sessions a phone keeps: trainers only"}
# Query strings that make a route show what it can show (each one is fetched; "" is the bare URL).
QUERIES = {
    "beneficiaries.index": ["", "q=Pisey"],
    "beneficiaries.search": ["", "q=Pisey", "q=Pisei"],
    "beneficiary_merges.choose": ["", "other={Pisey twin}"],
    "enrollments.enroll": ["", "q=Pisey"],
    "signin.print_sheet": ["", "session={session_id}"],
    "reports.people": ["period=custom&start={year_ago}&end={today}&indicator={indicator}&part=numerator"],
    "reports.changes": ["period=custom&start={year_ago}&end={today}"],
    "reports.index": ["period=custom&start={year_ago}&end={today}"],
    "reports.export": ["period=custom&start={year_ago}&end={today}"],
    "audit.index": ["", "record={Pisey}"],
    "audit.export": ["", "record={Pisey}"],
    "api_beneficiaries.index": ["", "q=Pisey"],
    "api_reports.indicators": ["start={year_ago}&end={today}"],
    "outcomes.record": ["", "enrollment={graduate_enrollment}"],
}
# Whole lists exported at once: the export's event records its filters and how many rows it holds, enough to
# tell again who was on it; naming every person would put up to 100,000 codes in one event, and in memory.
BULK = {"beneficiary_exports.export": "beneficiary.export", "audit.export": "audit.export"}


@pytest.fixture
def world(app, client, create_beneficiary, create_cohort, enroll, create_user, registrar, bearer):
    """The people above, a running cohort with a session, a finished one, a follow-up, an import job, a token."""
    people = {name: create_beneficiary(given_name=name.split()[0], family_name="Meas", id_document_type="national_id",
                                       **{**values, "phone": "+85519999888" if name == "Pisey" else values["phone"]})
              for name, values in PEOPLE.items()}
    trainer = create_user("trainer", username="assigned")
    start = TODAY - timedelta(days=40)
    running = create_cohort(start_on=start, end_on=TODAY + timedelta(days=20), days=[TODAY - timedelta(days=3)],
                            trainers=[trainer])
    ended = TODAY - timedelta(days=100)
    finished = create_cohort(name="Earlier", start_on=ended - timedelta(days=30), end_on=ended)
    with app.app_context():  # her number corrected: the audit log shows the new one
        pisey = people["Pisey"]
        update_beneficiary(pisey, {**editable_values(pisey), "phone": PEOPLE["Pisey"]["phone"]},
                           User.get_by_id(registrar.id))
    enrollment = enroll(running, people["Pisey"], on=start)
    enroll(running, people["Pisey twin"], on=start)
    with app.app_context():
        user = User.get_by_id(registrar.id)
        graduates = {}
        for name in ("Sophal", "Vanna"):
            done = enroll(finished, people[name], on=ended - timedelta(days=30))
            enrolling.change_status(Enrollment.get_by_id(done.id), "completed", ended, user, override_reason="test")
            graduates[name] = done
        follow_up = record_follow_up(people["Vanna"], {"followed_on": TODAY, "reached": True, "method": "phone"},
                                     user)
    admin = create_user("admin", username="walker")
    with app.app_context():
        job = ImportJob.create(created_by=admin.id, filename="people.xlsx", content=b"", status="checked",
                               report="{}")
    assert client.post("/login", data={"username": "walker", "password": "correct horse battery"}).status_code == 302
    year_ago = TODAY - timedelta(days=365)
    # A submitted period, for the page of what changed since.
    client.post(f"/reports/lock?period=custom&start={year_ago}&end={TODAY}")
    values = {
        "code": people["Pisey"].code, "cohort_id": running.id,
        "session_id": TrainingSession.get(TrainingSession.cohort == running).id, "enrollment_id": enrollment.id,
        "follow_up_id": follow_up.id, "job_id": job.id, "user_id": admin.id, "program_id": running.program_id,
        "indicator_id": Indicator.get(Indicator.code == "CUSTOM-1").id,
    }
    trainer_client = app.test_client()
    assert trainer_client.post("/login", data={"username": "assigned", "password": "correct horse battery"}
                               ).status_code == 302
    return {"people": people, "values": values, "headers": bearer(admin), "trainer_client": trainer_client,
            "query": {**{name: person.code for name, person in people.items()}, **values, "today": TODAY,
                      "year_ago": year_ago, "indicator": "CUSTOM-1",
                      "graduate_enrollment": graduates["Sophal"].id}}


def _shown_forms(app, values):
    """The ways a person's phone, ID number, birth date and village are written on pages, sheets and JSON."""
    born = values["date_of_birth"]
    with app.test_request_context():
        medium = format_date(born, "medium")
    local = display_phone(values["phone"])
    return {values["phone"], local, local.replace(" ", ""), values["phone"][4:], values["id_document_number"],
            born.isoformat(), medium, born.strftime("%d/%m/%Y"), values["village"]}


def _text_of(response):
    """The answer's text; a workbook's cells, every sheet."""
    if response.mimetype != XLSX:
        return response.get_data().decode("utf-8", "replace")  # a font is bytes: read as text all the same
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    return "\n".join(str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True)
                     for value in row if value is not None)


def _names(person, events):
    """Tell whether one of the events names the person: as its record, or by code in its detail."""
    return any((e.object_type == "beneficiary" and e.object_id == str(person.id)) or f'"{person.code}"' in e.detail
               for e in events)


def _get_routes(app):
    """(endpoint, rule) of every GET route."""
    return sorted(((rule.endpoint, rule) for rule in app.url_map.iter_rules() if "GET" in rule.methods),
                  key=lambda found: (found[0], found[1].rule))


def test_every_answer_showing_a_persons_contact_or_identity_is_audited(app, client, world):
    values, shown_by, unaudited, failed = world["values"], {}, [], []
    forms = {name: _shown_forms(app, PEOPLE[name]) for name in PEOPLE}
    for endpoint, rule in _get_routes(app):
        if endpoint in NOT_BUILT:
            continue
        missing = sorted(set(rule.arguments) - set(values))
        assert not missing, f"{rule.rule}: no value for {missing}: add one to the world, or the route to NOT_BUILT"
        url = rule.build({arg: values[arg] for arg in rule.arguments}, append_unknown=False)[1]
        for query in QUERIES.get(endpoint, [""]):
            full = url + ("?" + query.format(**world["query"]) if query else "")
            latest = AuditEvent.select().count() and AuditEvent.select().order_by(AuditEvent.id.desc()).get().id
            headers = world["headers"] if rule.rule.startswith("/api/") else {}
            response = (world["trainer_client"] if endpoint in AS_TRAINER else client).get(full, headers=headers)
            if response.status_code >= 400:
                failed.append(f"{full}: {response.status_code}")
            text = _text_of(response)
            events = list(AuditEvent.select().where(AuditEvent.id > latest))
            for name, person in world["people"].items():
                if any(form in text for form in forms[name]):
                    shown_by.setdefault(endpoint, set()).add(name)
                    if endpoint in BULK and any(e.action == BULK[endpoint] for e in events):
                        continue
                    if not _names(person, events):
                        unaudited.append(f"{full} shows {name}'s contact or identity, no audit event names them")
    assert not failed, "routes that did not answer in this world:\n" + "\n".join(failed)
    assert not unaudited, "\n".join(unaudited)
    # The walk sees what it should: these pages show phones, ID numbers or birth dates.
    assert {"beneficiaries.profile", "beneficiaries.edit", "beneficiary_merges.choose", "beneficiaries.index",
            "beneficiaries.search",
            "api_beneficiaries.read", "api_beneficiaries.index"} <= set(shown_by), sorted(shown_by)


def test_the_walk_leaves_out_only_routes_listed_with_a_reason(app):
    endpoints = {endpoint for endpoint, _rule in _get_routes(app)}
    assert set(NOT_BUILT) <= endpoints, "NOT_BUILT names routes that are gone"
    named = set(QUERIES) | set(BULK) | set(AS_TRAINER)
    assert named <= endpoints, "QUERIES, BULK or AS_TRAINER names routes that are gone"


def _new_events(since):
    return list(AuditEvent.select().where(AuditEvent.id > since).order_by(AuditEvent.id))


def _last_id():
    return AuditEvent.select().count() and AuditEvent.select().order_by(AuditEvent.id.desc()).get().id


def test_the_edit_and_merge_pages_are_audited_as_views_of_each_record(client, auth, create_beneficiary):
    first = create_beneficiary(phone="+85515481201")
    second = create_beneficiary(phone="+85517222333")
    auth.login_as("officer", provinces={"02"})
    since = _last_id()
    assert client.get(f"/beneficiaries/{first.code}/edit").status_code == 200
    [edit] = _new_events(since)
    assert (edit.action, edit.object_id, json.loads(edit.detail)) == ("beneficiary.view", str(first.id),
                                                                      {"via": "edit"})
    since = _last_id()
    assert client.get(f"/beneficiaries/{first.code}/merge?other={second.code}").status_code == 200
    assert [(e.action, e.object_id, json.loads(e.detail)) for e in _new_events(since)] == [
        ("beneficiary.view", str(first.id), {"via": "merge", "beside": second.code}),
        ("beneficiary.view", str(second.id), {"via": "merge", "beside": first.code})]


def test_the_duplicate_warning_is_audited_with_the_people_it_shows(client, auth, create_beneficiary):
    known = create_beneficiary(given_name="Pisey", family_name="Meas", phone="+85515481201")
    auth.login_as("officer", provinces={"02"})
    since = _last_id()
    page = client.post("/beneficiaries/new", data={
        "given_name": "Pisey", "family_name": "Meas", "sex": "female", "date_of_birth": "2001-03-15",
        "phone": "015 481 201", "province": "02", "category": "at_risk", "consent_data_use": "y",
        "consent_on": "2026-03-01", "registered_on": "2026-03-01"})
    assert page.status_code == 200 and known.code in page.get_data(as_text=True)
    [warning] = [e for e in _new_events(since) if e.action == "beneficiary.list"]
    assert json.loads(warning.detail) == {"via": "duplicate_warning", "shown": [known.code]}


def test_the_audit_log_finds_a_person_in_the_lists_of_people_shown(client, auth, create_beneficiary):
    person = create_beneficiary(phone="+85515481201")
    create_beneficiary(given_name="Dara")
    auth.login_as("officer", provinces={"02"})
    client.get("/beneficiaries/?q=Chanthy")
    auth.logout()
    auth.login_as("admin")
    assert listed(page_of(client, f"?record={person.code}")) == ["beneficiary.list", "beneficiary.create"]
