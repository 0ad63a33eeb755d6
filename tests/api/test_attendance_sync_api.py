"""PUT /sessions/<id>/attendance with marks that carry taken_at: an offline sync, merged mark by mark."""
from datetime import date, timedelta

import pytest

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from registry.programs import enrollment as enrolling
from registry.programs.models import Attendance, Enrollment
from registry.programs.services import cancel_session

DAY = date.today() - timedelta(days=2)
KEY = "Idempotency-Key"


def at(hhmm, day=DAY):
    """A phone's time on a day, with Cambodia's offset, as the client sends it."""
    return f"{day.isoformat()}T{hhmm}:00+07:00"


@pytest.fixture
def klass(session_of_three):
    """A cohort with a session two days ago and three people enrolled before it: (session, codes)."""
    return session_of_three(DAY)


def url(session):
    return f"/api/v1/sessions/{session.id}/attendance"


def body(*marks, held_on=DAY):
    return {"held_on": held_on.isoformat(), "marks": [
        {"beneficiary": code, "status": status, "taken_at": at(hhmm)} for code, status, hhmm in marks]}


def marks_of(session):
    return {a.enrollment.beneficiary.code: a.status for a in Attendance.select().where(Attendance.session == session)}


def test_a_sync_applies_the_later_marks_keeps_out_the_older_and_refuses_who_left(api, klass, officer):
    session, (a, b, c) = klass
    client = api("officer")
    first = client.put(url(session), json=body((a, "absent", "10:00"), (b, "absent", "10:00")))
    assert first.status_code == 200 and first.get_json()["applied"] == [a, b]
    enrolling.change_status(Enrollment.select().join(Beneficiary).where(Beneficiary.code == c).get(),
                            "withdrawn", DAY - timedelta(days=1), officer, "Moved away.")
    late = client.put(url(session), json=body((a, "present", "11:00"), (b, "present", "09:00"),
                                              (c, "present", "09:00")))
    assert late.status_code == 200
    answer = late.get_json()
    assert answer["applied"] == [a] and answer["corrections"] == 1 and answer["marks"] == 3
    assert answer["kept_out"] == [{"beneficiary": b, "reason": "A later mark is on the server.",
                                   "why": "later_on_server", "server_taken_at": f"{DAY.isoformat()}T03:00:00Z"}]
    assert answer["refused"] == [{"beneficiary": c, "reason": "Withdrew from the cohort before the session's day.",
                                  "why": "left_cohort"}]
    assert answer["synced_at"].endswith("Z")
    assert marks_of(session) == {a: "present", b: "absent"}


def test_a_sync_to_a_cancelled_or_moved_session_refuses_each_mark_with_the_reason(api, klass, officer):
    session, (a, b, _c) = klass
    client = api("officer")
    moved = client.put(url(session), json=body((a, "present", "09:00"), held_on=DAY - timedelta(days=1)))
    assert moved.status_code == 200 and [r["why"] for r in moved.get_json()["refused"]] == ["session_moved"]
    cancel_session(session, True, officer)
    cancelled = client.put(url(session), json=body((a, "present", "09:00"), (b, "late", "09:00")))
    assert cancelled.status_code == 200
    assert [(r["beneficiary"], r["why"]) for r in cancelled.get_json()["refused"]] == [
        (a, "session_cancelled"), (b, "session_cancelled")]
    assert Attendance.select().count() == 0


def test_an_ordinary_save_stays_all_or_nothing(api, klass, officer):
    session, (a, _b, _c) = klass
    cancel_session(session, True, officer)
    response = api("officer").put(url(session), json={"marks": [{"beneficiary": a, "status": "present"}]})
    assert response.status_code == 422 and "applied" not in response.get_json()


def test_a_repeated_sync_with_the_same_key_writes_once(api, klass):
    session, (a, b, _c) = klass
    client = api("officer")
    sent = body((a, "present", "09:00"), (b, "absent", "09:05"))
    first = client.put(url(session), json=sent, headers={KEY: "sync-1"})
    again = client.put(url(session), json=sent, headers={KEY: "sync-1"})
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
    assert AuditEvent.select().where(AuditEvent.action == "attendance.sync").count() == 1
    assert Attendance.select().count() == 2


@pytest.mark.parametrize("change, field", [
    (lambda b: b["marks"][0].update(taken_at="2026-03-02T09:00:00"), "marks[0].taken_at"),  # no offset
    (lambda b: b["marks"][1].update(taken_at="yesterday"), "marks[1].taken_at"),
    (lambda b: b["marks"][1].update(taken_at=42), "marks[1].taken_at"),
    (lambda b: b["marks"][0].update(taken_at=at("23:00", DAY - timedelta(days=1))), "marks[0].taken_at"),
    (lambda b: b["marks"][0].update(taken_at=at("09:00", date.today() + timedelta(days=1))), "marks[0].taken_at"),
    (lambda b: b["marks"][1].update(taken_at="9999-12-31T23:59:59-10:00"), "marks[1].taken_at"),  # past year 9999
    (lambda b: b["marks"][1].pop("taken_at"), "marks[1].taken_at"),  # a sync: every mark says when
    (lambda b: b.pop("held_on"), "held_on"),
    (lambda b: b.update(held_on="02/03/2026"), "held_on"),
    (lambda b: b.update(held_on=20260302), "held_on"),
])
def test_a_sync_with_a_bad_time_or_day_answers_422_naming_it_and_writes_nothing(api, klass, change, field):
    session, (a, b, _c) = klass
    sent = body((a, "present", "09:00"), (b, "present", "09:00"))
    change(sent)
    response = api("officer").put(url(session), json=sent)
    assert response.status_code == 422 and field in response.get_json()["fields"], response.get_json()
    assert Attendance.select().count() == 0


def test_held_on_without_taken_at_is_refused(api, klass):
    session, (a, _b, _c) = klass
    response = api("officer").put(url(session), json={"held_on": DAY.isoformat(),
                                                      "marks": [{"beneficiary": a, "status": "present"}]})
    assert response.status_code == 422 and "held_on" in response.get_json()["fields"]
