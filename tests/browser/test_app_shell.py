"""The installable app shell in Chromium: the service worker, what it keeps, and the offline store's erasing."""
import re

from playwright.sync_api import expect

from registry.main import app_shell
from tests.conftest import PASSWORD
from tests.test_app_shell import PERSONAL_PAGES

CACHED = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      found.push([name, url.pathname + url.search, (await cache.match(request)).headers.get("Content-Type")]);
    }
  }
  return found;
}"""
QUEUED = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("registry-offline");
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => { open.result.close(); resolve(all.result.map((item) => [item.owner, item.kind])); };
  };
  open.onerror = () => reject(open.error);
})"""
ADD_EXPIRED = """(owner) => new Promise((resolve) => {
  const open = indexedDB.open("registry-offline");
  open.onsuccess = () => {
    const tx = open.result.transaction("queue", "readwrite");
    tx.objectStore("queue").add({owner: owner, kind: "old", payload: {}, takenAt: Date.now() - 8 * 24 * 3600 * 1000});
    tx.oncomplete = () => { open.result.close(); resolve(); };
  };
})"""
STORE_EXISTS = "async () => (await indexedDB.databases()).some((db) => db.name === 'registry-offline')"


def _sign_in(p, base, username):
    p.goto(f"{base}/login")
    p.fill("input[name=username]", username)
    p.fill("input[name=password]", PASSWORD)
    p.click("main form [type=submit]")
    expect(p).not_to_have_url(re.compile(r"/login(\?|$)"))


def _controlled(p):
    """Wait until the service worker controls the page.

    A worker that activates while the page is being replaced (here: by the sign-in) claims no page; the next
    page it sees is its own, as a person's next tap would be.
    """
    p.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not p.evaluate("() => navigator.serviceWorker.controller !== null"):
        p.reload()
    p.wait_for_function("() => navigator.serviceWorker.controller !== null")


def _ready_store(p):
    """Wait until the offline store belongs to the page's user."""
    p.wait_for_function("() => window.offlineStore && document.body.dataset.userId")
    p.evaluate("() => offlineStore.claim(document.body.dataset.userId)")


def test_the_worker_keeps_only_the_shell_and_answers_with_the_offline_page(page, create_user, create_beneficiary):
    """Having opened a profile and the list, the cache holds no page but the offline one; offline, a page opens it."""
    p, base = page.page, page.base_url
    create_user("officer", username="sok", provinces={"02"})
    person = create_beneficiary()
    _sign_in(p, base, "sok")
    _controlled(p)
    for url in ("/beneficiaries/", f"/beneficiaries/{person.code}", "/reports/", "/"):
        p.goto(base + url)

    cached = p.evaluate(CACHED)
    assert len({name for name, _url, _type in cached}) == 1, cached
    assert [url for _name, url, kind in cached if "html" in (kind or "")] == ["/offline"], cached
    assert not [url for _name, url, _kind in cached if PERSONAL_PAGES.search(url)], cached

    p.context.set_offline(True)
    p.goto(f"{base}/beneficiaries/{person.code}")
    expect(p.locator("h1").first).to_have_text("No connection")
    expect(p.get_by_text(person.given_name)).to_have_count(0)
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    p.context.set_offline(False)


def test_the_store_is_erased_on_sign_out_for_another_user_and_after_7_days_but_not_when_a_session_ends(
        page, create_user):
    p, base = page.page, page.base_url
    kim = create_user("trainer", username="kim", provinces={"02"})
    dara = create_user("trainer", username="dara", provinces={"02"})
    badge = p.locator("#offline-badge")

    _sign_in(p, base, "kim")
    _ready_store(p)
    expect(badge).to_be_hidden()
    p.evaluate("offlineStore.add('attendance', {session: 1})")
    expect(badge).to_be_visible()
    expect(badge.locator("[data-count]")).to_have_text("1")
    p.evaluate(ADD_EXPIRED, str(kim.id))
    p.reload()  # a page opening erases what is older than 7 days
    expect(badge.locator("[data-count]")).to_have_text("1")
    assert p.evaluate(QUEUED) == [[str(kim.id), "attendance"]]

    p.context.clear_cookies()  # the session ended (expired) with work waiting: it stays for its owner
    p.goto(base)
    expect(p).to_have_url(re.compile(r"/login"))
    _sign_in(p, base, "kim")
    expect(badge.locator("[data-count]")).to_have_text("1")
    assert p.evaluate(QUEUED) == [[str(kim.id), "attendance"]]

    p.context.clear_cookies()  # another user on the same browser: kim's work is erased, and dara is told
    _sign_in(p, base, "dara")
    expect(p.locator("#offline-erased")).to_be_visible()
    expect(badge).to_be_hidden()
    assert p.evaluate(QUEUED) == []

    _ready_store(p)
    p.evaluate("offlineStore.add('follow-up', {})")
    expect(badge).to_be_visible()
    assert p.evaluate(QUEUED) == [[str(dara.id), "follow-up"]]
    p.get_by_role("button", name="Sign out").click()
    expect(p).to_have_url(re.compile(r"/login"))
    assert not p.evaluate(STORE_EXISTS)


def test_a_new_version_replaces_the_cache_and_keeps_the_waiting_work(page, create_user, monkeypatch):
    p, base = page.page, page.base_url
    create_user("trainer", username="kim", provinces={"02"})
    _sign_in(p, base, "kim")
    _controlled(p)
    _ready_store(p)
    p.evaluate("offlineStore.add('attendance', {session: 1})")
    (old,) = {name for name, _url, _kind in p.evaluate(CACHED)}

    monkeypatch.setattr(app_shell, "shell_version", lambda: "next-version")
    p.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    p.wait_for_function("async () => (await caches.keys()).join() === 'registry-shell-next-version'")
    assert old != "registry-shell-next-version"
    assert p.evaluate("offlineStore.pendingCount()") == 1
    p.reload()
    expect(p.locator("#offline-badge [data-count]")).to_have_text("1")
