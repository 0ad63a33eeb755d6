"""Indicator titles and definitions in Khmer: the migration, the admin form, and every place that shows them."""
import io
import json
import re
import unicodedata
from datetime import date

import pytest
from babel import Locale
from openpyxl import load_workbook
from peewee import BooleanField, CharField, IntegerField, Model, TextField

from registry.db import migration_runner, open_database
from registry.reports.models import Indicator, ReportSubmission, text_in
from tests.reports.test_admin import events, indicator, indicator_form

# The tests here change indicators, rows kept between tests: put them back after each.
pytestmark = pytest.mark.usefixtures("kept_rows")
KHMER_MIGRATION = "0015_indicator_khmer"
# Two of the seeded Khmer titles, spelled out here as a reader checks them.
CUSTOM_1_KM = "ចំនួនបុគ្គលដែលបានចុះឈ្មោះចូលរៀនថ្មីក្នុងការបណ្តុះបណ្តាលមុខរបរចិញ្ចឹមជីវិត"
CUSTOM_1_EN = "Number of individuals newly enrolled in livelihood training"
CUSTOM_2_EN = "Number of individuals who completed livelihood training"
GNDR_2_DEFINITION_KM = ("ភាគបែង៖ បុគ្គលដែលមានការចុះឈ្មោះចូលរៀន ដែលកាលបរិច្ឆេទចុះឈ្មោះចូលរៀនស្ថិតនៅក្នុងរយៈពេលនេះ។ "
                        "ភាគយក៖ ស្ត្រីក្នុងចំណោមពួកគេ។")


def _migration(runner, name):
    return next(m for m in runner.migrations() if m.name == name).load()


def _indicator_table(db):
    """The indicator table as it stands after 0015, bound to a database of its own.

    An insert writes only the columns it is given and those with a Python default: not title_km nor
    definition_km, as a writer from before 0015 would.
    """

    class Row(Model):
        code = CharField()
        title = CharField()
        definition = TextField()
        title_km = CharField()
        definition_km = TextField()
        computation = CharField(default="enrolled")
        disaggregations = CharField(default="")
        position = IntegerField(default=0)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "indicator"

    return Row


# --- the migration


def test_the_migration_adds_the_columns_and_fills_only_the_seeded_english(fresh_database_url):
    db = open_database(fresh_database_url)
    with db.connection_context():
        runner = migration_runner(db)
        runner.up([m for m in runner.migrations() if m.name < KHMER_MIGRATION][-1].name)
        assert "title_km" not in {c.name for c in db.get_columns("indicator")}
        # An admin retitled CUSTOM-1 and redefined EG.6-14 for their donor before the upgrade.
        db.execute_sql("UPDATE indicator SET title = 'Newly enrolled people' WHERE code = 'CUSTOM-1'")
        db.execute_sql("UPDATE indicator SET definition = 'Our own rule.' WHERE code = 'EG.6-14'")
        runner.up()
        columns = {c.name: c for c in db.get_columns("indicator")}
        assert not columns["title_km"].null and not columns["definition_km"].null
        rows = {r.code: r for r in _indicator_table(db).select()}
        assert (rows["CUSTOM-1"].title, rows["CUSTOM-1"].title_km) == ("Newly enrolled people", "")
        assert rows["CUSTOM-1"].definition_km.startswith("បុគ្គលដែលមានការចុះឈ្មោះចូលរៀន")  # its definition was kept
        assert (rows["EG.6-14"].definition, rows["EG.6-14"].definition_km) == ("Our own rule.", "")
        assert rows["EG.6-14"].title_km.startswith("ភាគរយនៃបុគ្គលដែលបានបញ្ចប់")
        assert rows["GNDR-2"].definition_km == GNDR_2_DEFINITION_KM
        # A writer that does not know the columns gets the default, on both databases.
        _indicator_table(db).insert(code="X-1", title="X", definition="").execute()
        added = _indicator_table(db).get(code="X-1")
        assert (added.title_km, added.definition_km) == ("", "")
    db.close()


def test_the_migration_knows_the_english_that_0007_seeded():
    runner = migration_runner(open_database("sqlite:///:memory:"))
    defaults = _migration(runner, "0007_indicators").DEFAULTS
    seeded = {code: (title, definition) for code, title, _computation, definition in defaults}
    khmer = _migration(runner, KHMER_MIGRATION).KHMER
    assert {code: texts[:2] for code, texts in khmer.items()} == seeded


def test_a_fresh_install_has_every_seeded_indicator_in_khmer(app_ctx):
    indicators = list(Indicator.select())
    assert len(indicators) == 10
    for i in indicators:
        assert i.title_km and i.definition_km, i.code
        assert len(i.title_km) <= 300 and unicodedata.normalize("NFC", i.title_km) == i.title_km
        assert unicodedata.normalize("NFC", i.definition_km) == i.definition_km
        assert not any("A" <= ch <= "z" for ch in i.title_km), i.code  # Khmer words, codes aside
    assert indicator("CUSTOM-1").title_km == CUSTOM_1_KM


