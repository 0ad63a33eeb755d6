"""Fixtures of the browser tests: the app served on a local port, and Chromium through Playwright."""
import os
from contextlib import contextmanager
from functools import partial
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from registry import create_app
from tests.browser.journey import journey
from tests.conftest import make_test_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items):
    """Mark every test of this folder as a browser test."""
    folder = Path(__file__).parent
    for item in items:
        if folder in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_server(database_url, app):
    """The base URL of the app (CSRF on) served in a thread; `app` empties the tables afterwards."""
    live_app = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True))
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium for the whole run."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class BrowserPage:
    """A Playwright page and the base URL of the live server."""
    page: Page
    base_url: str


@contextmanager
def watched_page(browser, base_url, **options):
    """A fresh page that fails the test on any console error, page error or request to another host."""
    context = browser.new_context(**options)
    page = context.new_page()
    host = urlsplit(base_url).netloc
    errors, foreign = [], []
    page.on("console", lambda msg: errors.append(f"console: {msg.text} ({msg.location['url']})")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("request", lambda req: foreign.append(req.url)
            if not req.url.startswith("data:") and urlsplit(req.url).netloc != host else None)
    yield BrowserPage(page, base_url)
    context.close()
    assert not errors and not foreign, f"browser errors: {errors}; requests to other hosts: {foreign}"


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized page (1280x900), watched."""
    with watched_page(browser, live_server, viewport={"width": 1280, "height": 900}) as watched:
        yield watched


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (390x844) with touch, watched."""
    with watched_page(browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True,
                      has_touch=True) as watched:
        yield watched


@pytest.fixture
def open_journey(browser, live_server, app):
    """open_journey(lang, **context options): a guarded browser context for a role journey (see journey.py)."""
    return partial(journey, browser, live_server, app)
