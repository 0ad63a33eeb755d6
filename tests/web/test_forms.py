"""Every form of the app is drawn one way (templates/_form.html): a failed save opens with an error summary
whose links lead to the fields, each field is marked with its error, required fields carry a mark.

The forms are found as the accessibility test finds them: every page route that answers a POST with the
form again (tests/test_access_matrix.py), sent empty by an admin, in English and in Khmer.
"""
import pytest

from tests.access_world import page_requests, sign_in
from tests.test_access_matrix import CALLERS as MATRIX_CALLERS
from tests.test_access_matrix import EXPECTED
from tests.test_accessibility import parse

FIELDS = ("input", "select", "textarea")
NOT_ENTERED = ("hidden", "submit", "button")
# Forms whose empty POST is not an error: they are listed with the reason.
NOT_REFUSED_EMPTY = {
    "/sessions/1": "the attendance sheet has no field to refuse: its marks are buttons, a refusal is said in a flash",
    "/follow-ups/new/BR-000001": "without a completed training the page offers no form (the graduate's is checked)",
}
# The button a page with several forms needs to tell which one was sent.
BUTTONS = {"/cohorts/1/enrollments/1": {"status-submit": "y"}}


def form_urls(app, world):
    """The page routes that answer an admin's POST with the form again, with the world's ids."""
    admin = MATRIX_CALLERS.index("admin")
    urls = [url for method, rule, url, _endpoint in page_requests(app, world)
            if method == "POST" and EXPECTED.get(f"POST {rule}", "").split()[admin:admin + 1] == ["200"]]
    return urls + [f"/follow-ups/new/{world['graduate']}"]


def _classes(element):
    return element.attrs.get("class", "").split()


def summary_problems(html):
    """What is wrong with a page's error summary, its links and its marked fields, as readable lines."""
    page = parse(html)
    by_id = {e.attrs["id"]: e for e in page.iter() if "id" in e.attrs}
    summaries = [e for e in page.iter() if "data-error-summary" in e.attrs]
    if not summaries:
        return ["no error summary"]
    summary, found = summaries[0], []
    if summary.attrs.get("role") != "alert" or summary.attrs.get("tabindex") != "-1":
        found.append("the summary is not an alert that can take the focus")
    form = next((a for a in summary.ancestors() if a.tag == "form"), None)
    if form is None:
        return found + ["the summary is outside the form"]
    fields = [f for f in form.iter(*FIELDS) if f.attrs.get("type") not in ("hidden", "submit")]
    if fields and list(form.iter()).index(fields[0]) < list(form.iter()).index(summary):
        found.append("the summary is not at the top of the form")
    linked = set()
    for link in summary.iter("a"):
        target = by_id.get(link.attrs.get("href", "").removeprefix("#"))
        if target is None:
            found.append(f"the link {link.attrs.get('href')!r} leads nowhere")
            continue
        field = target if target.tag in FIELDS else next(target.iter(*FIELDS), None)
        if field is None:
            found.append(f"the link {link.attrs['href']!r} leads to no field")
        linked.add(target.attrs["id"])
    for field in form.iter(*FIELDS):
        if field.attrs.get("aria-invalid") != "true":
            continue
        described = field.attrs.get("aria-describedby", "").split()
        if "is-invalid" not in _classes(field):
            found.append(f"{field.attrs['id']}: aria-invalid but not is-invalid")
        if not any("invalid-feedback" in _classes(by_id[i]) for i in described if i in by_id):
            found.append(f"{field.attrs['id']}: its message is not named by aria-describedby")
        if field.attrs["id"] not in linked:
            found.append(f"{field.attrs['id']}: marked invalid but not linked from the summary")
    if not linked and not summary.iter("li"):
        found.append("the summary lists nothing")
    return found


def _marked(label):
    """The required mark follows the label (outside it, so that the label stays the field's name)."""
    siblings = [e for e in label.parent.children if not isinstance(e, str)]
    after = siblings[siblings.index(label) + 1:siblings.index(label) + 2]
    return bool(after) and "required-mark" in _classes(after[0]) and after[0].attrs.get("aria-hidden") == "true"


def required_mark_problems(html):
    """Required fields whose label has no mark, and forms with required fields but no legend of the mark."""
    page = parse(html)
    labels = {label.attrs.get("for"): label for label in page.iter("label")}
    found = []
    for form in page.iter("form"):
        # A field named only by aria-label (a session's new date beside its row) has no label to carry a mark.
        required = [f for f in form.iter(*FIELDS) if "required" in f.attrs and f.attrs.get("type") != "hidden"
                    and "aria-label" not in f.attrs]
        for field in required:
            label = labels.get(field.attrs.get("id"))
            if label is None or not _marked(label):
                found.append(f"{field.attrs.get('id')}: required, but its label has no mark")
        # A form of one field (a date to admit someone, a file to upload) needs no legend beside its mark.
        names = {f.attrs.get("name") for f in form.iter(*FIELDS) if f.attrs.get("type") not in NOT_ENTERED}
        if required and len(names) > 1 and not any("required-legend" in _classes(e) for e in form.iter("p")):
            found.append(f"a form with required fields ({required[0].attrs.get('id')}, ...) has no legend")
    return found


@pytest.mark.parametrize("language", ("en", "km"))
def test_every_form_sent_empty_opens_with_a_summary_linking_to_each_field(app, client, create_user, access_world,
                                                                          language):
    sign_in(client, create_user, access_world, "admin")
    if language != "en":
        client.post("/language", data={"language": language})
    failures, checked = [], 0
    for url in form_urls(app, access_world):
        if url in NOT_REFUSED_EMPTY:
            continue
        page = client.post(url, data=BUTTONS.get(url, {})).get_data(as_text=True)
        checked += 1
        failures += [f"POST {url}: {problem}" for problem in summary_problems(page)]
    assert checked >= 15, "too few forms were checked: is the access matrix still read?"
    assert not failures, "\n".join(failures)


def test_the_forms_that_are_not_refused_empty_still_exist(app, access_world):
    assert set(NOT_REFUSED_EMPTY) <= set(form_urls(app, access_world))


@pytest.mark.parametrize("language", ("en", "km"))
def test_every_required_field_is_marked_and_every_such_form_explains_the_mark(app, client, create_user, access_world,
                                                                             language):
    sign_in(client, create_user, access_world, "admin")
    if language != "en":
        client.post("/language", data={"language": language})
    urls = [url for method, _rule, url, _endpoint in page_requests(app, access_world) if method == "GET"]
    failures, marked = [], 0
    for url in urls + form_urls(app, access_world):
        response = client.get(url) if url in urls else client.post(url, data={})
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        marked += "required-mark" in html
        failures += [f"{url}: {problem}" for problem in required_mark_problems(html)]
    assert marked >= 10, "too few pages with required fields: are the marks drawn?"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("language", ("en", "km"))
def test_filters_that_are_not_valid_open_with_the_same_summary(client, create_user, access_world, language):
    """A GET form (the audit log's filters) is refused the same way as a saved one."""
    sign_in(client, create_user, access_world, "admin")
    if language != "en":
        client.post("/language", data={"language": language})
    page = client.get("/audit/?date_from=yesterday&date_to=2026-13-45").get_data(as_text=True)
    assert not summary_problems(page)
    assert 'href="#date_from"' in page and 'href="#date_to"' in page
