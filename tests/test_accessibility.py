"""Every page can be read with a screen reader: headings, labels, names, language, errors, and contrast.

Each page route is opened by every caller that can see it, in English and in Khmer, and its HTML is
checked: one <h1> and no skipped heading level; every field has a label; every image, button and link
has a name; the page says its language; a form's error messages sit with their field. The app's own
colours are checked for contrast. (Keyboard use is checked in the browser journeys.)
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import flask_bootstrap
import pytest

from tests.access_world import page_requests, sign_in
from tests.test_access_matrix import CALLERS as MATRIX_CALLERS
from tests.test_access_matrix import EXPECTED

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "registry.css"
CALLERS = ("anonymous", "admin", "officer", "trainer", "manager")  # one of each kind of page the roles see
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


class Element:
    """A node of the parsed page: tag, attributes, children (elements and text)."""

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def iter(self, *tags):
        """This element's descendants, in document order, filtered by tag."""
        for child in self.children:
            if isinstance(child, Element):
                if not tags or child.tag in tags:
                    yield child
                yield from child.iter(*tags)

    def text(self):
        """The text a screen reader reads inside: alt of images too, nothing aria-hidden."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.attrs.get("aria-hidden") != "true":
                parts.append(child.attrs.get("alt", "") if child.tag == "img" else child.text())
        return " ".join(" ".join(parts).split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        open_tags = [self.current, *self.current.ancestors()]
        if any(e.tag == tag for e in open_tags):  # a stray end tag is ignored, as a browser would
            while self.current.tag != tag:
                self.current = self.current.parent
            self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    """The page as an Element tree."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _name_from_ids(ids, by_id):
    return " ".join(by_id[i].text() for i in ids.split() if i in by_id).strip()


def _accessible_name(element, by_id):
    attrs = element.attrs
    return (_name_from_ids(attrs.get("aria-labelledby", ""), by_id) or attrs.get("aria-label", "").strip()
            or element.text() or attrs.get("title", "").strip())


def problems(html):
    """What a screen-reader user would miss on the page, as readable lines."""
    page = parse(html)
    found = []
    by_id = {}
    # A <template>'s content is not in the document until a script copies it (the offline page holds the
    # follow-up form in each language, and keeps one): its ids cannot clash with the page's, nor with each other.
    inert = {id(element) for template in page.iter("template") for element in template.iter()}
    for element in page.iter():
        if "id" in element.attrs:
            if id(element) in inert:
                by_id.setdefault(element.attrs["id"], element)
                continue
            if element.attrs["id"] in by_id:
                found.append(f"two elements have the id {element.attrs['id']!r}")
            by_id[element.attrs["id"]] = element
    html_element = next(page.iter("html"), None)
    if html_element is None or not html_element.attrs.get("lang"):
        found.append("<html> has no lang")
    found += _heading_problems(page)
    found += _field_problems(page, by_id)
    found += _name_problems(page, by_id)
    found += _error_problems(page, by_id)
    return found


def _heading_problems(page):
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    found = [] if levels.count(1) == 1 else [f"{levels.count(1)} <h1> (one expected)"]
    for before, after in zip([0] + levels, levels):
        if after > before + 1:
            found.append(f"heading level skipped: h{before} then h{after}" if before else f"first heading is h{after}")
    return found


def _field_problems(page, by_id):
    label_text = {}
    for label in page.iter("label"):
        if label.attrs.get("for"):
            label_text[label.attrs["for"]] = label_text.get(label.attrs["for"], "") + label.text()
    found = []
    for field in page.iter("input", "select", "textarea"):
        attrs = field.attrs
        if field.tag == "input" and attrs.get("type", "text") in NOT_FIELDS:
            continue
        named = (label_text.get(attrs.get("id")) or any(a.tag == "label" and a.text() for a in field.ancestors())
                 or attrs.get("aria-label", "").strip() or _name_from_ids(attrs.get("aria-labelledby", ""), by_id))
        if not named:
            found.append(f"<{field.tag} name={attrs.get('name')!r} id={attrs.get('id')!r}> has no label")
    return found


