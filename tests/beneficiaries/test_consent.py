"""Consent given and withdrawn: the services, the consent page, the profile, named lists, exports and counts."""
import io
import json
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from peewee import SqliteDatabase

from registry.audit.display import detail_lines
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries import merging
from registry.beneficiaries.consent import ConsentError, record_consent, withdraw_consent
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.services import update_beneficiary
from registry.db import migration_runner, open_database
from registry.programs import enrollment as enrolling
from registry.reports.indicators import indicator_report
from registry.reports.periods import Period

TODAY = date.today()
REGISTERED = date(2026, 3, 1)  # the makers' registration and consent day
REASON = "Moved to Thailand; asked not to be contacted again."


def fresh(person):
    """The participant as stored now."""
    return Beneficiary.get_by_id(person.id)


def consent_events(person=None):
    """[(action, detail)] of the consent events, oldest first."""
    query = AuditEvent.select().where(AuditEvent.action.in_(("beneficiary.consent_given",
                                                              "beneficiary.consent_withdrawn")))
    if person is not None:
        query = query.where(AuditEvent.object_id == str(person.id))
    return [(e.action, json.loads(e.detail)) for e in query.order_by(AuditEvent.id)]


def state(person):
    """The consent fields of the stored record, for comparing before and after a refused change."""
    b = fresh(person)
    return (b.consent_data_use, b.consent_follow_up, b.consent_photos, b.consent_on, b.consent_recorded_by_id,
            b.consent_withdrawn_on, b.consent_withdrawal_reason)


@pytest.fixture
def recorder(app_ctx, create_user):
    """An officer of province 02, signed in nowhere: for calling the services directly."""
    return User.get_by_id(create_user("officer", provinces={"02"}, full_name="Dara Kim").id)


# -- the services ------------------------------------------------------------------------------------

