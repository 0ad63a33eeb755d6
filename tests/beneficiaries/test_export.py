"""Participant list exports: named only for officers and admins, consented records only, always audited."""
import io
import json
import tracemalloc
from datetime import date

import pytest
from openpyxl import load_workbook

from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries import exporting
from registry.beneficiaries.merging import merge_beneficiaries
from registry.beneficiaries.models import Beneficiary
from registry.timeutil import add_years
from tests.test_query_counts import counted


def rows_of(response):
    """The rows of an exported workbook, header first."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return [list(r) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]


def test_named_export_has_consented_people_in_scope_only(client, auth, create_beneficiary):
    create_beneficiary(given_name="Chanthy", phone="+85512345678")
    create_beneficiary(given_name="Dara", consent_data_use=False)
    create_beneficiary(given_name="Vuthy", province="17")
    auth.login_as("officer", provinces={"02"})
    rows = rows_of(client.get("/beneficiaries/export.xlsx"))
    assert rows[0][:3] == ["Code", "Family name", "Given name"]
    assert [r[2] for r in rows[1:]] == ["Chanthy"]
    assert "+85512345678" in rows[1]
    [event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.export")
    assert json.loads(event.detail)["kind"] == "named" and json.loads(event.detail)["rows"] == 1


def test_a_person_with_no_province_recorded_is_on_an_all_provinces_named_list(client, auth, create_beneficiary):
    create_beneficiary(given_name="Chanthy")
    nowhere = create_beneficiary(given_name="Dara")
    Beneficiary.update(province=None).where(Beneficiary.id == nowhere.id).execute()
    auth.login_as("admin")
    rows = rows_of(client.get("/beneficiaries/export.xlsx"))
    named = {r[2]: r for r in rows[1:]}
    assert set(named) == {"Chanthy", "Dara"}
    assert named["Dara"][rows[0].index("Province")] is None


def test_the_export_follows_the_list_filters(client, auth, create_beneficiary):
    create_beneficiary(given_name="Chanthy", sex="female")
    create_beneficiary(given_name="Dara", sex="male")
    auth.login_as("officer")
    rows = rows_of(client.get("/beneficiaries/export.xlsx?sex=male"))
    assert [r[2] for r in rows[1:]] == ["Dara"]


def test_deidentified_export_has_no_names_phones_or_ids(client, auth, create_beneficiary):
    create_beneficiary(given_name="Chanthy", family_name="Sok", phone="+85512345678", date_of_birth=add_years(
        date.today(), -22), id_document_type="national_id", id_document_number="0102345")
    auth.login_as("officer")
    rows = rows_of(client.get("/beneficiaries/export.xlsx?kind=deidentified"))
    assert rows[0] == ["Code", "Sex", "Age", "Province", "Category", "Program", "Status", "Registration date"]
    flat = " ".join(str(v) for row in rows for v in row)
    for secret in ("Chanthy", "Sok", "12345678", "0102345"):
        assert secret not in flat
    assert rows[1][:4] == ["BR-000001", "Female", "20–24", "02"]


def test_managers_get_the_deidentified_list_and_never_the_named_one(client, auth, create_beneficiary):
    create_beneficiary()
    auth.login_as("manager")
    assert rows_of(client.get("/beneficiaries/export.xlsx"))[0][1] == "Sex"
    assert client.get("/beneficiaries/export.xlsx?kind=named").status_code == 403


@pytest.mark.parametrize("role", ["trainer"])
def test_trainers_cannot_export(client, auth, role):
    auth.login_as(role)
    assert client.get("/beneficiaries/export.xlsx").status_code == 403


def test_formula_like_text_comes_back_as_text(client, auth, create_beneficiary):
    create_beneficiary(given_name="=HYPERLINK(\"http://evil.example\")", family_name="@SUM(A1)", village="-5+3")
    auth.login_as("officer")
    workbook = load_workbook(io.BytesIO(client.get("/beneficiaries/export.xlsx").data))
    cells = {c.value: c.data_type for c in workbook.active[2]}
    assert cells["=HYPERLINK(\"http://evil.example\")"] == "s"
    assert cells["@SUM(A1)"] == "s" and cells["-5+3"] == "s"


def test_labels_are_in_the_language_of_the_user(client, auth, create_beneficiary):
    create_beneficiary(sex="female", category="returned_migrant")
    auth.login_as("officer", language="km")
    rows = rows_of(client.get("/beneficiaries/export.xlsx"))
    assert rows[1][5] == "ស្រី" and rows[1][13] == "ជនចំណាកស្រុកវិលត្រឡប់"


def add_people(app, first, count):
    """Insert count consented participants in one statement (registering each would take minutes)."""
    rows = [{"code": f"BR-{n:06d}", "family_name": f"Sok {n}", "given_name": "Chanthy", "family_name_km": "សុខ",
             "given_name_km": "ចាន់ធី", "sex": "female", "date_of_birth": date(2001, 3, 15), "phone": "+85512345678",
             "province": "02", "village": "Kandal", "category": "at_risk", "consent_data_use": True,
             "registered_on": date(2026, 3, 1)} for n in range(first, first + count)]
    with app.app_context():
        Beneficiary.insert_many(rows).execute()


def export_peak(client, url):
    """The peak of memory allocated by Python while an export is built and sent, in bytes."""
    tracemalloc.start()
    try:
        response = client.get(url, buffered=False)
        assert response.status_code == 200
        assert sum(len(chunk) for chunk in response.response) > 0
        response.close()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", ["named", "deidentified"])
def test_export_memory_does_not_grow_with_the_rows(app, client, auth, monkeypatch, kind):
    # 100 rows a batch on PostgreSQL, so that 2,000 rows take many batches, as 100,000 do in production.
    monkeypatch.setattr(exporting, "BATCH_ROWS", 100)
    url = f"/beneficiaries/export.xlsx?kind={kind}"
    auth.login_as("officer")
    add_people(app, 1, 200)
    export_peak(client, url)  # the first export loads modules and catalogs: not the rows' cost
    small = export_peak(client, url)
    add_people(app, 201, 1800)
    large = export_peak(client, url)
    # Holding the 1,800 more rows at once, as a list of tuples, takes 0.8 to 1.6 MB; streamed, they take nothing.
    assert large - small < 300_000, (small, large)
    last = AuditEvent.select().where(AuditEvent.action == "beneficiary.export").order_by(AuditEvent.id.desc()).get()
    assert json.loads(last.detail)["rows"] == 2000


@pytest.fixture
def programs(create_program, create_cohort, enroll, create_beneficiary):
    """Chanthy in Sewing twice and in Motorbike repair; Dara in Sewing; Vuthy waiting for Sewing's full cohort."""
    sewing, motorbike = create_program(name="Sewing"), create_program(name="Motorbike repair")
    spring, autumn = (create_cohort(name=name, program=sewing, capacity=2) for name in ("Spring", "Autumn"))
    engines = create_cohort(name="Engines", program=motorbike)
    chanthy, dara, vuthy = (create_beneficiary(given_name=name) for name in ("Chanthy", "Dara", "Vuthy"))
    for cohort, person in ((spring, chanthy), (autumn, chanthy), (engines, chanthy), (spring, dara), (spring, vuthy)):
        enroll(cohort, person)
    return {"sewing": sewing.id, "motorbike": motorbike.id, "spring": spring}


