"""Importing participants from a spreadsheet: check first, then import the good rows in one transaction."""
import io
import json
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary, ImportJob
from tests.beneficiaries.sheets import person, sheet


def upload(client, data, name="people.xlsx"):
    """Upload a sheet; return the job."""
    response = client.post("/beneficiaries/import/", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return ImportJob.get_by_id(int(response.location.rsplit("/", 1)[1]))


def test_the_template_has_headers_instructions_and_lists(officer_client):
    response = officer_client.get("/beneficiaries/import/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Participants", "Instructions", "Lists"]
    headers = [c.value for c in workbook["Participants"][1]]
    assert "Sex / ភេទ" in headers and "Province / ខេត្ត" in headers and headers[0] == "Code / លេខកូដ"
    assert workbook["Lists"].sheet_state == "hidden"
    assert workbook["Participants"].max_row == 1  # no example row that could be imported by mistake
    assert len(workbook["Participants"].data_validations.dataValidation) >= 5


def test_a_khmer_template_has_bilingual_headers_that_import_back(officer_client):
    officer_client.post("/language", data={"language": "km"})
    workbook = load_workbook(io.BytesIO(officer_client.get("/beneficiaries/import/template.xlsx").data))
    headers = [c.value for c in workbook.worksheets[0][1]]
    assert "Sex / ភេទ" in headers
    row = {h: None for h in headers}
    row.update({headers[1]: "Sok", headers[2]: "Dara", "Sex / ភេទ": "male", headers[9]: "02 Battambang",
                headers[15]: "at_risk", headers[6]: "1990-01-01"})
    job = upload(officer_client, sheet(row, headers=headers))
    assert json.loads(job.report)["new"] == 1, job.report


def test_check_reports_each_bad_cell_and_writes_nothing(officer_client):
    rows = [person(), person(**{"Family name": "Chea", "Given name": "Dara", "Sex": "woman"}),
            person(**{"Given name": "Vuthy", "Date of birth": "31/02/2001"}),
            person(**{"Given name": "Lim", "Province": "17"}),
            person(**{"Family name": None, "Given name": None}),
            person(**{"Given name": "Sophal", "Phone": "12"})]
    job = upload(officer_client, sheet(*rows))
    report = json.loads(job.report)
    assert job.status == "checked" and report["rows"] == 6 and report["new"] == 1
    assert {(e["row"], e["column"]) for e in report["errors"]} == {
        (3, "Sex / ភេទ"), (4, "Date of birth / ថ្ងៃខែឆ្នាំកំណើត"), (5, "Province / ខេត្ត"),
        (6, "Given name / នាមខ្លួន"), (7, "Phone / ទូរស័ព្ទ")}
    assert "Use one of: Female, Male, Other / prefer not to say." in [e["message"] for e in report["errors"]
                                                                      if e["row"] == 3]
    assert Beneficiary.select().count() == 0
    page = officer_client.get(f"/beneficiaries/import/{job.id}").get_data(as_text=True)
    assert "Not a date" in page and "outside your provinces" in page


def test_confirm_imports_only_the_good_rows_in_one_go(officer_client):
    job = upload(officer_client, sheet(person(), person(**{"Given name": "Dara", "Sex": "?"}),
                                       person(**{"Family name": "Chea", "Given name": "Vuthy",
                                                 "Date of birth": datetime(1999, 5, 4), "Phone": 12345678})))
    response = officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    assert response.status_code == 302
    job = ImportJob.get_by_id(job.id)
    assert (job.status, job.imported_rows) == ("done", 2)
    people = {b.given_name: b for b in Beneficiary.select()}
    assert set(people) == {"Chanthy", "Vuthy"}
    assert people["Chanthy"].date_of_birth == date(2001, 3, 15)
    assert people["Vuthy"].date_of_birth == date(1999, 5, 4) and people["Vuthy"].phone == "+85512345678"
    assert [b.code for b in Beneficiary.select().order_by(Beneficiary.code)] == ["BR-000001", "BR-000002"]
    created = AuditEvent.select().where(AuditEvent.action == "beneficiary.create").count()
    assert created == 2 and AuditEvent.select().where(AuditEvent.action == "beneficiary.import").count() == 1


def test_a_job_is_imported_once_only(officer_client):
    job = upload(officer_client, sheet(person()))
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    response = officer_client.post(f"/beneficiaries/import/{job.id}/confirm", follow_redirects=True)
    assert b"not waiting for confirmation" in response.data
    assert Beneficiary.select().count() == 1


def test_duplicates_in_the_file_and_in_the_registry(officer_client, create_beneficiary):
    create_beneficiary(given_name="Dara", family_name="Chea", date_of_birth=date(1990, 1, 1), province="02")
    job = upload(officer_client, sheet(person(), person(**{"Given name": "Chanthi", "Family name": "Sokh"}),
                                       person(**{"Family name": "Chea", "Given name": "Dara",
                                                 "Date of birth": "1990-01-01"})))
    report = json.loads(job.report)
    assert [d["row"] for d in report["duplicates"]] == [3, 4]
    assert report["duplicates"][0]["matches"][0]["ref"] == "row 2"
    assert report["duplicates"][1]["matches"][0]["ref"] == "BR-000001"
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    assert Beneficiary.select().count() == 2  # the rows with duplicates were left out
    job = upload(officer_client, sheet(person(**{"Given name": "Chanthi", "Family name": "Sokh"})))
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm", data={"include_duplicates": "y"})
    assert Beneficiary.select().count() == 3


def test_an_import_registers_as_the_form_does_with_its_events_and_accepted_duplicates(officer_client,
                                                                                     create_beneficiary):
    create_beneficiary(given_name="Dara", family_name="Chea", date_of_birth=date(1990, 1, 1), province="02")
    job = upload(officer_client, sheet(person(), person(**{"Family name": "Chea", "Given name": "Dara",
                                                           "Date of birth": "1990-01-01"})))
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm", data={"include_duplicates": "y"})
    dara = Beneficiary.get((Beneficiary.given_name == "Dara") & (Beneficiary.code != "BR-000001"))
    assert dara.consent_recorded_by.username == "importer"
    events = {(e.action, e.object_id): e for e in AuditEvent.select().where(AuditEvent.action.startswith("beneficiary."))}
    created = events["beneficiary.create", str(dara.id)]
    assert json.loads(created.detail) == {"code": dara.code, "import_job": job.id, "row": 3}
    assert created.user_agent  # the import ran inline, in the confirming request
    override = events["beneficiary.duplicate_override", str(dara.id)]
    assert list(json.loads(override.detail)["matches"]) == ["BR-000001"]


def test_a_row_with_a_code_corrects_that_person_and_blanks_wipe_nothing(officer_client, create_beneficiary):
    create_beneficiary(village="Kouk Khmum", province="02")
    job = upload(officer_client, sheet({"Code": "br-000001", "Sex": "female", "Province": "02",
                                        "Category": "at_risk", "Phone": "012 345 678"}))
    assert json.loads(job.report)["updates"] == 1, job.report
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    stored = Beneficiary.get(Beneficiary.code == "BR-000001")
    assert stored.phone == "+85512345678" and stored.village == "Kouk Khmum" and stored.given_name == "Chanthy"
    assert Beneficiary.select().count() == 1


def test_an_unknown_code_is_reported(officer_client):
    job = upload(officer_client, sheet(person(Code="BR-999999")))
    assert json.loads(job.report)["errors"][0]["column"] == "Code / លេខកូដ"


@pytest.mark.parametrize("data, message", [
    (b"this is not a spreadsheet", "not an Excel workbook"),
    (sheet(person(), headers=["Family name", "Given name"]), "required columns are missing: Sex, Province, Category"),
    (sheet(), "no data rows"),
])
def test_unreadable_files_are_refused_with_a_clear_message(officer_client, data, message):
    job = upload(officer_client, data)
    assert job.status == "failed" and message in job.message
    page = officer_client.get(f"/beneficiaries/import/{job.id}").get_data(as_text=True)
    assert message in page
    assert Beneficiary.select().count() == 0


def test_a_file_over_the_size_limit_is_refused(officer_client, monkeypatch):
    from registry.beneficiaries import importing

    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 1000)
    response = officer_client.post("/beneficiaries/import/", data={"file": (io.BytesIO(b"x" * 2000), "big.xlsx")},
                                   content_type="multipart/form-data", follow_redirects=True)
    assert b"larger than" in response.data and ImportJob.select().count() == 0