def test_recording_consent_sets_the_scopes_the_day_and_who_with_an_audited_before_and_after(
        app_ctx, create_beneficiary, recorder):
    person = create_beneficiary(consent_data_use=False, consent_follow_up=False, consent_on=None)
    record_consent(person, {"data_use", "follow_up"}, TODAY, recorder)
    stored = fresh(person)
    assert (stored.consent_data_use, stored.consent_follow_up, stored.consent_photos) == (True, True, False)
    assert stored.consent_on == TODAY and stored.consent_recorded_by_id == recorder.id
    assert consent_events() == [("beneficiary.consent_given", {
        "consent_data_use": [False, True], "consent_follow_up": [False, True],
        "consent_on": [None, TODAY.isoformat()]})]
    [event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.consent_given")
    assert event.user_id == recorder.id and event.object_type == "beneficiary"


def test_recording_the_same_consent_again_changes_nothing_and_writes_no_event(app_ctx, create_beneficiary, recorder):
    person = create_beneficiary(consent_photos=False)
    record_consent(person, {"data_use", "photos"}, TODAY, recorder)
    record_consent(fresh(person), {"data_use", "photos"}, TODAY, recorder)  # a retried request
    assert len(consent_events()) == 1


def test_a_scope_left_out_is_recorded_as_not_given(app_ctx, create_beneficiary, recorder):
    person = create_beneficiary(consent_data_use=True, consent_follow_up=True)
    record_consent(person, {"data_use"}, TODAY, recorder)
    assert fresh(person).consent_follow_up is False
    assert consent_events()[0][1]["consent_follow_up"] == [True, False]


def test_withdrawing_clears_every_scope_keeps_the_day_consent_was_given_and_audits_the_reason(
        app_ctx, create_beneficiary, recorder):
    person = create_beneficiary(consent_photos=True, registered_on=REGISTERED, consent_on=REGISTERED)
    withdraw_consent(person, TODAY, recorder, f"  {REASON}  ")
    stored = fresh(person)
    assert (stored.consent_data_use, stored.consent_follow_up, stored.consent_photos) == (False, False, False)
    assert stored.consent_on == REGISTERED and stored.consent_withdrawn_on == TODAY
    assert stored.consent_withdrawal_reason == REASON
    assert stored.consent_recorded_by.username == "registrar"  # who recorded the consent; the event says who withdrew
    [(action, detail)] = consent_events()
    assert action == "beneficiary.consent_withdrawn"
    assert detail == {"consent_data_use": [True, False], "consent_follow_up": [True, False],
                      "consent_photos": [True, False], "consent_withdrawn_on": [None, TODAY.isoformat()],
                      "consent_withdrawal_reason": ["", REASON]}
    [event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.consent_withdrawn")
    assert event.user_id == recorder.id
    assert all(line.is_change for line in detail_lines(event.action, event.detail))  # the audit page shows old → new


def test_consent_given_again_ends_the_withdrawal(app_ctx, create_beneficiary, recorder):
    person = create_beneficiary()
    withdraw_consent(person, TODAY - timedelta(days=5), recorder, REASON)
    record_consent(fresh(person), {"follow_up"}, TODAY, recorder)
    stored = fresh(person)
    assert stored.consent_withdrawn_on is None and stored.consent_withdrawal_reason == ""
    assert (stored.consent_data_use, stored.consent_follow_up, stored.consent_on) == (False, True, TODAY)
    assert consent_events()[-1][1]["consent_withdrawn_on"] == [(TODAY - timedelta(days=5)).isoformat(), None]


@pytest.mark.parametrize("scopes, on, field", [
    (set(), TODAY, "scopes"),
    ({"data_use"}, None, "on"),
    ({"data_use"}, TODAY + timedelta(days=1), "on"),
    ({"data_use"}, REGISTERED - timedelta(days=1), "on"),
])
def test_recording_consent_refuses_what_makes_no_sense_and_writes_nothing(
        app_ctx, create_beneficiary, recorder, scopes, on, field):
    person = create_beneficiary(consent_data_use=False, consent_follow_up=False, registered_on=REGISTERED)
    before = state(person)
    with pytest.raises(ConsentError) as refused:
        record_consent(person, scopes, on, recorder)
    assert refused.value.field == field
    assert state(person) == before and consent_events() == []


def test_consent_given_again_cannot_be_dated_before_the_withdrawal(app_ctx, create_beneficiary, recorder):
    person = create_beneficiary()
    withdraw_consent(person, TODAY, recorder, REASON)
    with pytest.raises(ConsentError, match="before it was withdrawn") as refused:
        record_consent(fresh(person), {"data_use"}, TODAY - timedelta(days=1), recorder)
    assert refused.value.field == "on" and fresh(person).consent_withdrawn_on == TODAY


@pytest.mark.parametrize("on, reason, field, message", [
    (TODAY, "   ", "reason", "Say why"),
    (TODAY, "x" * 501, "reason", "At most 500"),
    (None, REASON, "on", "Give the date"),
    (TODAY + timedelta(days=1), REASON, "on", "future"),
    (REGISTERED - timedelta(days=1), REASON, "on", "registration"),
    (REGISTERED + timedelta(days=1), REASON, "on", "before it was given"),
])
def test_withdrawing_refuses_what_makes_no_sense_and_writes_nothing(
        app_ctx, create_beneficiary, recorder, on, reason, field, message):
    person = create_beneficiary(registered_on=REGISTERED, consent_on=REGISTERED + timedelta(days=2))
    before = state(person)
    with pytest.raises(ConsentError, match=message) as refused:
        withdraw_consent(person, on, recorder, reason)
    assert refused.value.field == field
    assert state(person) == before and consent_events() == []


def test_withdrawing_twice_or_with_nothing_consented_is_refused(app_ctx, create_beneficiary, recorder):
    person = create_beneficiary()
    withdraw_consent(person, TODAY, recorder, REASON)
    with pytest.raises(ConsentError, match="already withdrawn") as twice:
        withdraw_consent(fresh(person), TODAY, recorder, "again")
    never = create_beneficiary(given_name="Dara", consent_data_use=False, consent_follow_up=False, consent_on=None)
    with pytest.raises(ConsentError, match="no consent to withdraw") as nothing:
        withdraw_consent(never, TODAY, recorder, REASON)
    assert twice.value.field is None and nothing.value.field is None
    assert len(consent_events()) == 1 and fresh(never).consent_withdrawn_on is None


def test_a_merged_record_takes_no_consent_change(app_ctx, create_beneficiary, recorder):
    survivor, duplicate = create_beneficiary(), create_beneficiary(given_name="Chanty")
    merging.merge_beneficiaries(survivor, duplicate, recorder)
    with pytest.raises(ConsentError, match="merged"):
        withdraw_consent(fresh(duplicate), TODAY, recorder, REASON)
    with pytest.raises(ConsentError, match="merged"):
        record_consent(fresh(duplicate), {"data_use"}, TODAY, recorder)
    assert consent_events() == []


def test_an_edit_corrects_consent_with_an_audited_before_and_after(app_ctx, create_beneficiary, recorder):
    person = create_beneficiary(consent_follow_up=True, consent_photos=False)
    update_beneficiary(person, {"consent_follow_up": False, "consent_photos": True}, recorder)
    stored = fresh(person)
    assert (stored.consent_follow_up, stored.consent_photos,
            stored.consent_recorded_by_id) == (False, True, recorder.id)
    [event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.update")
    assert json.loads(event.detail) == {"consent_follow_up": [True, False], "consent_photos": [False, True]}


@pytest.mark.parametrize("keep_blank", [False, True], ids=["edit or PATCH", "re-imported sheet"])
def test_an_edit_or_an_import_never_gives_withdrawn_consent_back(app_ctx, create_beneficiary, recorder, keep_blank):
    person = create_beneficiary()
    withdraw_consent(person, TODAY, recorder, REASON)
    update_beneficiary(fresh(person), {"village": "Ou Char", "consent_data_use": True, "consent_follow_up": True,
                                       "consent_on": REGISTERED}, recorder, keep_blank=keep_blank)
    stored = fresh(person)
    assert stored.village == "Ou Char"  # the rest of the edit is saved
    assert (stored.consent_data_use, stored.consent_follow_up, stored.consent_withdrawn_on) == (False, False, TODAY)
    [event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.update")
    assert json.loads(event.detail) == {"village": ["", "Ou Char"]}


# -- the consent page and the profile ------------------------------------------------------------------

def test_the_consent_page_shows_the_consent_and_records_it_given(client, auth, create_beneficiary):
    person = create_beneficiary(consent_data_use=False, consent_follow_up=False, consent_on=None)
    officer = auth.login_as("officer", provinces={"02"}, full_name="Dara Kim")
    page = client.get(f"/beneficiaries/{person.code}/consent").get_data(as_text=True)
    assert "Record consent given" in page and f'value="{TODAY.isoformat()}"' in page  # the date defaults to today
    assert "There is no consent to withdraw" in page and 'name="withdraw"' not in page
    response = client.post(f"/beneficiaries/{person.code}/consent",
                           data={"consent_data_use": "y", "consent_follow_up": "y", "consent_on": TODAY.isoformat(),
                                 "give": "Record consent given"})
    assert response.location == f"/beneficiaries/{person.code}"
    stored = fresh(person)
    assert (stored.consent_data_use, stored.consent_follow_up, stored.consent_photos) == (True, True, False)
    assert stored.consent_recorded_by_id == officer.id
    page = client.get(f"/beneficiaries/{person.code}/consent").get_data(as_text=True)
    assert "Dara Kim" in page and "Consent recorded" in page  # the recorder, and the change in the history
    assert 'name="withdraw"' in page


def test_the_consent_page_withdraws_with_a_reason(client, auth, create_beneficiary):
    person = create_beneficiary()
    auth.login_as("officer", provinces={"02"})
    url = f"/beneficiaries/{person.code}/consent"
    refused = client.post(url, data={"withdrawn_on": TODAY.isoformat(), "reason": " ", "withdraw": "Withdraw"})
    assert refused.status_code == 200 and "Say why consent is withdrawn." in refused.get_data(as_text=True)
    early = client.post(url, data={"withdrawn_on": "2026-02-01", "reason": REASON, "withdraw": "Withdraw"})
    assert "before the person&#39;s registration" in early.get_data(as_text=True)
    assert fresh(person).consent_withdrawn_on is None and consent_events() == []
    done = client.post(url, data={"withdrawn_on": TODAY.isoformat(), "reason": REASON, "withdraw": "Withdraw"})
    assert done.location == f"/beneficiaries/{person.code}"
    assert fresh(person).consent_withdrawn_on == TODAY
    page = client.get(url).get_data(as_text=True)
    assert REASON in page and "Consent is withdrawn." in page and "Consent withdrawn" in page
    again = client.post(url, data={"withdrawn_on": TODAY.isoformat(), "reason": REASON, "withdraw": "Withdraw"})
    assert "already withdrawn" in again.get_data(as_text=True) and len(consent_events()) == 1


def test_an_empty_post_records_nothing(client, auth, create_beneficiary):
    person = create_beneficiary()
    auth.login_as("admin")
    response = client.post(f"/beneficiaries/{person.code}/consent", data={})
    assert response.status_code == 200 and "invalid-feedback" in response.get_data(as_text=True)
    assert consent_events() == []


@pytest.mark.parametrize("role, status", [("trainer", 403), ("manager", 403), ("outsider", 404)])
def test_the_consent_page_is_for_officers_and_admins_of_the_province(client, auth, create_beneficiary, role, status):
    person = create_beneficiary()
    auth.login_as("officer" if role == "outsider" else role, provinces={"17"} if role == "outsider" else None)
    url = f"/beneficiaries/{person.code}/consent"
    assert client.get(url).status_code == status
    form = {"withdrawn_on": TODAY.isoformat(), "reason": REASON, "withdraw": "Withdraw"}
    assert client.post(url, data=form).status_code == status
    assert fresh(person).consent_withdrawn_on is None


def test_a_merged_records_consent_page_leads_to_the_survivors(app, client, auth, create_beneficiary, registrar):
    survivor, duplicate = create_beneficiary(), create_beneficiary(given_name="Chanty")
    with app.app_context():
        merging.merge_beneficiaries(survivor, duplicate, User.get_by_id(registrar.id))
    auth.login_as("officer")
    response = client.get(f"/beneficiaries/{duplicate.code}/consent")
    assert response.status_code == 302 and response.location == f"/beneficiaries/{survivor.code}/consent"


def test_the_profile_shows_the_consent_in_a_line_and_a_refusal_of_contact_plainly(client, auth, create_beneficiary):
    willing = create_beneficiary(consent_photos=False)
    unreachable = create_beneficiary(given_name="Dara", consent_follow_up=False)
    auth.login_as("officer")
    page = client.get(f"/beneficiaries/{willing.code}").get_data(as_text=True)
    assert f'href="/beneficiaries/{willing.code}/consent"' in page
    assert "No consent to follow-up contact" not in page
    page = client.get(f"/beneficiaries/{unreachable.code}").get_data(as_text=True)
    assert re.search(r'class="alert alert-warning"><strong>No consent to follow-up contact.</strong>', page)


def test_the_profile_says_when_consent_was_withdrawn_and_its_history_shows_why(client, auth, create_beneficiary):
    person = create_beneficiary()
    auth.login_as("officer")
    client.post(f"/beneficiaries/{person.code}/consent",
                data={"withdrawn_on": TODAY.isoformat(), "reason": REASON, "withdraw": "Withdraw"})
    page = client.get(f"/beneficiaries/{person.code}").get_data(as_text=True)
    assert "Consent withdrawn on" in page and "Do not contact this person for a follow-up" in page
    assert "Consent withdrawn</td>" in page and REASON in page  # the history of changes, with the reason


def test_the_edit_page_of_a_withdrawn_record_points_to_the_consent_page(client, auth, create_beneficiary):
    person = create_beneficiary()
    auth.login_as("officer")
    edit = f"/beneficiaries/{person.code}/edit"
    assert 'name="consent_data_use"' in client.get(edit).get_data(as_text=True)  # correctable until withdrawn
    client.post(f"/beneficiaries/{person.code}/consent",
                data={"withdrawn_on": TODAY.isoformat(), "reason": REASON, "withdraw": "Withdraw"})
    page = client.get(edit).get_data(as_text=True)
    assert 'name="consent_data_use"' not in page and f'href="/beneficiaries/{person.code}/consent"' in page
    form = {"family_name": "Sok", "given_name": "Chanthy", "sex": "female", "province": "02", "category": "at_risk",
            "village": "Ou Char", "consent_data_use": "y", "consent_on": "2026-03-01"}  # a crafted post
    assert client.post(edit, data=form).status_code == 302
    stored = fresh(person)
    assert stored.village == "Ou Char" and stored.consent_data_use is False and stored.consent_withdrawn_on == TODAY


# -- named lists, exports and counts --------------------------------------------------------------------

@pytest.fixture
def cohort_of_three(app, create_beneficiary, create_cohort, registrar):
    """Three people enrolled on 2025-10-06 (FY2026 Q1): Chanthy, Dara (no consent to data use) and Vuthy."""
    people = [create_beneficiary(given_name="Chanthy"),
              create_beneficiary(given_name="Dara", consent_data_use=False),
              create_beneficiary(given_name="Vuthy")]
    cohort = create_cohort(start_on=date(2025, 10, 6), end_on=date(2025, 12, 19))
    with app.app_context():
        user = User.get_by_id(registrar.id)
        for person in people:
            enrolling.enroll(cohort, person, date(2025, 10, 6), user)
    return people


def test_the_people_behind_a_figure_are_named_only_with_consent_to_data_use(client, auth, cohort_of_three):
    chanthy, dara, vuthy = cohort_of_three
    auth.login_as("officer")
    url = "/reports/people?period=FY2026-Q1&indicator=CUSTOM-1"
    page = client.get(url).get_data(as_text=True)
    assert "Chanthy" in page and "Vuthy" in page and "Dara" not in page and dara.code in page
    assert "1 person is shown by code only" in page
    client.post(f"/beneficiaries/{vuthy.code}/consent",
                data={"withdrawn_on": TODAY.isoformat(), "reason": REASON, "withdraw": "Withdraw"})
    page = client.get(url).get_data(as_text=True)
    assert "Vuthy" not in page and vuthy.code in page and "2 people are shown by code only" in page
    auth.logout()
    auth.login_as("manager")
    assert "shown by code only" not in client.get(url).get_data(as_text=True)  # managers see codes only anyway


def test_a_withdrawal_leaves_the_named_export_and_stays_in_the_deidentified_one_and_the_counts(
        app, client, auth, cohort_of_three):
    chanthy, _dara, vuthy = cohort_of_three
    period = Period(date(2025, 10, 1), date(2025, 12, 31), "FY2026 Q1")

    def custom_1():
        with app.app_context():
            return next(i for i in indicator_report(period)["indicators"] if i["code"] == "CUSTOM-1")

    def exported(kind):
        response = client.get(f"/beneficiaries/export.xlsx?kind={kind}")
        return [row[0] for row in load_workbook(io.BytesIO(response.data)).active.iter_rows(
            min_row=2, values_only=True)]

    auth.login_as("officer")
    counted = custom_1()
    assert sorted(exported("named")) == [chanthy.code, vuthy.code]
    client.post(f"/beneficiaries/{vuthy.code}/consent",
                data={"withdrawn_on": TODAY.isoformat(), "reason": REASON, "withdraw": "Withdraw"})
    assert exported("named") == [chanthy.code]
    assert vuthy.code in exported("deidentified") and len(exported("deidentified")) == 3
    assert custom_1() == counted and counted["numerator"] == 3


# -- the migration ---------------------------------------------------------------------------------------

def _insert(db, code):
    """A participant row written by a writer that does not know the new columns."""
    db.execute_sql(
        "INSERT INTO beneficiary (code, given_name, family_name, given_name_km, family_name_km, sex, phone, district,"
        " commune, village, id_document_number, category, destination_country, sector_abroad, consent_data_use,"
        " consent_follow_up, consent_photos, status, registered_on, created_at, updated_at, latin_key, phonetic_key,"
        " khmer_key, id_number_key) VALUES (?, 'Chanthy', 'Sok', '', '', 'female', '', '', '', '', '', 'at_risk', '',"
        " '', ?, ?, ?, 'active', '2026-03-01', '2026-03-01', '2026-03-01', '', '', '', '')".replace(
            "?", "%s" if not isinstance(db, SqliteDatabase) else "?"), (code, True, True, False))


def test_the_migration_adds_the_columns_to_a_table_with_rows_and_goes_down_again(fresh_database_url):
    db = open_database(fresh_database_url)
    with db.connection_context():
        runner = migration_runner(db)
        runner.up([m.name for m in runner.migrations() if m.name < "0019_consent_withdrawal"][-1])
        _insert(db, "BR-000001")
        runner.up("0019_consent_withdrawal")
        _insert(db, "BR-000002")
        rows = db.execute_sql("SELECT code, consent_data_use, consent_withdrawn_on, consent_withdrawal_reason"
                              " FROM beneficiary ORDER BY code").fetchall()
        assert [(code, bool(use), withdrawn, reason) for code, use, withdrawn, reason in rows] == [
            ("BR-000001", True, None, ""), ("BR-000002", True, None, "")]
        runner.down("0019_consent_withdrawal")
        columns = {c.name for c in db.get_columns("beneficiary")}
        assert "consent_withdrawn_on" not in columns and "consent_withdrawal_reason" not in columns
        assert db.execute_sql("SELECT count(*) FROM beneficiary").fetchone()[0] == 2
    db.close()