# --- the model's helpers


@pytest.mark.parametrize("locale, title", [("km", "ខ្មែរ"), (Locale("km"), "ខ្មែរ"), ("en", "English"),
                                           (Locale("en"), "English"), (None, "English")])
def test_a_text_is_in_khmer_for_khmer_readers_only(locale, title):
    assert text_in("English", "ខ្មែរ", locale) == title
    assert Indicator(title="English", title_km="ខ្មែរ").title_for(locale) == title


def test_an_empty_khmer_text_falls_back_to_the_english():
    seeded = Indicator(title="T", definition="D", title_km="", definition_km="")
    assert (seeded.title_for("km"), seeded.definition_for("km")) == ("T", "D")
    assert Indicator(definition="D", definition_km="និយមន័យ").definition_for("km") == "និយមន័យ"


# --- the admin form


def test_an_admin_sets_the_khmer_title_and_definition_audited(client, auth):
    auth.login_as("admin")
    custom = indicator("CUSTOM-2")
    page = client.get(f"/indicators/{custom.id}").get_data(as_text=True)
    assert "Title in Khmer" in page and "Definition in Khmer" in page
    for tag, name in (("input", "title_km"), ("textarea", "definition_km")):  # a Khmer voice and spell-checker
        [html] = re.findall(rf'<{tag}[^>]*name="{name}"[^>]*>', page)
        assert 'lang="km"' in html
    response = client.post(f"/indicators/{custom.id}", data=indicator_form(
        code=custom.code, title=custom.title, definition=custom.definition, computation=custom.computation,
        disaggregations=custom.disaggregation_list(), position=str(custom.position),
        title_km="  អ្នកបញ្ចប់វគ្គ  ", definition_km=""))
    assert response.location == "/indicators/"
    saved = indicator("CUSTOM-2")
    assert (saved.title_km, saved.definition_km) == ("អ្នកបញ្ចប់វគ្គ", "")
    assert events("indicator.update") == [{"title_km": [custom.title_km, "អ្នកបញ្ចប់វគ្គ"],
                                           "definition_km": [custom.definition_km, ""]}]


def test_a_new_indicator_keeps_its_khmer_texts(client, auth):
    auth.login_as("admin")
    client.post("/indicators/new", data=indicator_form(title_km="សូចនាករសាកល្បង", definition_km="សម្រាប់តេស្ត។"))
    created = indicator("TEST-1")
    assert (created.title_km, created.definition_km) == ("សូចនាករសាកល្បង", "សម្រាប់តេស្ត។")
    [detail] = events("indicator.create")
    assert detail["title_km"] == [None, "សូចនាករសាកល្បង"] and detail["definition_km"] == [None, "សម្រាប់តេស្ត។"]


def test_a_khmer_text_the_admin_types_is_stored_nfc(client, auth):
    auth.login_as("admin")
    decomposed = unicodedata.normalize("NFD", "Café ខ្មែរ")
    client.post("/indicators/new", data=indicator_form(title_km=decomposed))
    assert indicator("TEST-1").title_km == unicodedata.normalize("NFC", decomposed)