def _name_problems(page, by_id):
    found = []
    for image in page.iter("img"):
        if "alt" not in image.attrs:
            found.append(f"<img src={image.attrs.get('src')!r}> has no alt")
    for svg in page.iter("svg"):
        if svg.attrs.get("role") == "img" and not (_accessible_name(svg, by_id) or any(svg.iter("title"))):
            found.append("<svg role=img> has no name (aria-label or <title>)")
    for button in page.iter("button"):
        if not _accessible_name(button, by_id):
            found.append(f"<button> has no name: {button.attrs}")
    for field in page.iter("input"):
        if field.attrs.get("type") in ("submit", "button", "reset") and not (
                field.attrs.get("value", "").strip() or _accessible_name(field, by_id)):
            found.append(f"<input type={field.attrs['type']}> has no value or label")
    for link in page.iter("a"):
        if "href" in link.attrs and not _accessible_name(link, by_id):
            found.append(f"<a href={link.attrs['href']!r}> has no name")
    return found


def _error_problems(page, by_id):
    """An error message is read with its field: described by it, or in the field's own group."""
    # A field, or the fieldset of a group of checkboxes, names the message that describes it.
    described = {i for field in page.iter("input", "select", "textarea", "fieldset")
                 for i in field.attrs.get("aria-describedby", "").split()}
    found = []
    for message in page.iter():
        if "invalid-feedback" not in message.attrs.get("class", "").split():
            continue
        if message.attrs.get("id") in described:
            continue
        # The group of one field (or of the radios of one question): the message's parent holds that field only.
        fields = {f.attrs.get("name") for f in message.parent.iter("input", "select", "textarea")
                  if f.attrs.get("type") != "hidden"}
        if len(fields) != 1:
            found.append(f"error {message.text()!r} is neither in a field's group nor named by aria-describedby")
    return found


# -- the pages ---------------------------------------------------------------------------------------

def _switch_language(client, language):
    if language != "en":
        assert client.post("/language", data={"language": language}).status_code == 302


def _extra_pages(world):
    """Pages that show more with a query or another record than the route's sample URL does."""
    return [f"/beneficiaries/{world['code']}/merge?other={world['graduate']}", f"/follow-ups/new/{world['graduate']}",
            f"/beneficiaries/{world['graduate']}",  # a timeline with a follow-up to correct or delete
            "/beneficiaries/?q=Sok", "/reports/people?indicator=CUSTOM-1", "/cohorts/1/signin?session=1",
            "/api/v1/docs"]


# Parts of a page that a script puts into it (the results as one types): checked inside the page they fill.
FRAGMENTS = {"beneficiaries.search"}


def _check_pages(client, urls, language):
    failures, checked = [], 0
    for url, response in ((url, client.get(url)) for url in urls):
        if response.status_code in (301, 302, 303) or response.mimetype != "text/html":
            continue
        checked += 1
        html = response.get_data(as_text=True)
        failures += [f"GET {url}: {problem}" for problem in problems(html)]
        # A screen reader reads Khmer with a Khmer voice. The API's pages use no session, so they follow
        # the browser's language rather than the account's (and say so in lang).
        if not url.startswith("/api/") and f'<html lang="{language}">' not in html:
            failures.append(f"GET {url}: <html> does not say lang={language!r}")
    return checked, failures


@pytest.mark.parametrize("language", ("en", "km"))
@pytest.mark.parametrize("caller", CALLERS)
def test_every_page_is_readable_with_a_screen_reader(app, client, create_user, access_world, caller, language):
    sign_in(client, create_user, access_world, caller)
    _switch_language(client, language)
    urls = [url for method, _rule, url, endpoint in page_requests(app, access_world)
            if method == "GET" and endpoint not in FRAGMENTS]
    checked, failures = _check_pages(client, urls + _extra_pages(access_world), language)
    assert checked >= (1 if caller == "anonymous" else 5), "too few pages were checked: is the world there?"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("language", ("en", "km"))
