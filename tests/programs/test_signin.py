"""Sign-in sheets: downloaded, printed, filled in and uploaded back as attendance, all or nothing."""
import io
import os
from datetime import date

import pytest
from openpyxl import load_workbook

from exports.reading import read_rows
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.programs import enrollment as enrolling
from registry.programs.models import Attendance, Cohort, Enrollment, TrainingSession
from registry.programs.seats import seats_taken
from registry.programs.services import TrainingError, cancel_session
from registry.programs.signin import record_signin_sheet, signin_sheet, signin_workbook
from registry.programs.signin_reading import read_mark, read_signin_sheet

# Past dates, so that every session has taken place whatever day the tests run.
START, END = date(2025, 3, 3), date(2025, 5, 30)
DAYS = [date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)]
D1, D2, D3 = (day.isoformat() for day in DAYS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def trainer(create_user):
    """The trainer assigned to the cohort."""
    return create_user("trainer", username="trainer-sewing")


@pytest.fixture
def cohort(create_cohort, trainer):
    """A Battambang cohort with three sessions, taught by `trainer`."""
    return create_cohort(days=DAYS, trainers=[trainer], start_on=START, end_on=END)


@pytest.fixture
def people(cohort, create_beneficiary, enroll):
    """Three participants enrolled from the start: {family name: beneficiary}; the sheet lists Chea, Keo, Sok."""
    names = [("Sok", "Chanthy", "សុខ", "ចន្ធី", date(2001, 3, 15)), ("Chea", "Dara", "ជា", "តារា", date(1995, 6, 1)),
             ("Keo", "Sophea", "កែវ", "សុភា", date(1999, 9, 9))]
    found = {}
    for family, given, family_km, given_km, born in names:
        beneficiary = create_beneficiary(family_name=family, given_name=given, family_name_km=family_km,
                                         given_name_km=given_km, date_of_birth=born)
        enroll(cohort, beneficiary, on=START)
        found[family] = beneficiary
    return found


@pytest.fixture
def as_trainer(client, auth, trainer):
    """The test client, signed in as the cohort's trainer."""
    auth.login(trainer.username)
    return client


def download(client, cohort, session=None):
    """The sign-in workbook's bytes, downloaded."""
    url = (f"/cohorts/{cohort.id}/sessions/{session.id}/signin.xlsx" if session
           else f"/cohorts/{cohort.id}/signin.xlsx")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == XLSX
    return response.data


def fill(data, marks=(), columns=(), rows=()):
    """A filled-in copy of a sheet: marks {(code, column title): value}, extra columns and rows ({title: value})."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    for title in columns:
        sheet.cell(row=1, column=sheet.max_column + 1, value=title)
    titles = [c.value for c in sheet[1]]
    row_of = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for (code, title), value in dict(marks).items():
        sheet.cell(row=row_of[code], column=titles.index(title) + 1, value=value)
    for values in rows:
        sheet.append([values.get(title) for title in titles])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, cohort, data, name="signin.xlsx"):
    """Post a file to the upload page."""
    return client.post(f"/cohorts/{cohort.id}/signin/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def recorded():
    """{(code, date): mark} of every attendance row."""
    query = Attendance.select(Attendance, Enrollment, TrainingSession).join_from(Attendance, Enrollment) \
        .join_from(Attendance, TrainingSession)
    return {(a.enrollment.beneficiary.code, a.session.held_on.isoformat()): a.status for a in query}


def sessions_of(cohort):
    """The cohort's sessions by ISO date."""
    return {s.held_on.isoformat(): s for s in TrainingSession.select().where(TrainingSession.cohort == cohort)}


# The round trip, through HTTP

def test_a_filled_in_sheet_records_every_mark_at_once(as_trainer, cohort, people):
    sok, chea, keo = (people[n].code for n in ("Sok", "Chea", "Keo"))
    data = fill(download(as_trainer, cohort), {
        (sok, D1): "p", (sok, D2): "Late", (sok, D3): "excused",
        (chea, D1): "A", (chea, D2): "✓", (chea, D3): "មក",
        (keo, D1): 1, (keo, D3): "ABSENT "})  # Keo's D2 left blank: nothing recorded for it
    response = upload(as_trainer, cohort, data)
    assert response.status_code == 302
    assert "8 marks recorded." in as_trainer.get(response.location).get_data(as_text=True)
    assert recorded() == {(sok, D1): "present", (sok, D2): "late", (sok, D3): "excused",
                          (chea, D1): "absent", (chea, D2): "present", (chea, D3): "present",
                          (keo, D1): "present", (keo, D3): "absent"}
    assert {e.status for e in Enrollment.select()} == {"active"}  # attending made them active
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert "attendance.signin_sheet" in actions and actions.count("attendance.record") == 3
    assert actions[-1] == "attendance.signin_upload"


def test_blank_cells_change_nothing_and_a_second_upload_corrects(as_trainer, cohort, people):
    sok, chea = people["Sok"].code, people["Chea"].code
    sheet = download(as_trainer, cohort)
    upload(as_trainer, cohort, fill(sheet, {(sok, D1): "A", (chea, D1): "P"}))
    upload(as_trainer, cohort, fill(sheet, {(sok, D1): "L"}))
    assert recorded() == {(sok, D1): "late", (chea, D1): "present"}


def test_a_sheet_without_marks_records_nothing(as_trainer, cohort, people):
    response = upload(as_trainer, cohort, download(as_trainer, cohort))
    assert "nothing was recorded" in as_trainer.get(response.location).get_data(as_text=True)
    assert recorded() == {}


def test_a_one_session_sheet_has_that_date_only(as_trainer, cohort, people):
    session = sessions_of(cohort)[D2]
    sheet = load_workbook(io.BytesIO(download(as_trainer, cohort, session))).worksheets[0]
    assert [c.value for c in sheet[1]][3:] == [D2, "Signature"]
    data = fill(download(as_trainer, cohort, session), {(people["Keo"].code, D2): "e"})
    assert upload(as_trainer, cohort, data).status_code == 302
    assert recorded() == {(people["Keo"].code, D2): "excused"}


def test_a_sheet_downloaded_in_khmer_reads_back_in_english(as_trainer, cohort, people):
    as_trainer.post("/language", data={"language": "km"})
    data = download(as_trainer, cohort)
    assert load_workbook(io.BytesIO(data)).worksheets[0]["A1"].value == "លេខកូដ"
    as_trainer.post("/language", data={"language": "en"})
    response = upload(as_trainer, cohort, fill(data, {(people["Sok"].code, D1): "P"}))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert recorded() == {(people["Sok"].code, D1): "present"}


def test_the_first_row_is_the_header_row_read_back_by_the_safe_reader(as_trainer, cohort, people):
    headers, rows = read_rows(download(as_trainer, cohort), ["Code"], ["Name", "Name (Khmer)", "Signature"])
    assert headers == ["Code", "Name", "Name (Khmer)", D1, D2, D3, "Signature"]
    assert [(n, r["Code"], r["Name"], r["Name (Khmer)"]) for n, r in rows] == [
        (2, people["Chea"].code, "Chea Dara", "ជា តារា"), (3, people["Keo"].code, "Keo Sophea", "កែវ សុភា"),
        (4, people["Sok"].code, "Sok Chanthy", "សុខ ចន្ធី")]


# Errors: named by row and column, and nothing written

@pytest.fixture
def latecomer(cohort, create_beneficiary, enroll):
    """A participant enrolled on the third session's day (row 4 of the sheet: Chea, Keo, Ly, Sok)."""
    beneficiary = create_beneficiary(family_name="Ly", given_name="Vanna", date_of_birth=date(2000, 1, 1))
    enroll(cohort, beneficiary, on=DAYS[2])
    return beneficiary


def bad_sheet(data, people, latecomer):
    """A sheet with one of each problem, and good marks besides."""
    return fill(data, {(people["Chea"].code, D1): "P", (people["Keo"].code, D1): "Z",
                       (latecomer.code, D1): "P", (latecomer.code, D3): "P"},
                columns=["2025-06-02", "2025-03-04"], rows=[{"Code": "BR-999999", D1: "P"}])


EXPECTED_ERRORS = [
    (1, "2025-06-02", "This date is outside the cohort's dates (2025-03-03 to 2025-05-30)."),
    (1, "2025-03-04", "This cohort has no session on this date."),
    (3, D1, "Write P, L, E or A (present, late, excused, absent), or leave the cell blank."),
    (4, D1, "This person was not enrolled in this cohort on this date."),
    (6, "Code", "No participant with this code is enrolled in this cohort."),
]


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(as_trainer, cohort, people, latecomer):
    response = upload(as_trainer, cohort, bad_sheet(download(as_trainer, cohort), people, latecomer))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "5 problems: nothing was recorded" in page
    for row, column, message in EXPECTED_ERRORS:
        assert f"<tr><td>{row}</td><td>{column}</td><td>{message}</td></tr>".replace("'", "&#39;") in page
    assert recorded() == {}
    assert not AuditEvent.select().where(AuditEvent.action.startswith("attendance.record")).exists()


def test_the_check_returns_the_errors_in_sheet_order(app_ctx, cohort, people, latecomer, registrar):
    user = User.get_by_id(registrar.id)
    sheet = bad_sheet(signin_workbook(cohort, viewer=user), people, latecomer)
    _marks, errors = read_signin_sheet(cohort, sheet, user)
    assert errors == EXPECTED_ERRORS


@pytest.fixture
def check(app_ctx, cohort, people, registrar):
    """check(marks, columns=(), rows=(), today=None) -> errors, on the cohort's whole sheet."""
    user = User.get_by_id(registrar.id)

    def run(marks=(), columns=(), rows=(), today=None):
        sheet = fill(signin_workbook(cohort, viewer=user), marks, columns, rows)
        return read_signin_sheet(cohort, sheet, user, today)[1]

    return run


def test_a_column_that_is_not_a_date(check):
    assert check(columns=["Notes"]) == [(1, "Notes", "This column is neither a date (such as 2026-03-02) nor a "
                                                      "column of the sign-in sheet.")]


def test_dates_typed_day_first_or_as_date_cells_are_read(check, people):
    sok = people["Sok"].code
    assert check({(sok, D1): "P"}, columns=["10/03/2025"]) == [(1, "10/03/2025", "Another column has the same date.")]
    assert check(columns=[date(2025, 3, 24)]) == [(1, "2025-03-24 00:00:00", "This cohort has no session on this "
                                                                               "date.")]


def test_a_code_on_two_rows(check, people):
    sok = people["Sok"].code
    assert check(rows=[{"Code": sok.lower(), D2: "P"}]) == [(5, "Code", "This participant is also on row 4.")]


def test_marks_on_a_session_still_to_come_or_cancelled(check, cohort, people, registrar):
    sok = people["Sok"].code
    assert check({(sok, D1): "P"}, today=DAYS[1]) == []  # D3 is ahead, but blank
    assert check({(sok, D3): "P"}, today=DAYS[1]) == [(1, D3, "This session has not taken place yet.")]
    cancel_session(sessions_of(cohort)[D2], True, User.get_by_id(registrar.id))
    assert check({(sok, D2): "P"}, columns=[D2]) == [(1, D2, "The session on this date is cancelled.")]


def test_a_row_with_marks_but_no_code(check):
    assert check(rows=[{"Name": "Walk-in", D1: "P"}]) == [
        (5, "Code", "The code is missing: only people enrolled in this cohort can be marked.")]


def test_the_code_column_is_required(app_ctx, cohort, registrar):
    from openpyxl import Workbook

    from exports.reading import UploadError

    workbook = Workbook()
    workbook.active.append(["Name", D1])
    workbook.active.append(["Sok", "P"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(UploadError) as raised:
        read_signin_sheet(cohort, out.getvalue(), User.get_by_id(registrar.id))
    assert raised.value.code == "missing_columns"


def test_a_code_merged_since_the_sheet_was_printed_still_finds_its_person(app_ctx, cohort, people, registrar,
                                                                          create_beneficiary):
    from registry.beneficiaries.merging import merge_beneficiaries

    user = User.get_by_id(registrar.id)
    sheet = signin_workbook(cohort, viewer=user)
    survivor = create_beneficiary(family_name="Sok", given_name="Chanthy", date_of_birth=date(2001, 3, 16))
    merge_beneficiaries(survivor, people["Sok"], user)  # Sok's enrollment moves to the survivor's code
    marks, errors = read_signin_sheet(cohort, fill(sheet, {(people["Sok"].code, D1): "P"}), user)
    assert errors == []
    assert record_signin_sheet(cohort, marks, user) == 1
    assert recorded() == {(survivor.code, D1): "present"}


@pytest.mark.parametrize("value, mark", [
    ("P", "present"), ("present", "present"), ("PRESENT", "present"), ("1", "present"), (1, "present"),
    (1.0, "present"), ("✓", "present"), ("x", None), ("X", None), ("មក", "present"),
    ("l", "late"), ("Late", "late"), ("យឺត", "late"), ("e", "excused"), ("សុំច្បាប់", "excused"),
    ("a", "absent"), ("0", "absent"), (0, "absent"), ("អវត្តមាន", "absent"), (" A ", "absent"),
    ("Z", None), ("2", None), (2, None), (True, None), ("presentt", None), (date(2025, 3, 3), None),
])
def test_marks_people_write(value, mark):
    assert read_mark(value) == mark


def test_all_sessions_or_none_when_one_fails_at_the_save(app_ctx, cohort, people, registrar):
    user = User.get_by_id(registrar.id)
    data = fill(signin_workbook(cohort, viewer=user), {(people["Sok"].code, D1): "P", (people["Sok"].code, D2): "P"})
    marks, errors = read_signin_sheet(cohort, data, user)
    assert errors == [] and sum(len(m) for m in marks.values()) == 2
    cancel_session(sessions_of(cohort)[D2], True, user)  # between the check and the save
    with pytest.raises(TrainingError):
        record_signin_sheet(cohort, marks, user)
    assert Attendance.select().count() == 0


def wait_in(cohort, beneficiary, user, withdrawn_on=None):
    """Put someone on the cohort's waitlist (the cohort is made full first), withdrawn from it on a day if given."""
    capacity = Cohort.get_by_id(cohort.id).capacity
    Cohort.update(capacity=seats_taken(cohort)).where(Cohort.id == cohort.id).execute()
    enrollment = enrolling.enroll(cohort, beneficiary, START, user)
    Cohort.update(capacity=capacity).where(Cohort.id == cohort.id).execute()
    assert enrollment.status == "waitlisted" and enrollment.enrolled_on is None
    if withdrawn_on:
        enrolling.change_status(enrollment, "withdrawn", withdrawn_on, user, reason="Found work")
    return enrollment


def test_the_sheet_lists_admitted_people_enrolled_on_its_dates(app_ctx, cohort, people, create_beneficiary, enroll,
                                                               registrar):
    user = User.get_by_id(registrar.id)
    wait_in(cohort, create_beneficiary(family_name="An", given_name="Bopha", date_of_birth=date(1998, 2, 2)), user)
    wait_in(cohort, create_beneficiary(family_name="Bun", given_name="Rith", date_of_birth=date(1997, 2, 2)), user,
            withdrawn_on=DAYS[2])  # withdrawn while waiting: never on a sheet, though "open" until then
    late = create_beneficiary(family_name="Ly", given_name="Vanna", date_of_birth=date(2000, 1, 1))
    enroll(cohort, late, on=DAYS[2])
    whole = signin_sheet(cohort, viewer=user)
    assert [p.name for p in whole.people] == ["Chea Dara", "Keo Sophea", "Ly Vanna", "Sok Chanthy"]
    assert whole.people[2].closed == {DAYS[0], DAYS[1]}
    first = signin_sheet(cohort, sessions_of(cohort)[D1], viewer=user)
    assert [p.name for p in first.people] == ["Chea Dara", "Keo Sophea", "Sok Chanthy"]


def test_someone_admitted_from_the_waitlist_is_on_the_sheet_from_the_day_of_admission(app_ctx, cohort, people,
                                                                                    create_beneficiary, registrar):
    user = User.get_by_id(registrar.id)
    waiting = wait_in(cohort, create_beneficiary(family_name="An", given_name="Bopha", date_of_birth=date(1998, 2, 2)),
                      user)
    enrolling.change_status(waiting, "enrolled", DAYS[1], user)
    row = next(p for p in signin_sheet(cohort, viewer=user).people if p.name == "An Bopha")
    assert row.closed == {DAYS[0]}  # asked for on START, seated on the second session's day


def test_a_waitlisted_code_on_an_uploaded_sheet_is_named_by_row_and_column(as_trainer, app, cohort, people,
                                                                          create_beneficiary, registrar):
    with app.app_context():
        user = User.get_by_id(registrar.id)
        waiting = wait_in(cohort, create_beneficiary(family_name="An", given_name="Bopha",
                                                     date_of_birth=date(1998, 2, 2)), user)
        gone = wait_in(cohort, create_beneficiary(family_name="Bun", given_name="Rith", date_of_birth=date(1997, 2, 2)),
                       user, withdrawn_on=DAYS[2])
        codes = (waiting.beneficiary.code, gone.beneficiary.code)
    sheet = download(as_trainer, cohort)
    listed = {cell.value for cell in load_workbook(io.BytesIO(sheet)).worksheets[0]["A"]}
    assert people["Sok"].code in listed and not listed & set(codes)
    data = fill(sheet, {(people["Sok"].code, D1): "P"},
                rows=[{"Code": codes[0], D1: "P"}, {"Code": codes[1], D2: "P"}])
    page = upload(as_trainer, cohort, data).get_data(as_text=True)
    assert ("<td>5</td><td>Code</td><td>This participant is on this cohort&#39;s waitlist, not admitted: only "
            "admitted people can be marked.</td>") in page
    assert ("<td>6</td><td>Code</td><td>This participant left this cohort&#39;s waitlist without being admitted: "
            "only admitted people can be marked.</td>") in page
    assert recorded() == {}  # nothing saved while a row is wrong, Sok's good mark included


# Files that are not sign-in sheets

def test_random_bytes_get_a_clear_message(as_trainer, cohort, people):
    response = upload(as_trainer, cohort, os.urandom(2048), name="signin.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This file is not an Excel workbook (.xlsx)" in page
    assert recorded() == {}


def test_posting_without_a_file_asks_for_one(as_trainer, cohort):
    response = as_trainer.post(f"/cohorts/{cohort.id}/signin/upload", data={}, content_type="multipart/form-data")
    assert "Choose an .xlsx file to upload." in response.get_data(as_text=True)


# The page to print

def test_the_print_page_lists_the_names_dates_and_a_signature_column(as_trainer, cohort, people):
    page = as_trainer.get(f"/cohorts/{cohort.id}/signin").get_data(as_text=True)
    for text in ("Sok Chanthy", "សុខ ចន្ធី", "Chea Dara", people["Keo"].code, D1, D2, D3, "Signature",
                 "css/print.css", "js/print.js", "data-print"):
        assert text in page
    assert "onclick" not in page
    assert AuditEvent.select().where(AuditEvent.action == "attendance.signin_sheet").count() == 1


def test_the_print_page_of_one_session(as_trainer, cohort, people):
    session = sessions_of(cohort)[D2]
    page = as_trainer.get(f"/cohorts/{cohort.id}/signin?session={session.id}").get_data(as_text=True)
    assert f"<th scope=\"col\" class=\"signin-date\">{D2}</th>" in page
    assert f"class=\"signin-date\">{D1}<" not in page
    assert as_trainer.get(f"/cohorts/{cohort.id}/signin?session=abc").status_code == 404


# Access

def urls(cohort):
    """Every sign-in URL of a cohort, with its method."""
    session = sessions_of(cohort)[D1]
    return [("get", f"/cohorts/{cohort.id}/signin.xlsx"),
            ("get", f"/cohorts/{cohort.id}/sessions/{session.id}/signin.xlsx"),
            ("get", f"/cohorts/{cohort.id}/signin"),
            ("get", f"/cohorts/{cohort.id}/signin?session={session.id}"),
            ("get", f"/cohorts/{cohort.id}/signin/upload"),
            ("post", f"/cohorts/{cohort.id}/signin/upload")]


def request(client, method, url):
    """GET or POST (with a filled-in sheet) a URL."""
    if method == "get":
        return client.get(url)
    return client.post(url, data={"file": (io.BytesIO(b"not read"), "s.xlsx")}, content_type="multipart/form-data")


@pytest.mark.parametrize("role, provinces, status", [
    ("trainer", None, 403),  # a trainer of other cohorts
    ("officer", {"17"}, 404),  # an officer of another province: the cohort is not there for them
    ("manager", None, 403),
])
def test_others_are_refused_every_sign_in_url(client, auth, cohort, people, role, provinces, status):
    auth.login_as(role, provinces=provinces)
    for method, url in urls(cohort):
        assert request(client, method, url).status_code == status, (method, url)
    assert not AuditEvent.select().where(AuditEvent.action == "attendance.signin_sheet").exists()


@pytest.mark.parametrize("role, provinces", [("officer", {"02"}), ("admin", None)])
def test_officers_of_the_province_and_admins_may_use_them(client, auth, cohort, people, role, provinces):
    auth.login_as(role, provinces=provinces)
    for method, url in urls(cohort)[:-1]:
        assert request(client, method, url).status_code == 200, url


def test_a_session_of_another_cohort_is_not_found(as_trainer, cohort, create_cohort, trainer):
    other = create_cohort(days=[START], trainers=[trainer], start_on=START, end_on=END, name="Other")
    session = sessions_of(other)[D1]
    assert as_trainer.get(f"/cohorts/{cohort.id}/sessions/{session.id}/signin.xlsx").status_code == 404
    assert as_trainer.get(f"/cohorts/{cohort.id}/signin?session={session.id}").status_code == 404