@pytest.mark.parametrize("changes, message", [
    ({"title_km": "ក" * 301}, "Field cannot be longer than 300 characters."),
    ({"definition_km": "ក" * 4001}, "Field cannot be longer than 4000 characters."),
    ({"title_km": "ចំណង\x01ជើង"}, "Remove the control characters."),
    ({"definition_km": "និយម\x1bន័យ"}, "Remove the control characters."),
    ({"title": "Title\x07"}, "Remove the control characters."),
    ({"definition": "A\x0bB"}, "Remove the control characters."),
])
def test_a_bad_text_is_refused_with_a_message_and_nothing_written(client, auth, changes, message):
    auth.login_as("admin")
    response = client.post("/indicators/new", data=indicator_form(**changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert not Indicator.select().where(Indicator.code == "TEST-1").exists() and events("indicator.create") == []


def test_the_service_keeps_the_khmer_texts_a_caller_leaves_out(app_ctx):
    from registry.reports.admin_services import save_indicator

    custom = indicator("CUSTOM-1")
    values = {"code": custom.code, "title": "Renamed", "definition": custom.definition,
              "computation": custom.computation, "disaggregations": [], "baseline": None, "position": 1,
              "active": True}
    save_indicator(custom, values, None)
    assert (indicator("CUSTOM-1").title, indicator("CUSTOM-1").title_km) == ("Renamed", CUSTOM_1_KM)


# --- where titles are shown


def test_the_admin_list_and_page_follow_the_language(client, auth):
    custom = indicator("CUSTOM-1")
    auth.login_as("admin", language="km")
    assert CUSTOM_1_KM in client.get("/indicators/").get_data(as_text=True)
    page = client.get(f"/indicators/{custom.id}").get_data(as_text=True)
    assert f"<h1 class=\"h3\">CUSTOM-1 · {CUSTOM_1_KM}</h1>" in page
    assert f'value="{CUSTOM_1_EN}"' in page  # the form still holds both
    auth.logout()
    auth.login_as("admin")
    listed = client.get("/indicators/").get_data(as_text=True)
    assert CUSTOM_1_EN in listed and CUSTOM_1_KM not in listed


def test_a_khmer_user_reads_khmer_titles_and_definitions_on_the_report(client, auth, person, enrolled):
    enrolled(person(1, sex="female"), date(2025, 10, 5))
    Indicator.update(title_km="").where(Indicator.code == "CUSTOM-2").execute()  # no Khmer title yet
    auth.login_as("manager", language="km")
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    assert CUSTOM_1_KM in page and GNDR_2_DEFINITION_KM in page and CUSTOM_1_EN not in page
    assert CUSTOM_2_EN in page  # the fallback
    people = client.get("/reports/people?period=FY2026-Q1&indicator=CUSTOM-1").get_data(as_text=True)
    assert CUSTOM_1_KM in people


def test_an_english_user_reads_english_titles_on_the_report(client, auth):
    auth.login_as("manager")
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    assert CUSTOM_1_EN in page and CUSTOM_1_KM not in page and GNDR_2_DEFINITION_KM not in page
    assert CUSTOM_1_KM not in client.get("/reports/people?period=FY2026-Q1&indicator=CUSTOM-1").get_data(as_text=True)


def _workbook(client):
    response = client.get("/reports/export.xlsx?period=FY2026-Q1")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _titles(workbook):
    """CUSTOM-1's title on the summary, its own sheet, the tracking and definitions sheets; its definition."""
    summary, tracking, definitions = workbook.worksheets[0], workbook.worksheets[-3], workbook.worksheets[-2]

    def row_of(sheet):
        return next(row for row in sheet.iter_rows(values_only=True) if row[0] == "CUSTOM-1")

    return {"summary": row_of(summary)[1], "sheet": workbook["CUSTOM-1"]["A2"].value,
            "tracking": row_of(tracking)[1], "definitions": row_of(definitions)[1],
            "definition": workbook["CUSTOM-1"]["A3"].value}


def test_the_workbook_follows_the_users_language(client, auth):
    auth.login_as("manager", language="km")
    khmer = _titles(_workbook(client))
    definition_km = indicator("CUSTOM-1").definition_km
    assert khmer == {"summary": CUSTOM_1_KM, "sheet": CUSTOM_1_KM, "tracking": CUSTOM_1_KM,
                     "definitions": CUSTOM_1_KM, "definition": definition_km}
    auth.logout()
    auth.login_as("manager")
    english = _titles(_workbook(client))
    assert set(english.values()) == {CUSTOM_1_EN, indicator("CUSTOM-1").definition}


def test_a_khmer_workbook_falls_back_to_english_where_no_khmer_is_set(client, auth):
    Indicator.update(title_km="", definition_km="").where(Indicator.code == "CUSTOM-1").execute()
    auth.login_as("manager", language="km")
    assert _titles(_workbook(client))["summary"] == CUSTOM_1_EN


def test_a_locked_period_shows_the_titles_it_was_submitted_with(client, auth, person, enrolled):
    enrolled(person(1, sex="female"), date(2025, 10, 5))
    auth.login_as("manager", language="km")
    assert client.post("/reports/lock?period=FY2026-Q1").status_code == 302
    Indicator.update(title_km="ចំណងជើងថ្មី").where(Indicator.code == "CUSTOM-1").execute()  # renamed since
    enrolled(person(2, sex="male"), date(2025, 11, 5))
    assert CUSTOM_1_KM in client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    assert CUSTOM_1_KM in client.get("/reports/changes?period=FY2026-Q1").get_data(as_text=True)
    assert _titles(_workbook(client))["summary"] == CUSTOM_1_KM
    # A submission kept before indicators had Khmer titles shows the English it was submitted with.
    submission = ReportSubmission.get()
    document = json.loads(submission.document)
    for item in document["indicators"] + document["tracking"]["rows"]:
        item.pop("title_km", None)
        item.pop("definition_km", None)
    ReportSubmission.update(document=json.dumps(document)).execute()
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    assert CUSTOM_1_EN in page and CUSTOM_1_KM not in page
    assert CUSTOM_1_EN in client.get("/reports/changes?period=FY2026-Q1").get_data(as_text=True)
    assert _titles(_workbook(client))["summary"] == CUSTOM_1_EN


def test_the_json_report_keeps_english_and_adds_the_khmer_title(bearer, client, auth):
    user = auth.login_as("manager", language="km")
    data = client.get("/api/v1/reports/indicators?start=2025-10-01&end=2025-12-31", headers=bearer(user)).get_json()
    custom = next(i for i in data["indicators"] if i["code"] == "CUSTOM-1")
    assert (custom["title"], custom["title_km"]) == (CUSTOM_1_EN, CUSTOM_1_KM)