def test_forms_with_errors_keep_each_message_with_its_field(app, client, create_user, access_world, language):
    """Every form sent empty (the pages that answer a POST with the form again) shows readable errors."""
    sign_in(client, create_user, access_world, "admin")
    _switch_language(client, language)
    admin = MATRIX_CALLERS.index("admin")
    forms = [url for method, rule, url, _endpoint in page_requests(app, access_world)
             if method == "POST" and EXPECTED.get(f"POST {rule}", "").split()[admin:admin + 1] == ["200"]]
    forms.append(f"/follow-ups/new/{access_world['graduate']}")
    failures, with_errors = [], 0
    for url in forms:
        page = client.post(url, data={}).get_data(as_text=True)
        with_errors += "invalid-feedback" in page
        failures += [f"POST {url}: {problem}" for problem in problems(page)]
    assert with_errors >= 5, "too few forms showed errors: are the forms still checked on the server?"
    assert not failures, "\n".join(failures)


# -- contrast ----------------------------------------------------------------------------------------
# The pairs of text and background colour the templates put together, each named by the CSS rule and
# custom property that sets it. The colours are read from Bootstrap's own stylesheet (the one the app
# serves) and then from the app's, whose rules win, so that a Bootstrap upgrade or an app override is
# checked too. WCAG 2 AA: 4.5:1 for normal text.

# The Bootstrap stylesheet the app serves (BOOTSTRAP_SERVE_LOCAL), from the package that serves it.
BOOTSTRAP_CSS = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css" / "bootstrap.min.css"
PAGE = (":root", "--bs-body-bg")
PAIRS = [  # (where the templates use it, (rule, property) of the text, (rule, property) of the background)
    ("body text", (":root", "--bs-body-color"), PAGE),
    ("text-body-secondary", (":root", "--bs-secondary-color"), PAGE),
    ("links and btn-link", (":root", "--bs-link-color"), PAGE),
    ("navigation links (base.html: nav-link text-white)", (".text-white", "color"), (":root", "--bs-primary")),
    ("navigation brand", (".navbar-dark", "--bs-navbar-brand-color"), (":root", "--bs-primary")),
    # The other language's button in the navigation is a btn-primary (with a light border): below.
    ("current language in the navigation", (".btn-light", "--bs-btn-color"), (".btn-light", "--bs-btn-bg")),
    *[(f"btn-{k}", (f".btn-{k}", "--bs-btn-color"), (f".btn-{k}", "--bs-btn-bg"))
      for k in ("primary", "secondary", "success", "danger", "warning")],
    *[(f"btn-outline-{k}", (f".btn-outline-{k}", "--bs-btn-color"), PAGE)
      for k in ("primary", "secondary", "success", "danger")],
    # The attendance marks (attendance/session.html) use the warning and info outlines too.
    *[(f"attendance mark btn-outline-{k}", (f".attendance .btn-outline-{k}", "--bs-btn-color"), PAGE)
      for k in ("success", "warning", "info", "danger")],
    *[(f"alert-{k}", (f".alert-{k}", "--bs-alert-color"), (f".alert-{k}", "--bs-alert-bg"))
      for k in ("info", "success", "warning", "danger", "secondary")],
    *[(f"text-bg-{k} badges", (f".text-bg-{k}", "color"), (f".text-bg-{k}", "background-color"))
      for k in ("secondary", "warning", "danger")],
    *[(f"attendance grid {k}", (":root", "--bs-body-color"), (f".grid .mark-{k}", "background"))
      for k in ("present", "late", "absent", "excused")],
]


