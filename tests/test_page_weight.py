"""Pages stay light on a slow connection: under 300 KB with all their assets on a first visit, assets cached.

Each page people open most is fetched as a browser with an empty cache would (asking for compressed
answers), with every stylesheet, script, preload, icon and image it links and every file its stylesheets
reference; the bytes that would cross the wire (headers and bodies, compressed where the app compresses)
are added up. Assets must be cached by the browser; pages must not be stored, and are never compressed
(see registry.extensions: BREACH).
"""
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import brotli
import pytest

from registry.programs.models import Cohort
from tests.access_world import TODAY, sign_in

BUDGET = 300_000  # bytes per page on a first visit, its assets included
LONG_MAX_AGE = 7 * 24 * 3600  # a week at least: a slow connection pays for an asset once
BROWSER = {"Accept-Encoding": "gzip, br"}
LIST_PAGE = 50  # the participant list shows 50 a page: fill one
CLASS_SIZE = 25  # a full cohort (the makers' capacity)
# (who opens it, the page): sign-in, home per role, the participant list, registration, a profile, a cohort,
# an attendance session, a follow-up and the report.
PAGES = [
    ("anonymous", "/login"),
    ("admin", "/"), ("officer", "/"), ("trainer", "/"), ("manager", "/"),
    ("officer", "/beneficiaries/"), ("officer", "/beneficiaries/new"), ("officer", "/beneficiaries/{code}"),
    ("officer", "/cohorts/1"), ("trainer", "/sessions/1"), ("officer", "/follow-ups/new/{graduate}"),
    ("manager", "/reports/"),
]
LINKED_RELS = {"stylesheet", "preload", "modulepreload", "icon", "apple-touch-icon", "manifest"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
FILES = Path(__file__).resolve().parent.parent / "static"


class _Links(HTMLParser):
    """The URLs of the assets an HTML page makes a browser fetch, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []
        self.preloaded = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rels = set((attrs.get("rel") or "").lower().split())
        if tag == "link" and rels & LINKED_RELS and attrs.get("href"):
            self.urls.append(attrs["href"])
            if "preload" in rels:
                self.preloaded.append(attrs["href"])
        elif tag in ("script", "img", "source") and attrs.get("src"):
            self.urls.append(attrs["src"])


def _transferred(response):
    """Bytes on the wire: status line, headers and body as sent."""
    head = len(f"HTTP/1.1 {response.status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in response.headers) + 2
    return head + len(response.get_data())


def _max_age(response):
    """The answer's max-age in seconds, 0 when it has none."""
    return response.cache_control.max_age or 0


def _weigh(client, url):
    """(bytes of the page and of every asset it pulls in, the problems found on the way)."""
    page = client.get(url, headers=BROWSER)
    assert page.status_code == 200 and page.mimetype == "text/html", f"GET {url}: {page.status}"
    problems = []
    if page.headers.get("Cache-Control") != "no-store":
        problems.append(f"{url}: page Cache-Control {page.headers.get('Cache-Control')!r}, not no-store")
    if "Content-Encoding" in page.headers:
        problems.append(f"{url}: page compressed ({page.headers['Content-Encoding']})")
    links = _Links()
    links.feed(page.get_data(as_text=True))
    queue = [urljoin(url, u) for u in links.urls]
    seen, total, fonts = set(), _transferred(page), []
    while queue:
        asset_url = queue.pop(0)
        if asset_url.startswith("data:") or asset_url in seen:
            continue
        seen.add(asset_url)
        asset = client.get(asset_url, headers=BROWSER)
        total += _transferred(asset)
        directives = asset.headers.get("Cache-Control", "")
        if asset.status_code != 200:
            problems.append(f"{asset_url}: {asset.status}")
        elif _max_age(asset) < LONG_MAX_AGE or "no-store" in directives:
            problems.append(f"{asset_url}: Cache-Control {directives!r}, not cached for a week")
        elif "no-cache" in directives:
            problems.append(f"{asset_url}: Cache-Control {directives!r}: asked again (revalidated) on every page")
        if asset.mimetype == "text/css":
            body = asset.get_data()
            if asset.headers.get("Content-Encoding") == "br":
                body = brotli.decompress(body)
            for found in CSS_URL.finditer(body.decode("utf-8")):
                referenced = urljoin(asset_url, found.group(1) or found.group(2))
                queue.append(referenced)
                if referenced.endswith((".woff2", ".woff", ".ttf")):
                    fonts.append(referenced)
    preloaded = {urljoin(url, u) for u in links.preloaded}
    problems += [f"{url}: font {f} is not the preloaded one: fetched twice" for f in fonts if f not in preloaded]
    return total, problems


@pytest.fixture
def busy_world(app, access_world, create_beneficiary, enroll):
    """The access world with a full page of participants (Khmer names too) and a full cohort 1."""
    with app.app_context():
        cohort = Cohort.get_by_id(1)
    for n in range(LIST_PAGE - 2):
        person = create_beneficiary(given_name=f"Sreymom{n}", family_name="Chhun", given_name_km="ស្រីមុំ",
                                    family_name_km="ឈុន", phone=f"+8551200{n:04d}")
        if n < CLASS_SIZE - 2:
            enroll(cohort, person, on=TODAY - timedelta(days=40))
    return access_world


@pytest.mark.parametrize("language", ("en", "km"))
def test_no_page_weighs_over_300_kb_on_a_first_visit(app, create_user, busy_world, language):
    weights, problems = {}, []
    for caller, page in PAGES:
        client = app.test_client()  # an empty cache, a new session
        sign_in(client, create_user, busy_world, caller)
        assert client.post("/language", data={"language": language}).status_code == 302
        url = page.format(**busy_world)
        weight, found = _weigh(client, url)
        weights[f"{caller} {url}"] = weight
        problems += found
    heaviest = max(weights, key=weights.get)
    assert weights[heaviest] < BUDGET, f"heaviest in {language}: {heaviest}, {weights[heaviest]:,} B; all: {weights}"
    assert not problems, sorted(set(problems))


def test_static_text_is_compressed_and_pages_and_json_are_not(client, auth):
    css = client.get("/bootstrap/static/css/bootstrap.min.css", headers=BROWSER)
    assert css.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in css.headers["Vary"]
    assert "Content-Security-Policy" in css.headers and css.headers["X-Content-Type-Options"] == "nosniff"
    assert len(css.get_data()) < 40_000 < len(brotli.decompress(css.get_data()))
    ours = client.get("/static/css/registry.css", headers=BROWSER)
    assert brotli.decompress(ours.get_data()) == (FILES / "css" / "registry.css").read_bytes()

    auth.login_as("officer")
    for url in ("/", "/beneficiaries/", "/api/v1/openapi.json"):
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response.headers, url


def test_a_compressed_asset_revalidates_with_304(client):
    for url in ("/bootstrap/static/css/bootstrap.min.css", "/static/css/registry.css"):
        first = client.get(url, headers=BROWSER)
        again = client.get(url, headers={**BROWSER, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, url
        assert again.get_data() == b""


def test_the_khmer_font_is_a_small_woff2_that_still_shapes_khmer():
    from fontTools.ttLib import TTFont  # a development tool (tools/subset_khmer_font.py), not a runtime one

    path = FILES / "fonts" / "noto-sans-khmer.woff2"
    font = TTFont(path)
    assert font.flavor == "woff2" and path.stat().st_size < 50_000
    assert [(a.axisTag, a.minValue, a.maxValue) for a in font["fvar"].axes] == [("wght", 400, 700)]
    khmer = {*range(0x1780, 0x17DE), *range(0x17E0, 0x17EA), *range(0x17F0, 0x17FA), *range(0x19E0, 0x1A00),
             0x200B, 0x200C, 0x200D, 0x25CC}
    assert khmer <= set(font.getBestCmap())
    # The features Khmer shaping applies: subscript consonants (coeng), split and above/below vowels, marks.
    gsub = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    gpos = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
    assert {"pref", "blwf", "abvf", "pstf", "pres", "abvs", "blws", "psts", "clig", "liga"} <= gsub
    assert {"abvm", "blwm", "dist", "kern", "mark"} <= gpos
    assert "SIL Open Font License" in (FILES / "fonts" / "OFL.txt").read_text(encoding="utf-8")