def test_the_state_is_read_from_the_database(officer_client):
    job = upload(officer_client, sheet(person(), person(**{"Given name": "Dara"})))
    state = officer_client.get(f"/beneficiaries/import/{job.id}/state").get_json()
    assert state == {"status": "checked", "processed": 2, "total": 2, "percent": 100}


def test_a_stale_job_shows_as_interrupted_and_can_be_taken_up(officer_client):
    job = upload(officer_client, sheet(person()))
    ImportJob.update(status="importing", heartbeat_at=datetime(2020, 1, 1)).where(ImportJob.id == job.id).execute()
    assert officer_client.get(f"/beneficiaries/import/{job.id}/state").get_json()["status"] == "interrupted"
    assert "Interrupted" in officer_client.get("/beneficiaries/import/").get_data(as_text=True)  # the list too
    officer_client.post(f"/beneficiaries/import/{job.id}/retry")
    assert ImportJob.get_by_id(job.id).status == "checked" and Beneficiary.select().count() == 0


def test_taking_up_a_job_that_finished_meanwhile_changes_nothing(officer_client):
    from registry.beneficiaries import importing

    job = upload(officer_client, sheet(person()))
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    done = ImportJob.get_by_id(job.id)
    assert done.status == "done"
    importing.resume(done)  # a retry that waited for the import's transaction, then found it committed
    assert ImportJob.get_by_id(job.id).status == "done" and Beneficiary.select().count() == 1


