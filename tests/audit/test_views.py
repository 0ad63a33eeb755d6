"""The audit log page: admins only, filters, a readable detail, an audited and formula-safe export."""
import io
import json
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from registry.audit import chain
from registry.audit.models import AuditEvent
from registry.audit.services import record_event
from registry.db import database
from tests.makers import START


def page_of(client, query=""):
    """The audit page's HTML for a query string."""
    response = client.get("/audit/" + query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def listed(page):
    """The actions of the events listed in the page's table, top to bottom."""
    return re.findall(r'<tr data-action="([^"]*)">', page)


def count_of(page):
    """The number of matching events the page states."""
    return int(re.search(r"(\d+) events? ·", page).group(1))


def workbook_rows(response):
    """The cells of an exported workbook's sheet, header row first."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return [list(row) for row in load_workbook(io.BytesIO(response.data)).active.iter_rows()]


def add_event(app, action, at=None, **fields):
    """An event written directly, at a chosen time when given."""
    with app.app_context():
        values = {"action": action, "username": "tester", **fields}
        if at:
            values["at"] = at
        return AuditEvent.create(**values)


@pytest.mark.parametrize("path", ["/audit/", "/audit/export.xlsx"])
@pytest.mark.parametrize("role", ["officer", "trainer", "manager"])
def test_other_roles_are_refused(client, auth, role, path):
    auth.login_as(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/audit/", "/audit/export.xlsx"])
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_sees_events_newest_first_as_sentences_with_a_before_after_table(app, client, auth, create_user):
    dara = create_user("trainer", full_name="Dara Sok")
    add_event(app, "user.update", object_type="user", object_id=str(dara.id), ip="10.1.2.3",
              detail=json.dumps({"role": ["trainer", "officer"], "language": [None, "km"]}))
    add_event(app, "cohort.schedule", object_type="cohort", object_id="3",
              detail=json.dumps({"added": ["2026-03-02", "2026-03-09"]}))
    auth.login_as("admin", username="boss", full_name="Sophea Chan")
    page = page_of(client)
    assert listed(page) == ["auth.login", "user.create", "cohort.schedule", "user.update", "user.create"]
    assert "Sophea Chan signed in." in page
    assert f'tester changed the account of <a href="/users/{dara.id}">Dara Sok</a>.' in page
    # The change as a table: labels and coded values in words, an empty value as a dash.
    assert re.search(r'<th scope="row">Role</th><td>Trainer</td><td>Program officer</td>', page)
    assert re.search(r'<th scope="row">Language</th><td>—</td><td>ខ្មែរ</td>', page)
    # A cohort that no longer exists is named by its kind and number; a list stays a list, in the details.
    assert "tester added 2 sessions to the cohort cohort no. 3." in page
    assert "added:</span> 2026-03-02, 2026-03-09" in page
    assert "10.1.2.3" in page and "role:</span>" not in page


def test_a_request_that_records_events_seals_them(client, auth):
    auth.login_as("admin")
    assert AuditEvent.select().where(AuditEvent.hash.is_null()).count() == 0
    assert chain.verify_chain().problem is None


def test_a_failed_seal_is_logged_and_the_request_still_succeeds(app, client, create_user, monkeypatch, caplog):
    user = create_user("officer")

    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(chain, "seal_pending", broken)
    response = client.post("/login", data={"username": user.username, "password": "correct horse battery"})
    assert response.status_code == 302
    assert "could not be sealed" in caplog.text
    assert AuditEvent.select().where(AuditEvent.hash.is_null()).count() == 1  # sealed by the next seal
    monkeypatch.undo()
    assert chain.seal_pending() == 1


def test_filter_by_user_and_action(app, client, auth):
    add_event(app, "beneficiary.view", username="dara")
    add_event(app, "beneficiary.update", username="dara")
    add_event(app, "user.update", username="sokha")
    auth.login_as("admin", username="boss")
    assert listed(page_of(client, "?user=DARA")) == ["beneficiary.update", "beneficiary.view"]
    assert listed(page_of(client, "?action=beneficiary.view")) == ["beneficiary.view"]
    assert listed(page_of(client, "?action=beneficiary.")) == ["beneficiary.update", "beneficiary.view"]
    options = page_of(client)
    assert '<option value="beneficiary.">Participants (all)</option>' in options
    assert '<option value="beneficiary.view">… viewed the record of ….</option>' in options


def test_filter_by_record_id_type_and_participant_code(app, client, auth, create_beneficiary):
    first = create_beneficiary(given_name="Chanthy")
    second = create_beneficiary(given_name="Dara")
    add_event(app, "beneficiary.view", object_type="beneficiary", object_id=str(first.id))
    add_event(app, "enrollment.create", object_type="enrollment", object_id="99",
              detail=json.dumps({"code": first.code, "cohort": 1}))
    add_event(app, "user.update", object_type="user", object_id="4242")
    add_event(app, "report.people", object_type="", object_id="", detail=json.dumps({"code": second.code}))
    auth.login_as("admin")
    page = page_of(client, f"?record={first.code.lower()}")
    # Created, viewed, enrolled: by primary key or by the code in the detail; not the second person.
    assert listed(page) == ["enrollment.create", "beneficiary.view", "beneficiary.create"]
    assert f'href="/beneficiaries/{first.code}"' in page and second.code not in page
    assert listed(page_of(client, f"?record={first.id}&object_type=beneficiary")) == [
        "beneficiary.view", "beneficiary.create"]
    assert listed(page_of(client, "?record=4242")) == ["user.update"]
    assert listed(page_of(client, "?object_type=enrollment")) == ["enrollment.create"]


def test_filter_by_dates_takes_days_in_the_office_time_zone(app, client, auth):
    # Phnom Penh is UTC+7: its 1 March runs from 28 February 17:00 UTC to 1 March 17:00 UTC.
    add_event(app, "day.before", at=datetime(2026, 2, 28, 16, 59, 59))
    add_event(app, "first.day", at=datetime(2026, 2, 28, 17, 0, 0))
    add_event(app, "last.day", at=datetime(2026, 3, 2, 16, 59, 59, 999999))
    add_event(app, "day.after", at=datetime(2026, 3, 2, 17, 0, 0))
    auth.login_as("admin")
    assert listed(page_of(client, "?date_from=2026-03-01&date_to=2026-03-02")) == ["last.day", "first.day"]
    assert listed(page_of(client, "?date_to=2026-02-28")) == ["day.before"]
    assert listed(page_of(client, "?date_from=2026-03-03&action=day.after")) == ["day.after"]


def test_times_show_in_the_office_time_zone(app, client, auth):
    add_event(app, "late.evening", at=datetime(2026, 3, 1, 20, 0, 0))  # 03:00 on 2 March in Phnom Penh
    auth.login_as("admin")
    page = page_of(client, "?action=late.evening")
    assert '<time datetime="2026-03-01T20:00:00Z">Mar 2, 2026, 3:00:00\u202fAM</time>' in page
    assert "Asia/Phnom_Penh (UTC+07:00)" in page


def test_another_office_time_zone_is_a_setting(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "OFFICE_TIMEZONE", "UTC")
    add_event(app, "late.evening", at=datetime(2026, 3, 1, 20, 0, 0))
    auth.login_as("admin")
    assert listed(page_of(client, "?date_from=2026-03-01&date_to=2026-03-01&action=late.evening")) == ["late.evening"]


@pytest.mark.parametrize("query, message", [
    ("?date_from=31/03/2026", "Enter the date as YYYY-MM-DD"),
    ("?date_to=2026-02-30", "Enter the date as YYYY-MM-DD"),
    ("?date_from=2026-03-02&date_to=2026-03-01", "The end date is before the start date."),
    ("?action=no.such.action", "Not a valid choice"),
    ("?user=" + "x" * 65, "Field cannot be longer than 64 characters."),
    ("?user=a%1Bb", "Remove the control characters."),
    ("?record=BR-%0A1", "Remove the control characters."),
])
def test_bad_filters_give_a_clear_message(client, auth, query, message):
    auth.login_as("admin")
    page = page_of(client, query)
    assert message in page and "Some filters are not valid" in page
    assert "No event matches" not in page


@pytest.mark.parametrize("page", ["99999999999999999999", "%C2%B2", "-1", "abc", "9" * 5000])
def test_odd_page_numbers_are_no_error(client, auth, page):
    auth.login_as("admin")
    assert listed(page_of(client, f"?page={page}")) in ([], ["auth.login", "user.create"])


def test_the_last_possible_day_is_no_error(client, auth):
    auth.login_as("admin")
    assert listed(page_of(client, "?date_to=9999-12-31")) == ["auth.login", "user.create"]


def test_pages_of_fifty(app, client, auth):
    for n in range(60):
        add_event(app, f"bulk.event{n:02d}")
    auth.login_as("admin")
    first = page_of(client, "?action=")
    assert count_of(first) == 60 + 2 and len(listed(first)) == 50  # with the admin's creation and sign-in
    assert listed(page_of(client, "?page=2"))[-1] == "bulk.event00"
    assert "page=2" in first


def test_export_has_the_filtered_events_and_is_audited(app, client, auth):
    add_event(app, "beneficiary.view", username="dara", at=datetime(2026, 3, 1, 8, 30, 15))
    add_event(app, "user.update", username="sokha")
    auth.login_as("admin", username="boss")
    rows = workbook_rows(client.get("/audit/export.xlsx?user=dara&page=3"))
    assert [c.value for c in rows[0]][:5] == ["Event", "Chain position", "Time (UTC)", "User", "Action"]
    assert len(rows) == 2
    values = [c.value for c in rows[1]]
    assert values[2:5] == [datetime(2026, 3, 1, 8, 30, 15), "dara", "beneficiary.view"]
    assert rows[1][2].number_format == "yyyy-mm-dd hh:mm:ss"
    [event] = AuditEvent.select().where(AuditEvent.action == "audit.export")
    assert event.username == "boss"
    assert json.loads(event.detail) == {"rows": 1, "filters": {"user": "dara"}}


def test_export_never_writes_a_formula(app, client, auth):
    evil = "=HYPERLINK(\"http://x\",\"y\")"
    client.post("/login", data={"username": evil, "password": "nope"}, headers={"User-Agent": "+cmd|' /C calc'!A0"})
    add_event(app, "note", object_id="-1", ip="@1", detail="=1+2")
    auth.login_as("admin")
    rows = workbook_rows(client.get("/audit/export.xlsx"))
    cells = [cell for row in rows for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = {cell.value for cell in cells}
    assert {evil, "+cmd|' /C calc'!A0", "-1", "@1", "=1+2"} <= values


def test_export_with_bad_filters_goes_back_to_the_page(client, auth):
    auth.login_as("admin")
    response = client.get("/audit/export.xlsx?date_from=yesterday")
    assert response.status_code == 302 and "date_from=yesterday" in response.headers["Location"]
    assert AuditEvent.select().where(AuditEvent.action == "audit.export").count() == 0
    assert "Correct the filters before exporting." in page_of(client, "?date_from=yesterday")


def test_export_names_participants_by_code(client, auth, create_beneficiary):
    person = create_beneficiary()
    auth.login_as("admin")
    rows = workbook_rows(client.get("/audit/export.xlsx?action=beneficiary.create"))
    header = [c.value for c in rows[0]]
    assert rows[1][header.index("Participant code")].value == person.code


def test_record_event_outside_a_request_is_sealed_when_its_context_ends(app):
    with app.app_context():
        record_event("cli.thing")
        assert AuditEvent.get(AuditEvent.action == "cli.thing").hash is None
    assert AuditEvent.get(AuditEvent.action == "cli.thing").seq is not None


def test_the_page_runs_a_fixed_number_of_queries(app, client, auth, create_beneficiary, monkeypatch):
    auth.login_as("admin")
    create_beneficiary()

    def queries():
        calls = []
        original = database.obj.execute_sql
        monkeypatch.setattr(database.obj, "execute_sql", lambda sql, *args, **kw: calls.append(sql) or original(
            sql, *args, **kw))
        assert client.get("/audit/").status_code == 200
        monkeypatch.undo()
        return len(calls)

    few = queries()
    for n in range(5):
        create_beneficiary(given_name=f"P{n}")
    assert queries() == few


def test_records_are_named_and_linked_and_actors_by_their_names(app, client, auth, create_cohort,
                                                                 create_beneficiary, enroll):
    cohort = create_cohort(name="Sewing Battambang", days=[START])
    person = create_beneficiary(given_name="Chanthy")
    enrollment = enroll(cohort, person)
    auth.login_as("admin")
    page = page_of(client)
    assert f'Registrar created the cohort <a href="/cohorts/{cohort.id}">Sewing Battambang</a>.' in page
    assert (f'Registrar created <a href="/cohorts/{cohort.id}/enrollments/{enrollment.id}">the enrollment of '
            f'{person.code} in Sewing Battambang</a>.') in page
    assert re.search(r'Registrar added <a href="/sessions/\d+">the session of Mar 2, 2026 of the cohort '
                     r'Sewing Battambang</a>\.', page)
    assert (f'Registrar registered <span class="text-nowrap"><a href="/beneficiaries/{person.code}">{person.code}</a>'
            '</span>.') in page
    assert re.search(r'Registrar created the program <a href="/programs/\d+">Sewing 1</a>\.', page)
    # A new cohort's fields as a table, with the province by its name.
    assert re.search(r'<th scope="row">Province</th><td>—</td><td>Battambang</td>', page)


def test_the_page_in_khmer(app, client, auth, create_user):
    dara = create_user("trainer", full_name="Dara Sok")
    add_event(app, "user.update", object_type="user", object_id=str(dara.id),
              at=datetime(2026, 3, 1, 20, 0), detail=json.dumps({"role": ["trainer", "officer"]}))
    auth.login_as("admin", language="km")
    page = page_of(client, "?action=user.update")
    assert listed(page) == ["user.update"]
    assert f'<a href="/users/{dara.id}">Dara Sok</a>' in page
    assert re.search(r"<td>គ្រូបណ្តុះបណ្តាល</td><td>មន្ត្រីកម្មវិធី</td>", page)  # the roles' Khmer labels
    assert "2 មីនា 2026" in page  # 20:00 UTC on 1 March is 2 March in Phnom Penh, in Khmer
