"""Officer follow-up calls offline in Chromium: the due list kept, two follow-ups recorded offline, synced once.

With JOURNEY_SCREENSHOTS set (`make screenshots`), saves the offline states at 360 px in both languages as
offline-followup-<state>-<lang>.png: the form offline, the list with the follow-ups waiting, the synced answers.
"""
import json
import os
import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries.models import Beneficiary
from registry.outcomes.models import FollowUp
from tests.browser.journey import FONTS_LOADED, SCREENSHOTS
from tests.browser.test_app_shell import QUEUED, _controlled
from tests.conftest import PASSWORD

TODAY = date.today()
QUEUE_PAYLOADS = """() => new Promise((resolve) => {
  const open = indexedDB.open("registry-offline");
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => { open.result.close(); resolve(all.result.map((item) => item.payload)); };
  };
})"""
RESEND = """async ([url, key, body]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch(url, {method: "POST", body: body, headers: {"Content-Type": "application/json",
    "X-CSRFToken": token, "Idempotency-Key": key}});
  return [response.status, response.headers.get("Idempotent-Replayed")];
}"""


# The page and the worker's Background Sync may send the same follow-up at once: the second is answered 409 (its
# key is still being written) and waits, by design; the test checks that each follow-up is written once.
SENT_TWICE_AT_ONCE = "status of 409"