def test_other_officers_cannot_see_a_job(officer_client, client, auth):
    job = upload(officer_client, sheet(person()))
    auth.login_as("officer")
    assert client.get(f"/beneficiaries/import/{job.id}").status_code == 404


def test_a_failure_during_import_writes_nothing(officer_client, monkeypatch):
    from registry.beneficiaries import importing

    job = upload(officer_client, sheet(person(), person(**{"Given name": "Dara"})))

    def broken(registrations, user):
        Beneficiary.insert(code="BR-X", sex="female", category="at_risk").execute()
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "register_checked", broken)
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    assert ImportJob.get_by_id(job.id).status == "failed"
    assert Beneficiary.select().count() == 0


def choices_of(workbook, header):
    """The values of a header's drop-down, read from the template's hidden lists sheet."""
    data, lists = workbook.worksheets[0], workbook.worksheets[2]
    column = [c.value for c in data[1]].index(header) + 1
    letter = data.cell(row=1, column=column).column_letter
    source = next(v.formula1 for v in data.data_validations.dataValidation if f"{letter}2" in v.sqref)
    list_letter = source.split("!$")[1].split("$")[0]
    return [c.value for c in lists[list_letter] if c.value]


def test_a_template_downloaded_in_khmer_and_filled_with_its_labels_imports(officer_client):
    workbook = load_workbook(io.BytesIO(officer_client.get("/beneficiaries/import/template.xlsx?language=km").data))
    headers = [c.value for c in workbook.worksheets[0][1]]
    column = {h.split(" / ")[0]: h for h in headers}  # the English half of each bilingual header
    sex, category, province, consent = (choices_of(workbook, column[h]) for h in ("Sex", "Category", "Province",
                                                                                   "Consent to data use"))
    assert sex[0] == "ស្រី" and "ជនចំណាកស្រុកវិលត្រឡប់" in category and "02 បាត់ដំបង" in province
    khmer_row = {column["Family name (Khmer)"]: "សុខ", column["Sex"]: "ស្រី", column["Province"]: "02 បាត់ដំបង",
                 column["Category"]: "ជនចំណាកស្រុកវិលត្រឡប់", column["Date of birth"]: "2001-03-15",
                 column["Consent to data use"]: consent[0], column["Consent date"]: "2026-03-01"}
    coded_row = {**khmer_row, column["Family name (Khmer)"]: "ចាន់", column["Sex"]: "male",
                 column["Category"]: "returned_migrant", column["Province"]: "02",
                 column["Date of birth"]: "1990-05-01"}
    job = upload(officer_client, sheet(khmer_row, coded_row, headers=headers))
    assert json.loads(job.report)["new"] == 2, job.report
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    people = {b.family_name_km: b for b in Beneficiary.select()}
    assert (people["សុខ"].sex, people["សុខ"].category, people["សុខ"].consent_data_use) == (
        "female", "returned_migrant", True)
    assert (people["ចាន់"].sex, people["ចាន់"].category) == ("male", "returned_migrant")


def test_the_template_comes_in_the_users_language_unless_another_is_asked(officer_client):
    officer_client.post("/language", data={"language": "km"})
    response = officer_client.get("/beneficiaries/import/template.xlsx")
    assert "template-km.xlsx" in response.headers["Content-Disposition"]
    assert choices_of(load_workbook(io.BytesIO(response.data)), "Sex / ភេទ")[0] == "ស្រី"
    english = load_workbook(io.BytesIO(officer_client.get("/beneficiaries/import/template.xlsx?language=en").data))
    assert choices_of(english, "Sex / ភេទ") == ["Female", "Male", "Other / prefer not to say"]
    page = officer_client.get("/beneficiaries/import/").get_data(as_text=True)
    assert page.index("template.xlsx?language=km") < page.index("template.xlsx?language=en")  # the user's first


def test_a_wrong_label_is_reported_in_khmer_with_its_row_column_and_allowed_values(officer_client):
    officer_client.post("/language", data={"language": "km"})
    job = upload(officer_client, sheet(person(), person(**{"Given name": "Dara", "Category": "migrant"})))
    errors = json.loads(job.report)["errors"]
    assert errors == [{"row": 3, "column": "Category / ប្រភេទ",
                       "message": "សូមប្រើមួយក្នុងចំណោម៖ ជនចំណាកស្រុកវិលត្រឡប់, "
                                  "ប្រឈមនឹងការធ្វើចំណាកស្រុកដោយគ្មានសុវត្ថិភាព។"}]