def _rules(css):
    """[(selector, {property: value})] in file order; the light theme's :root only."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {k.strip(): v.replace("!important", "").strip()
                        for k, v in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)}
        for selector in selectors.split(","):
            rules.append((" ".join(selector.split()), declarations))
    return rules


class Stylesheets:
    """Bootstrap's rules, then the app's: a property of the app wins over Bootstrap's."""

    def __init__(self, *texts):
        self.rules = [rule for text in texts for rule in _rules(text)]
        root = [d for sel, d in self.rules if sel == "[data-bs-theme=light]"]
        self.root = {k: v for d in root for k, v in d.items()}

    def value(self, selector, prop):
        """The last value the property gets in a rule for exactly this selector (or its last part)."""
        if selector == ":root":
            return self.root[prop]
        found = [d[prop] for sel, d in self.rules if prop in d and sel == selector]
        if not found and " " in selector:  # .attendance .btn-outline-info: Bootstrap's own .btn-outline-info
            return self.value(selector.rsplit(" ", 1)[1], prop)
        assert found, f"no {prop} for {selector} in the stylesheets"
        return found[-1]

    def colour(self, value):
        """(r, g, b, alpha) of a CSS colour, resolving var() from :root."""
        value = re.sub(r"var\((--[\w-]+)(?:,[^)]*)?\)", lambda m: self.root.get(m.group(1), "1"), value).strip()
        if value.startswith("var(") or value in self.root:
            return self.colour(self.root[value])
        if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5)) + (1.0,)
        if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
            return tuple(int(c * 2, 16) for c in value[1:]) + (1.0,)
        numbers = [float(n) for n in re.findall(r"[\d.]+", value)]
        assert value.lower().startswith("rgb") and len(numbers) in (3, 4), f"cannot read the colour {value!r}"
        return (*numbers[:3], numbers[3] if len(numbers) == 4 else 1.0)


def _over(colour, background):
    """A colour with transparency as seen over an opaque background."""
    *rgb, alpha = colour
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, background[:3]))


def _luminance(rgb):
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    """The WCAG contrast ratio of two colours, (r, g, b[, alpha]); the background is opaque."""
    background = tuple(background[:3])
    lighter, darker = sorted((_luminance(_over((*foreground[:3], (foreground + (1.0,))[3]), background)),
                              _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_on_the_apps_colours_has_enough_contrast():
    sheets = Stylesheets(BOOTSTRAP_CSS.read_text("utf-8"), CSS.read_text("utf-8"))
    page = sheets.colour(sheets.value(*PAGE))
    weak = []
    for where, text, background in PAIRS:
        behind = _over(sheets.colour(sheets.value(*background)), page)
        ratio = contrast(sheets.colour(sheets.value(*text)), behind)
        if ratio < 4.5:
            weak.append(f"{where}: {ratio:.2f}:1")
    assert not weak, "text below 4.5:1 against its background:\n" + "\n".join(weak)


def test_contrast_is_computed_as_wcag_says():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((0x77, 0x77, 0x77), (255, 255, 255)), 2) == 4.48
    assert round(contrast((0, 0, 0, 0.5), (255, 255, 255)), 2) == round(contrast((127.5,) * 3, (255, 255, 255)), 2)


# -- the checker itself ------------------------------------------------------------------------------

def test_the_checker_finds_what_a_screen_reader_user_would_miss():
    html = """<html><body><h2>Late title</h2><h1>One</h1><h1>Two</h1><h4>Deep</h4>
      <input name="q"><label for="a">Name</label><input id="a" name="a"><input type="hidden" name="h">
      <label>Phone <input name="p"></label><select name="s" aria-label="Sort"></select>
      <img src="x.png"><button type="submit"></button><button aria-label="Close">×</button>
      <a href="/x"></a><a href="/y"><img src="y.png" alt="Home"></a>
      <div class="mb-3"><input id="b" name="b"><div class="invalid-feedback">Required</div></div>
      <div class="invalid-feedback">Stray</div></body></html>"""
    assert problems(html) == [
        "<html> has no lang", "2 <h1> (one expected)", "first heading is h2", "heading level skipped: h1 then h4",
        "<input name='q' id=None> has no label", "<input name='b' id='b'> has no label",
        "<img src='x.png'> has no alt", "<button> has no name: {'type': 'submit'}", "<a href='/x'> has no name",
        "error 'Stray' is neither in a field's group nor named by aria-describedby"]