@contextmanager
def phone(browser, lang, allowed=("ERR_INTERNET_DISCONNECTED", SENT_TWICE_AT_ONCE)):
    """A 360 px phone asking for `lang`, so that the offline page the worker keeps is in it; failing on errors
    (but the console's messages holding one of `allowed`)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  locale=lang)
    context.set_default_timeout(10_000)
    errors = []
    context.on("weberror", lambda error: errors.append(f"page error: {error.error}"))
    p = context.new_page()
    p.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error"
         and not any(text in message.text for text in allowed) else None)
    yield p
    context.close()
    assert not errors, errors


def _shot(p, state, lang):
    """Save the page as offline-followup-<state>-<lang>.png when pictures are asked for."""
    if not os.environ.get("JOURNEY_SCREENSHOTS"):
        return
    p.evaluate(FONTS_LOADED)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    p.screenshot(path=str(SCREENSHOTS / f"offline-followup-{state}-{lang}.png"), full_page=True,
                 animations="disabled", caret="hide")


def _back_online(p):
    """Wait for the due page itself; the worker may see the connection a moment after the page does, and its
    reload land on the offline page again: then the officer taps "Try again", as on a phone."""
    for _attempt in range(3):
        try:
            expect(p.locator("#offline-followup-results")).to_be_attached(timeout=3000)
            return
        except AssertionError:
            p.locator("[data-reload]").first.click()
    expect(p.locator("#offline-followup-results")).to_be_attached()


@pytest.fixture
def due_two(app, completer, create_user):
    """Dara and Sokha, both due their 3-month follow-up, and the officer Sophy of 02; (Dara, Sokha) codes."""
    sophy = create_user("officer", username="sophy", provinces={"02"})
    dara = completer(TODAY - timedelta(days=100), given_name="Dara", phone="+85512345678")
    sokha = completer(TODAY - timedelta(days=95), given_name="Sokha", phone="+85516333444")
    return sophy, dara.beneficiary.code, sokha.beneficiary.code


def _sign_in_and_keep(p, base, count):
    """Sign Sophy in, wait for the worker, and take the due list offline from the due page."""
    p.goto(f"{base}/login")
    p.fill("input[name=username]", "sophy")
    p.fill("input[name=password]", PASSWORD)
    p.click("main form [type=submit]")
    expect(p).not_to_have_url(re.compile(r"/login(\?|$)"))
    _controlled(p)
    p.goto(f"{base}/follow-ups/")
    take = p.locator("[data-take-due-offline]")
    take.get_by_role("button").click()
    expect(take.locator("[data-said]")).to_contain_text(str(count))


@pytest.mark.parametrize("lang", ["en", "km"])
def test_an_officer_records_two_follow_ups_offline_and_they_sync_once_even_when_repeated(
        browser, live_server, due_two, lang):
    sophy, dara, sokha = due_two
    User.update(language=lang).where(User.id == sophy.id).execute()
    base = live_server
    with phone(browser, lang) as p:
        _sign_in_and_keep(p, base, 2)
        copy = p.evaluate("() => offlineStore.kept('follow-ups-due')")
        assert sorted(row["code"] for row in copy["due"]) == sorted([dara, sokha])

        p.context.set_offline(True)
        p.goto(f"{base}/follow-ups/new/{dara}")  # the worker's offline page opens Dara's form from IndexedDB
        form = p.locator("#offline-follow-up")
        expect(form).to_be_visible()
        expect(form.locator("[data-contact] a")).to_have_attribute("href", "tel:+85512345678")
        form.locator("[name=reached]").select_option("yes")
        form.locator("[name=method]").select_option("phone")
        form.locator("[type=submit]").click()  # the online form's checks: a reached person's work and income
        expect(form.locator("[name=status].is-invalid")).to_be_visible()
        expect(form.locator("[name=monthly_income].is-invalid")).to_be_visible()
        form.locator("[name=status]").select_option("wage_employed")
        form.locator("[name=monthly_income]").fill("180")
        form.locator("[name=currency]").select_option("USD")
        form.locator("[name=job_before_training]").check()
        form.locator("[name=employer]").fill("Garment factory")
        _shot(p, "form", lang)
        form.locator("[type=submit]").click()
        expect(form.locator("[data-said]")).to_be_visible()
        form.locator("[data-back]").click()

        section = p.locator("[data-offline-followups]")
        section.locator("li", has_text=sokha).get_by_role("button").click()
        form.locator("[name=reached]").select_option("no")
        form.locator("[name=method]").select_option("phone")
        form.locator("[type=submit]").click()
        expect(form.locator("[data-said]")).to_be_visible()
        form.locator("[data-back]").click()
        expect(section.locator(".badge")).to_have_count(2)  # both wait, and the list says so
        _shot(p, "waiting", lang)
        owner = str(sophy.id)
        assert p.evaluate(QUEUED) == [[owner, "follow-up"], [owner, "follow-up"]]
        waiting = p.evaluate(QUEUE_PAYLOADS)
        assert FollowUp.select().count() == 0

        p.context.set_offline(False)  # the offline page reloads the due page, whose load sends the queue
        _back_online(p)
        expect(p).to_have_url(f"{base}/follow-ups/")
        expect(p.locator("#offline-followup-results .alert-success")).to_have_count(2)
        expect(p.locator("#offline-badge")).to_be_hidden()
        assert p.evaluate(QUEUED) == []
        _shot(p, "synced", lang)

        recorded = {f.beneficiary.code: f for f in FollowUp.select()}
        assert set(recorded) == {dara, sokha}
        assert (recorded[dara].status, recorded[dara].job_before_training, recorded[sokha].reached) == (
            "wage_employed", True, False)
        for item in waiting:  # the same request again, as a phone that lost the answer would send it
            assert p.evaluate(RESEND, [item["url"], item["key"], item["body"]]) == [201, "true"]
        assert FollowUp.select().count() == 2
        events = list(AuditEvent.select().where(AuditEvent.action == "follow_up.create"))
        assert len(events) == 2
        times = {json.loads(e.detail)["recorded_at"] for e in events}
        assert times == {item["recorded_at"] for item in waiting}


def test_a_follow_up_refused_at_sync_is_shown_with_the_reason_until_the_officer_discards_it(
        browser, live_server, due_two):
    """Dara withdrew her consent while the officer was offline: the server refuses, the phone keeps the item
    (shown again on each page) until the officer discards it, after a confirm."""
    sophy, dara, _sokha = due_two
    base = live_server
    with phone(browser, "en", allowed=("ERR_INTERNET_DISCONNECTED", SENT_TWICE_AT_ONCE, "status of 422")) as p:
        _sign_in_and_keep(p, base, 2)
        p.context.set_offline(True)
        p.goto(f"{base}/follow-ups/new/{dara}")
        form = p.locator("#offline-follow-up")
        form.locator("[name=reached]").select_option("no")
        form.locator("[name=method]").select_option("visit")
        form.locator("[type=submit]").click()
        expect(form.locator("[data-said]")).to_be_visible()
        Beneficiary.update(consent_follow_up=False).where(Beneficiary.code == dara).execute()

        p.context.set_offline(False)
        _back_online(p)
        refused = p.locator("#offline-followup-results .alert-danger")
        expect(refused).to_contain_text("has not consented to follow-up contact")
        p.reload()  # not fixed by a retry, not lost either: it waits for the officer
        expect(refused).to_contain_text("has not consented to follow-up contact")
        assert p.evaluate(QUEUED) == [[str(sophy.id), "follow-up"]]
        expect(p.locator("#offline-badge [data-count]")).to_have_text("1")

        p.once("dialog", lambda dialog: dialog.dismiss())  # "Cancel" keeps it
        refused.get_by_role("button", name="Discard").click()
        assert p.evaluate(QUEUED) == [[str(sophy.id), "follow-up"]]
        p.once("dialog", lambda dialog: dialog.accept())
        refused.get_by_role("button", name="Discard").click()
        expect(p.locator("#offline-followup-results")).to_contain_text("was discarded")
        expect(p.locator("#offline-badge")).to_be_hidden()
        assert p.evaluate(QUEUED) == []
        assert FollowUp.select().count() == 0
