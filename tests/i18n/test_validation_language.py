"""Validation messages follow the user's language: a Khmer user's refused form or import check has no English.

Every form that answers a POST with the form again is sent empty (and the registration with values that are
not numbers or dates) by a Khmer admin, and each message (under a field and in the error summary) is scanned
for English words; so is the report of an import checked for a Khmer officer. WTForms' own messages come
from our catalog (registry/web/forms.py, the messages listed in registry/web/wtforms_messages.py).
"""
import io
import json
import re

import pytest

from registry.beneficiaries.models import ImportJob
from tests.access_world import sign_in
from tests.beneficiaries.sheets import person, sheet
from tests.conftest import PASSWORD, make_test_config
from tests.test_accessibility import parse
from tests.web.test_forms import BUTTONS, NOT_REFUSED_EMPTY, form_urls

ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}")  # two Latin words in a row: a code or a unit is one


def _messages(html):
    """The error messages of a page: under the fields and in the error summary."""
    for element in parse(html).iter():
        classes = element.attrs.get("class", "").split()
        if "invalid-feedback" in classes or "data-error-summary" in element.attrs:
            yield element.text()


def _english(texts):
    return sorted({text for text in texts if ENGLISH.search(text)})


def test_a_khmer_users_refused_forms_say_everything_in_khmer(app, client, create_user, access_world):
    sign_in(client, create_user, access_world, "admin")
    client.post("/language", data={"language": "km"})
    posts = [(url, BUTTONS.get(url, {})) for url in form_urls(app, access_world) if url not in NOT_REFUSED_EMPTY]
    posts.append(("/beneficiaries/new", {"date_of_birth": "soon", "birth_year": "old", "household_size": "many",
                                         "baseline_monthly_income": "lots", "sex": "x"}))
    failures, seen = [], 0
    for url, data in posts:
        texts = list(_messages(client.post(url, data=data).get_data(as_text=True)))
        seen += len(texts)
        failures += [f"POST {url}: {text}" for text in _english(texts)]
    assert seen >= 20, "too few messages were seen: are the forms still refused?"
    assert not failures, "English in a Khmer page:\n" + "\n".join(failures)


def test_a_khmer_users_import_check_reports_in_khmer(database_url, app, create_user):
    from registry import create_app

    create_user("officer", provinces={"02"}, username="importer", language="km")
    client = create_app(make_test_config(database_url, IMPORT_INLINE=True)).test_client()
    client.post("/login", data={"username": "importer", "password": PASSWORD})
    rows = [person(**{"Sex": None}), person(**{"Birth year (estimated)": "old", "Date of birth": None}),
            person(**{"Province": None}), person(**{"Category": None})]
    response = client.post("/beneficiaries/import/", data={"file": (io.BytesIO(sheet(*rows)), "people.xlsx")},
                           content_type="multipart/form-data")
    job = ImportJob.get_by_id(int(response.location.rsplit("/", 1)[1]))
    messages = [error["message"] for error in json.loads(job.report)["errors"]]
    assert len(messages) >= 4, job.report
    assert not _english(messages), "English in a Khmer import check:\n" + "\n".join(_english(messages))