def programs_column(rows):
    """{code: the Program cell} of a de-identified export."""
    column = rows[0].index("Program")
    return {row[0]: row[column] for row in rows[1:]}


def test_deidentified_export_names_each_persons_programs_once(client, auth, programs):
    auth.login_as("manager")
    rows = rows_of(client.get("/beneficiaries/export.xlsx?kind=deidentified"))
    # Vuthy waits on the full cohort's list: on no program yet.
    assert programs_column(rows) == {"BR-000001": "Motorbike repair; Sewing", "BR-000002": "Sewing", "BR-000003": None}


def test_the_program_filter_applies_to_the_export(client, auth, programs):
    auth.login_as("manager")
    rows = rows_of(client.get(f"/beneficiaries/export.xlsx?kind=deidentified&program={programs['motorbike']}"))
    assert programs_column(rows) == {"BR-000001": "Motorbike repair; Sewing"}
    rows = rows_of(client.get(f"/beneficiaries/export.xlsx?kind=deidentified&program={programs['sewing']}"))
    assert sorted(programs_column(rows)) == ["BR-000001", "BR-000002"]
    [*_, event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.export").order_by(AuditEvent.id)
    assert json.loads(event.detail)["filters"] == {"program": programs["sewing"]}


def test_a_merged_records_programs_are_its_survivors(app, client, auth, programs, create_beneficiary,
                                                     create_cohort, enroll):
    summer = create_cohort(name="Summer", program=programs["spring"].program, capacity=1)
    other = create_beneficiary(given_name="Vuthy again")
    enroll(summer, other)  # the one seat
    enroll(summer, Beneficiary.get(Beneficiary.code == "BR-000003"))  # Vuthy waits for it
    with app.app_context():
        # Vuthy's record survives; the other's seat in Summer cannot move to him (he is on its list): it stays.
        merge_beneficiaries(Beneficiary.get(Beneficiary.code == "BR-000003"), Beneficiary.get_by_id(other.id),
                            User.get(User.username == "registrar"))
    auth.login_as("manager")
    rows = rows_of(client.get(f"/beneficiaries/export.xlsx?kind=deidentified&program={programs['sewing']}"))
    assert programs_column(rows) == {"BR-000001": "Motorbike repair; Sewing", "BR-000002": "Sewing",
                                     "BR-000003": "Sewing"}  # Vuthy, through the seat of the record merged into his


@pytest.mark.parametrize("args", ["program=999", "program=abc", "sex=nobody", "province=99"])
def test_an_export_with_a_filter_that_is_not_valid_is_refused_by_name(client, auth, programs, args):
    auth.login_as("officer", provinces={"02"})
    response = client.get(f"/beneficiaries/export.xlsx?kind=deidentified&{args}")
    assert response.status_code == 400 and response.mimetype == "text/html"
    label = {"program": "Program", "sex": "Sex", "province": "Province"}[args.split("=")[0]]
    assert f"Not a valid filter: {label}." in response.get_data(as_text=True)
    assert AuditEvent.select().where(AuditEvent.action == "beneficiary.export").count() == 0


def test_the_deidentified_export_reads_its_programs_in_the_same_statement(app, client, auth,
                                                                            create_beneficiary,
                                                                            create_cohort, enroll):
    auth.login_as("manager")
    cohort = create_cohort(capacity=100)

    def statements():
        with app.app_context(), counted() as calls:
            rows_of(client.get("/beneficiaries/export.xlsx?kind=deidentified"))
        return len(calls)

    for n in range(2):
        enroll(cohort, create_beneficiary(given_name=f"P{n}"))
    few = statements()
    for n in range(2, 12):
        enroll(cohort, create_beneficiary(given_name=f"P{n}"))
    assert statements() == few


def test_a_program_name_like_a_formula_comes_back_as_text(client, auth, create_program,
                                                          create_cohort, enroll, create_beneficiary):
    enroll(create_cohort(program=create_program(name="=1+1")), create_beneficiary())
    auth.login_as("manager")
    workbook = load_workbook(io.BytesIO(client.get("/beneficiaries/export.xlsx?kind=deidentified").data))
    cell = workbook.active.cell(row=2, column=6)
    assert (cell.value, cell.data_type) == ("=1+1", "s")
