"""Trainer attendance offline in Chromium: the sessions kept while online, 40 marks taken offline, one sync."""
import json
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from registry.audit.models import AuditEvent
from registry.programs.models import Attendance, TrainingSession
from tests.browser.test_app_shell import QUEUED, _controlled, _sign_in

SIZE = 40
KEPT = "() => offlineStore.kept('attendance-sessions')"
QUEUE_ITEM = """() => new Promise((resolve) => {
  const open = indexedDB.open("registry-offline");
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => { open.result.close(); resolve(all.result[0].payload); };
  };
})"""
META_OWNERS = """() => new Promise((resolve) => {
  const open = indexedDB.open("registry-offline");
  open.onsuccess = () => {
    const rows = open.result.transaction("meta").objectStore("meta").getAll();
    rows.onsuccess = () => { open.result.close(); resolve(rows.result.map((row) => row.owner || row.value)); };
  };
})"""
RESEND = """async ([url, key, body]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch(url, {method: "POST", body: body, headers: {"Content-Type": "application/json",
    "X-CSRFToken": token, "Idempotency-Key": key}});
  return [response.status, response.headers.get("Idempotent-Replayed")];
}"""


def _back_online(p):
    """Wait for the session page itself; the worker may see the connection a moment after the page does, and its
    reload land on the offline page again: then the trainer taps "Try again", as on a phone."""
    for _attempt in range(3):
        try:
            expect(p.locator("#offline-sync-results")).to_be_attached(timeout=3000)
            return
        except AssertionError:
            p.locator("[data-reload]").first.click()
    expect(p.locator("#offline-sync-results")).to_be_attached()


@pytest.fixture
def big_class(create_user, create_cohort, create_beneficiary, enroll):
    """Mey's cohort of 40, with a session today: (session, codes); Nary is another trainer."""
    today = date.today()
    mey = create_user("trainer", username="mey", provinces={"02"})
    create_user("trainer", username="nary", provinces={"02"})
    cohort = create_cohort(name="Tailoring Pailin", days=[today], trainers=[mey], capacity=SIZE,
                           start_on=today - timedelta(days=30), end_on=today + timedelta(days=30))
    people = [create_beneficiary(given_name=f"Person{n:02d}", date_of_birth=date(1990, 1 + n % 12, 1 + n % 28))
              for n in range(SIZE)]
    for person in people:
        enroll(cohort, person, on=today - timedelta(days=20))
    return TrainingSession.get(TrainingSession.cohort == cohort), sorted(p.code for p in people)


def test_a_trainer_takes_40_marks_offline_and_the_server_holds_exactly_them_once(page, app, big_class):
    session, codes = big_class
    p, base = page.page, page.base_url
    _sign_in(p, base, "mey")
    _controlled(p)
    p.goto(base + "/")  # the home page keeps the sessions of the next 14 days
    p.wait_for_function(f"async () => ({KEPT.split('=> ')[1]}) !== null")
    assert [s["id"] for s in p.evaluate(KEPT)["sessions"]] == [session.id]

    p.context.set_offline(True)
    p.goto(f"{base}/sessions/{session.id}")  # the worker's offline page, rendered from IndexedDB
    form = p.locator("#offline-attendance-form")
    expect(form).to_be_visible()
    expect(form.locator("fieldset")).to_have_count(SIZE)
    form.get_by_role("button", name="Mark all present").click()
    absent = codes[:3]
    for code in absent:
        form.locator("fieldset", has_text=code).get_by_text("Absent").click()
    form.get_by_role("button", name="Save").click()
    expect(p.get_by_text("Kept on this phone, waiting to be sent")).to_be_visible()
    mey = p.evaluate("() => offlineStore.resume()")
    assert p.evaluate(QUEUED) == [[mey, "attendance"]]
    waiting = p.evaluate(QUEUE_ITEM)
    assert Attendance.select().count() == 0

    p.context.set_offline(False)  # the offline page reloads the session page, whose load sends the queue
    _back_online(p)
    expect(p).to_have_url(f"{base}/sessions/{session.id}")
    expect(p.locator("#offline-sync-results .alert")).to_contain_text(f"{SIZE} applied, 0 kept out, 0 refused")
    expect(p.locator("#offline-badge")).to_be_hidden()
    assert p.evaluate(QUEUED) == []
    held = {a.enrollment.beneficiary.code: a.status for a in Attendance.select().where(Attendance.session == session)}
    assert held == {code: "absent" if code in absent else "present" for code in codes}

    replay = p.evaluate(RESEND, [f"/sessions/{session.id}/sync", waiting["key"], waiting["body"]])
    assert replay == [200, "true"]
    assert AuditEvent.select().where(AuditEvent.action == "attendance.sync").count() == 1
    assert re.search(r"T\d\d:\d\d:\d\d[+-]\d\d:\d\d$", json.loads(waiting["body"])["marks"][0]["taken_at"])

    p.context.clear_cookies()  # another trainer signs in on this phone: Mey's copy of her sessions is erased
    _sign_in(p, base, "nary")
    p.wait_for_function("() => offlineStore.pendingCount().then(() => true)")  # claimed by Nary
    assert mey not in p.evaluate(META_OWNERS)