def confirm_button(page):
    """The confirm form's submit button tag."""
    return re.search(r'<button[^>]*id="confirm-button"[^>]*>', page).group(0)


def test_with_no_row_ready_the_button_is_disabled_and_says_why(officer_client):
    job = upload(officer_client, sheet(person(Sex="?"), person(Province="17")))
    page = officer_client.get(f"/beneficiaries/import/{job.id}").get_data(as_text=True)
    assert "disabled" in confirm_button(page) and 'aria-describedby="confirm-reason"' in confirm_button(page)
    assert "No row is ready to import" in page and "Upload a corrected file" in page
    response = officer_client.post(f"/beneficiaries/import/{job.id}/confirm", follow_redirects=True)
    assert "No row is ready to import" in response.get_data(as_text=True)
    assert ImportJob.get_by_id(job.id).status == "checked" and Beneficiary.select().count() == 0


def test_a_ready_row_leaves_the_button_enabled(officer_client):
    job = upload(officer_client, sheet(person(), person(Sex="?")))
    page = officer_client.get(f"/beneficiaries/import/{job.id}").get_data(as_text=True)
    assert "disabled" not in confirm_button(page) and "confirm-reason" not in page


def test_with_only_look_alike_rows_the_button_waits_for_the_box(officer_client, create_beneficiary):
    create_beneficiary(given_name="Chanthy", family_name="Sok", province="02")
    job = upload(officer_client, sheet(person()))
    page = officer_client.get(f"/beneficiaries/import/{job.id}").get_data(as_text=True)
    assert 'data-enables="confirm-button"' in page and "import-buttons.js" in page
    assert "tick the box above" in page
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    assert Beneficiary.select().count() == 1 and ImportJob.get_by_id(job.id).status == "checked"
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm", data={"include_duplicates": "y"})
    assert Beneficiary.select().count() == 2


def test_the_result_lists_the_new_codes_with_links_to_their_profiles(officer_client, monkeypatch):
    from registry.beneficiaries import import_results

    monkeypatch.setattr(import_results, "PER_PAGE", 2)
    job = upload(officer_client, sheet(*(person(**{"Given name": name, "Date of birth": f"1990-0{n}-01"})
                                         for n, name in enumerate(["Dara", "Sokha", "Vuthy"], start=1))))
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    first = officer_client.get(f"/beneficiaries/import/{job.id}").get_data(as_text=True)
    assert '<a href="/beneficiaries/BR-000001">BR-000001</a> Sok Dara' in first
    assert "/beneficiaries/BR-000002" in first and "/beneficiaries/BR-000003" not in first
    assert "3 new participants" in first and f"/beneficiaries/import/{job.id}?page=2" in first
    second = officer_client.get(f"/beneficiaries/import/{job.id}?page=2").get_data(as_text=True)
    assert '<a href="/beneficiaries/BR-000003">BR-000003</a> Sok Vuthy' in second
    assert officer_client.get(f"/beneficiaries/import/{job.id}?page=99").status_code == 200  # the last page


def test_a_correction_links_the_corrected_person(officer_client, create_beneficiary):
    create_beneficiary(province="02")
    job = upload(officer_client, sheet({"Code": "BR-000001", "Sex": "female", "Province": "02",
                                        "Category": "at_risk", "Phone": "012 345 678"}))
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    page = officer_client.get(f"/beneficiaries/import/{job.id}").get_data(as_text=True)
    assert "1 participant corrected" in page and '<a href="/beneficiaries/BR-000001">BR-000001</a>' in page


def test_look_alikes_show_names_only_within_the_users_provinces(officer_client, create_beneficiary):
    create_beneficiary(given_name="Dara", family_name="Chea", date_of_birth=date(1990, 1, 1), province="02")
    create_beneficiary(given_name="Vuthy", family_name="Lim", date_of_birth=date(1985, 6, 1), province="17")
    job = upload(officer_client, sheet(person(**{"Family name": "Chea", "Given name": "Dara",
                                                 "Date of birth": "1990-01-01"}),
                                       person(**{"Family name": "Lim", "Given name": "Vuthy",
                                                 "Date of birth": "1985-06-01"})))
    page = officer_client.get(f"/beneficiaries/import/{job.id}").get_data(as_text=True)
    assert '<a href="/beneficiaries/BR-000001">BR-000001</a> Chea Dara' in page
    assert "BR-000002" in page and "Lim Vuthy" not in page and "/beneficiaries/BR-000002" not in page
    assert "outside your provinces show by their code only" in page
    shown = AuditEvent.get(AuditEvent.action == "beneficiary.list")
    assert json.loads(shown.detail) == {"via": "import_result", "import_job": job.id, "shown": ["BR-000001"]}
