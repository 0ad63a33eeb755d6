"""What every role journey shares: a guarded browser, sign-in, the language switch, the app's own words, screenshots.

A journey fails on any console error, uncaught page error, response of 500 or more, or request to a host
other than the app's: the guard records them for the whole browser context (every tab), aborts the
off-host requests before they leave, and is checked at each screenshot and when the journey ends.
"""
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# A test run leaves the checkout as it found it: pictures go to the ignored test-artifacts/ unless asked for
# in docs/screenshots/ (`make screenshots` sets JOURNEY_SCREENSHOTS=docs/screenshots).
SCREENSHOTS = ROOT / os.environ.get("JOURNEY_SCREENSHOTS", "test-artifacts/screenshots")
LANGUAGES = ("en", "km")
# The browser asks for English: a journey's own language comes from the app's switch.
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US"}
NAVBAR_EXPANDS_AT = 1200  # px: below it, Bootstrap's navbar-expand-xl hides the links behind a "Menu" toggler
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "en-US"}


KHMER_LETTER = re.compile("[\u1780-\u17ff]")
# The app's Khmer font is swapped in once loaded (font-display: swap), and routing turns the browser's cache off,
# so every page fetches it again: wait for it and two painted frames, as a returning user would see the page.
FONTS_LOADED = """async () => {
  await document.fonts.load('1em "Noto Sans Khmer"', '\u1781');
  await document.fonts.ready;
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return document.fonts.check('1em "Noto Sans Khmer"', '\u1781');
}"""


@dataclass
class Guard:
    """The problems seen in one browser context: console errors, page errors, 5xx answers, off-host requests."""

    origin: str  # http://127.0.0.1:port
    problems: list = field(default_factory=list)

    @property
    def host(self):
        """The app's host and port."""
        return urlsplit(self.origin).netloc

    def watch(self, context):
        """Listen to every page of the context, and abort any request that would leave the app's host."""
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"page error: {error.error}"))
        context.on("request", self._request)
        context.on("response", self._response)
        # A pattern the driver matches by itself: the app's own requests never wait on Python (nor get slower).
        context.route(re.compile(rf"^(?!{re.escape(self.origin)}/|data:|blob:)"), self._abort)

    def _off_host(self, url):
        return not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != self.host

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _request(self, request):
        if self._off_host(request.url):
            self.problems.append(f"request to another host: {request.method} {request.url}")

    def _response(self, response):
        if response.status >= 500:
            self.problems.append(f"answer {response.status}: {response.request.method} {response.url}")

    def _abort(self, route):
        route.abort("blockedbyclient")  # recorded by _request; it never reaches the network

    def check(self):
        """Fail with every problem seen so far."""
        assert not self.problems, "the browser saw problems:\n" + "\n".join(self.problems)


@dataclass
class Journey:
    """One role's walk through the app in one language, in a guarded browser context."""

    page: Page
    base: str
    lang: str
    app: object
    guard: Guard
    touch: bool = False

    def tr(self, text, lang=None, **values):
        """A message in the journey's language (or `lang`), from the app's own catalog: what the page shows."""
        with self.app.test_request_context(), force_locale(lang or self.lang):
            return gettext(text, **values)

    def ntr(self, singular, plural, num, **values):
        """A plural message in the journey's language."""
        with self.app.test_request_context(), force_locale(self.lang):
            return ngettext(singular, plural, num, **values)

    def url(self, path):
        """An absolute URL of the live app."""
        return self.base + path

    def nav(self, lang=None):
        """The main navigation bar of a page in the journey's language (or `lang`)."""
        return self.page.get_by_role("navigation", name=self.tr("Main navigation", lang))

    def open_menu(self, name):
        """Open a dropdown of the navigation bar, once Bootstrap's script has taken the page.

        The toggle is a plain button until bootstrap.min.js (at the end of the body) binds it: a click
        before the page's load event can land on nothing, so wait for it, and click again if the
        menu did not open.
        """
        self.page.wait_for_load_state("load")
        toggle = self.nav().get_by_role("button", name=self.tr(name), exact=True)
        for _attempt in range(3):
            toggle.click()
            try:
                expect(toggle).to_have_attribute("aria-expanded", "true", timeout=2000)
                return
            except AssertionError:
                continue
        expect(toggle).to_have_attribute("aria-expanded", "true")

    def heading(self):
        """The page's first-level heading."""
        return self.page.get_by_role("heading", level=1)

    def alert(self, text):
        """A flashed message holding this text."""
        return self.page.get_by_role("alert").filter(has_text=text)

    def shot(self, name):
        """Check the guard and the language, then save a full-page screenshot as <name>-<lang>.png in SCREENSHOTS."""
        self.guard.check()
        expect(self.page.locator("html")).to_have_attribute("lang", self.lang)
        if self.lang == "km":  # the title ends with the app's name: Khmer whenever the catalog is in use
            expect(self.page).to_have_title(KHMER_LETTER)
        self.page.evaluate(FONTS_LOADED)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.lang}.png"
        self.page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
        return path

    def no_sideways_scroll(self):
        """Assert the page is no wider than the viewport."""
        width = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} px wide in a {width[1]} px window"

    def sign_in(self, username, password=PASSWORD, lang="en"):
        """Sign in through the login page, shown in `lang` (the browser's English unless chosen before)."""
        p = self.page
        p.goto(self.base)
        expect(p).to_have_url(re.compile(rf"^{re.escape(self.base)}/login"))
        expect(p.locator("html")).to_have_attribute("lang", lang)
        p.get_by_label(self.tr("Username", lang), exact=True).fill(username)
        p.get_by_label(self.tr("Password", lang), exact=True).fill(password)
        self.press(p.locator("main form").get_by_role("button", name=self.tr("Sign in", lang)))
        expect(p).not_to_have_url(re.compile(r"/login(\?|$)"))
        p.wait_for_load_state()  # styles too: what is visible depends on them

    def switch_language(self):
        """Choose the journey's language with the switch in the navigation (kept on the account).

        English is every account's default, so an English journey keeps it; on a phone the switch
        is behind the menu toggler.
        """
        if self.lang == "en":
            expect(self.page.locator("html")).to_have_attribute("lang", "en")
            return
        nav = self.nav("en")
        if self.page.viewport_size["width"] < NAVBAR_EXPANDS_AT:
            self.press(nav.get_by_role("button", name="Menu", exact=True))
        self.press(nav.get_by_role("button", name=self.app.config["LANGUAGES"][self.lang], exact=True))
        expect(self.page.locator("html")).to_have_attribute("lang", self.lang)
        self.page.wait_for_load_state()  # the new page's scripts too, before anything is clicked on it

    def press(self, locator):
        """Tap on a touch screen, click elsewhere."""
        if self.touch:
            locator.tap()
        else:
            locator.click()


@contextmanager
def journey(browser, base_url, app, lang, **options):
    """A guarded browser context for one journey; fails at the end on anything the guard saw."""
    options = {**DESKTOP, **options}
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    guard = Guard(base_url)
    guard.watch(context)
    try:
        yield Journey(context.new_page(), base_url, lang, app, guard, touch=options.get("has_touch", False))
    except Exception as error:
        if guard.problems:  # the likely cause of the failure: say it first
            raise AssertionError("the browser saw problems:\n" + "\n".join(guard.problems)) from error
        raise
    finally:
        context.close()
    guard.check()
