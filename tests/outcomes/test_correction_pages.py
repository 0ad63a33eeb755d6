"""The pages over HTTP: correcting and deleting from the profile, the phone on the due list and the form, consent."""
import html
import json
from datetime import date, timedelta

import pytest

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from registry.outcomes import services
from registry.outcomes.models import FollowUp
from registry.timeutil import add_months

TODAY = date.today()
COMPLETED = date(2026, 3, 31)  # enrolled on 2026-03-01 (completer)
JOB = {"followed_on": date(2026, 7, 1), "reached": True, "method": "phone", "status": "wage_employed",
       "job_started_on": date(2026, 5, 2), "employer": "Garment Co", "monthly_income": 250, "currency": "USD"}


@pytest.fixture
def recorded(app, officer, completer):
    """A wage job recorded at 3 months for a participant with a phone: the follow-up."""
    enrollment = completer(COMPLETED, phone="+85512345678")
    return services.record_follow_up(enrollment.beneficiary, JOB, officer, enrollment, 3)


def page_of(response):
    return html.unescape(response.get_data(as_text=True))


def events(action):
    return [json.loads(e.detail) for e in AuditEvent.select().where(AuditEvent.action == action)
            .order_by(AuditEvent.id)]


def form_of(follow_up, **changes):
    """The correction form as the page posts it: the stored values, some changed."""
    data = {"enrollment": str(follow_up.enrollment_id), "window": "3", "followed_on": "2026-07-01", "reached": "yes",
            "method": "phone", "status": "wage_employed", "job_started_on": "2026-05-02", "employer": "Garment Co",
            "monthly_income": "250", "currency": "USD", "related_to_training": "", "regular_channels": ""}
    return {**data, **changes}


# --- the profile leads to the corrections

def test_the_profile_offers_to_correct_or_delete_each_follow_up(client, auth, recorded):
    auth.login_as("officer")
    page = page_of(client.get(f"/beneficiaries/{recorded.beneficiary.code}"))
    assert f'href="/follow-ups/{recorded.id}/edit"' in page and f'href="/follow-ups/{recorded.id}/delete"' in page


def test_the_correction_form_is_the_recording_form_prefilled(client, auth, recorded):
    auth.login_as("officer")
    page = page_of(client.get(f"/follow-ups/{recorded.id}/edit"))
    assert "Correct the follow-up of" in page and 'value="Garment Co"' in page and 'value="2026-05-02"' in page
    assert 'name="reason"' in page and "Why is it corrected?" in page
    assert '<option selected value="wage_employed">' in page


def test_a_correction_is_saved_with_its_reason_and_shown_on_the_profile(client, auth, recorded):
    user = auth.login_as("officer")
    response = client.post(f"/follow-ups/{recorded.id}/edit",
                           data=form_of(recorded, monthly_income="180", reason="Misheard the income"))
    assert response.location == f"/beneficiaries/{recorded.beneficiary.code}"
    stored = FollowUp.get_by_id(recorded.id)
    assert str(stored.monthly_income) in ("180", "180.00") and stored.updated_by_id == user.id
    [detail] = events("follow_up.update")
    assert detail["reason"] == "Misheard the income" and detail["changes"] == {"monthly_income": ["250", "180"]}
    page = page_of(client.get(response.location))
    assert "The correction is saved." in page and "Corrected on" in page and f"by {user.full_name}" in page


def test_a_correction_without_a_reason_or_against_the_rules_is_refused_and_changes_nothing(client, auth, recorded):
    auth.login_as("officer")
    page = page_of(client.post(f"/follow-ups/{recorded.id}/edit", data=form_of(recorded, monthly_income="180",
                                                                              reason="  ")))
    assert "Say why the follow-up is corrected." in page
    page = page_of(client.post(f"/follow-ups/{recorded.id}/edit", data=form_of(recorded, job_started_on="",
                                                                              reason="No date")))
    assert "Give the date the job or business started" in page
    page = page_of(client.post(f"/follow-ups/{recorded.id}/edit", data=form_of(recorded, followed_on="2026-03-02",
                                                                              reason="Earlier")))
    assert "before the training was completed" in page
    assert FollowUp.get_by_id(recorded.id).updated_at is None and events("follow_up.update") == []


def test_the_same_values_again_say_nothing_changed(client, auth, recorded):
    auth.login_as("officer")
    response = client.post(f"/follow-ups/{recorded.id}/edit", data=form_of(recorded, reason="Checked with her"),
                           follow_redirects=True)
    assert "Nothing was changed." in page_of(response) and events("follow_up.update") == []


def test_the_delete_page_shows_what_goes_and_asks_why(client, auth, recorded):
    auth.login_as("admin")
    page = page_of(client.get(f"/follow-ups/{recorded.id}/delete"))
    assert "Delete a follow-up of" in page and "Garment Co" in page and "250" in page
    assert "Why is it deleted?" in page
    page = page_of(client.post(f"/follow-ups/{recorded.id}/delete", data={"reason": ""}))
    assert "Say why the follow-up is deleted." in page and FollowUp.live().count() == 1


def test_a_deleted_follow_up_leaves_the_timeline_for_the_deleted_list_and_cannot_be_opened(client, auth, recorded):
    user = auth.login_as("officer")
    response = client.post(f"/follow-ups/{recorded.id}/delete", data={"reason": "Recorded for the wrong person"})
    assert response.location == f"/beneficiaries/{recorded.beneficiary.code}"
    page = page_of(client.get(response.location))
    assert "Deleted follow-ups" in page and "Recorded for the wrong person" in page and user.full_name in page
    assert "<del>" in page and f'/follow-ups/{recorded.id}/edit"' not in page
    [detail] = events("follow_up.delete")
    assert detail["reason"] == "Recorded for the wrong person"
    for url in (f"/follow-ups/{recorded.id}/edit", f"/follow-ups/{recorded.id}/delete"):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"reason": "again"}).status_code == 404


