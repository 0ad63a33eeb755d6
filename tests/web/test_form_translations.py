"""WTForms' own messages come from our catalog, in the user's language (registry/web/forms.py).

The Khmer pages themselves are scanned for English in tests/i18n/test_validation_language.py.
"""
import importlib
import pkgutil
from pathlib import Path

import flask_wtf
import pytest
import wtforms
from babel.messages.pofile import read_po
from babel.support import Translations
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length

import registry
from registry.web import forms as web_forms
from registry.web.wtforms_messages import MESSAGES

WTFORMS_CATALOG = Path(wtforms.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "wtforms.po"


def test_every_message_of_wtforms_is_listed_for_our_catalog():
    with WTFORMS_CATALOG.open("rb") as handle:
        theirs = {m.id for m in read_po(handle) if m.id}
    assert theirs <= set(MESSAGES), f"add to registry/web/wtforms_messages.py: {sorted(theirs - set(MESSAGES), key=str)}"


def _forms_of_the_app():
    for info in pkgutil.walk_packages(registry.__path__, "registry."):
        if ".migrations." not in info.name:
            importlib.import_module(info.name)
    found, todo = set(), [wtforms.Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("registry.") and sub not in (web_forms.FlaskForm, web_forms.Form):
                found.add(sub)
    return found


def test_every_form_of_the_app_takes_its_messages_from_our_catalog():
    forms = _forms_of_the_app()
    assert len(forms) >= 25, "too few forms found: are the modules still imported?"
    stray = sorted(f"{f.__module__}.{f.__name__}" for f in forms
                   if not issubclass(f, (web_forms.FlaskForm, web_forms.Form)))
    assert not stray, f"derive these from registry.web.forms (FlaskForm or Form): {stray}"
    assert issubclass(web_forms.FlaskForm, flask_wtf.FlaskForm)


class _Sample(web_forms.Form):
    name = StringField(validators=[InputRequired(), Length(min=3)])
    size = IntegerField()


@pytest.fixture
def pretend_catalog(monkeypatch):
    """A catalog translating two WTForms messages, one with plural forms, as the lead's Khmer will."""
    catalog = Translations()
    catalog._catalog = {"This field is required.": "ត្រូវការ",
                        ("Field must be at least %(min)d character long.", 0): "យ៉ាងតិច %(min)d តួ",
                        ("Field must be at least %(min)d character long.", 1): "យ៉ាងតិច %(min)d តួ",
                        "Not a valid integer value.": "មិនមែនជាចំនួនគត់"}
    catalog.plural = lambda n: int(n != 1)
    monkeypatch.setattr(web_forms, "get_translations", lambda: catalog)


def test_wtforms_messages_are_looked_up_in_the_catalog(app, pretend_catalog):
    with app.test_request_context():
        form = _Sample(MultiDict({"size": "many"}))
        assert not form.validate()
        assert form.name.errors == ["ត្រូវការ"]
        assert form.size.errors == ["មិនមែនជាចំនួនគត់"]
        form = _Sample(MultiDict({"name": "ab"}))
        form.validate()
        assert form.name.errors == ["យ៉ាងតិច 3 តួ"]  # WTForms fills %(min)d in after the catalog


def test_the_language_is_the_one_in_force_when_the_message_is_written(app):
    """Looked up at each message, not when the form is built: the import checks rows in a thread, in the
    language of the user who uploaded them (force_locale)."""
    with app.test_request_context():
        with force_locale("km"):
            khmer = web_forms.TRANSLATIONS.gettext("Save")
        with force_locale("en"):
            english = web_forms.TRANSLATIONS.gettext("Save")
    assert english == "Save" and khmer != "Save" and khmer