def test_an_officer_of_another_province_cannot_correct_or_delete(client, auth, recorded):
    auth.login_as("officer", provinces={"17"})
    for url in (f"/follow-ups/{recorded.id}/edit", f"/follow-ups/{recorded.id}/delete"):
        assert client.get(url).status_code == 404
        assert client.post(url, data=form_of(recorded, reason="x")).status_code == 404
    assert FollowUp.get_by_id(recorded.id).deleted_at is None


def test_deleting_the_follow_up_that_closed_a_window_puts_the_person_back_on_the_due_list(client, auth, officer,
                                                                                         completer):
    enrollment = completer(add_months(TODAY, -3) - timedelta(days=3), phone="+85512345678")
    found = services.record_follow_up(enrollment.beneficiary, {**JOB, "followed_on": TODAY}, officer, enrollment, 3)
    auth.login_as("officer")
    assert "Nobody is due a follow-up." in page_of(client.get("/follow-ups/"))
    client.post(f"/follow-ups/{found.id}/delete", data={"reason": "Wrong person"})
    assert enrollment.beneficiary.code in page_of(client.get("/follow-ups/"))


# --- the phone, where an officer is about to call

def test_the_due_list_shows_phones_says_when_last_tried_and_is_audited(client, auth, officer, completer):
    enrollment = completer(add_months(TODAY, -3) - timedelta(days=3), phone="+85512345678")
    services.record_follow_up(enrollment.beneficiary, {"followed_on": TODAY - timedelta(days=1), "reached": False,
                                                       "method": "phone"}, officer, enrollment, 3)
    auth.login_as("officer")
    page = page_of(client.get("/follow-ups/"))
    assert 'href="tel:+85512345678"' in page
    assert "last tried on" in page and "not reached" in page
    [detail] = events("follow_up.due_list")
    assert detail["shown"] == [enrollment.beneficiary.code]


def test_the_follow_up_form_shows_the_phone_and_each_view_is_audited(client, auth, completer):
    enrollment = completer(COMPLETED, phone="+85512345678")
    auth.login_as("officer")
    code = enrollment.beneficiary.code
    assert 'href="tel:+85512345678"' in page_of(client.get(f"/follow-ups/new/{code}"))
    client.get(f"/follow-ups/new/{code}")
    assert [e["shown"] for e in events("follow_up.form")] == [[code], [code]]
    event = AuditEvent.get(AuditEvent.action == "follow_up.form")
    assert (event.object_type, event.object_id) == ("beneficiary", str(enrollment.beneficiary_id))


# --- consent

def test_without_consent_the_due_list_leaves_the_person_out_and_says_how_many(client, auth, completer):
    due = add_months(TODAY, -3) - timedelta(days=3)
    completer(due, given_name="Dara")
    refused = completer(due, given_name="Bopha", consent_follow_up=False)
    auth.login_as("officer")
    page = page_of(client.get("/follow-ups/"))
    assert refused.beneficiary.code not in page
    assert "1 person is not listed: no consent to follow-up contact." in page
    assert "not listed" not in page_of(client.get("/follow-ups/?province=17"))  # the same filters


def test_without_consent_the_form_says_so_and_a_follow_up_is_refused_until_consent(client, auth, completer):
    enrollment = completer(COMPLETED, consent_follow_up=False, phone="+85512345678")
    code = enrollment.beneficiary.code
    auth.login_as("officer")
    page = page_of(client.get(f"/follow-ups/new/{code}"))
    assert "has not consented to follow-up contact" in page
    assert f'href="/beneficiaries/{code}/consent"' in page and "tel:" not in page and 'name="followed_on"' not in page
    data = {"followed_on": TODAY.isoformat(), "reached": "no", "method": "phone"}
    response = client.post(f"/follow-ups/new/{code}", data=data)
    assert response.status_code == 200 and "has not consented" in page_of(response)
    assert FollowUp.select().count() == 0
    assert "No consent to follow-up contact" in page_of(client.get(f"/beneficiaries/{code}"))
    Beneficiary.update(consent_follow_up=True).where(Beneficiary.code == code).execute()
    assert client.post(f"/follow-ups/new/{code}", data=data).status_code == 302
    assert FollowUp.select().count() == 1


def test_corrected_and_deleted_follow_ups_cost_no_statement_each_on_the_profile(client, auth, officer, recorded):
    from tests.test_query_counts import queries_for

    auth.login_as("officer")
    url = f"/beneficiaries/{recorded.beneficiary.code}"

    def corrected_and_deleted(n):
        for day in range(n):
            for reason in ("fix", None):
                f = services.record_follow_up(recorded.beneficiary, {**JOB, "followed_on": date(2026, 8, 1 + day)},
                                              officer, recorded.enrollment, 6)
                if reason:
                    services.update_follow_up(f, {**JOB, "followed_on": date(2026, 8, 1 + day), "employer": "B"},
                                              officer, reason, recorded.enrollment, 6)
                else:
                    services.delete_follow_up(f, officer, "Twice")

    corrected_and_deleted(1)
    client.get(url)  # seals the audit events the services wrote outside a request
    few = queries_for(client, url)
    corrected_and_deleted(3)
    client.get(url)
    assert queries_for(client, url) == few
