"""Forms every feature shares, and the base classes that give WTForms' own messages the user's language.

Every form of the app derives from `FlaskForm` (or, for a GET form without CSRF, `Form`) from here rather
than from flask-wtf or WTForms: their built-in messages ("This field is required.", "Not a valid date
value.") then come from our own catalog, where registry/web/wtforms_messages.py lists them for translation.
flask-wtf's own catalogs have no Khmer, and would not follow `force_locale` (the import's thread).
"""
import flask_wtf
import wtforms
from flask_babel import get_translations
from wtforms import SubmitField


class _CatalogTranslations:
    """WTForms' translations interface, answered by flask-babel's catalog for the current locale.

    Looked up at each message, not when the form is built, so a form made before `force_locale` follows it.
    ngettext goes to the catalog itself: flask-babel's ngettext would %-format the text with `num`, and
    WTForms formats its messages (%(min)d, %(max)d) afterwards.
    """

    def gettext(self, string):
        """The message in the user's language."""
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        """The singular or plural message for n, in the user's language."""
        return get_translations().ngettext(singular, plural, n)


TRANSLATIONS = _CatalogTranslations()


class _TranslatedMeta:
    def get_translations(self, form):
        """Our catalog, for every message WTForms writes itself."""
        return TRANSLATIONS


class FlaskForm(flask_wtf.FlaskForm):
    """flask-wtf's form (CSRF, request data), its built-in messages in the user's language."""

    class Meta(_TranslatedMeta):
        pass


class Form(wtforms.Form):
    """A plain WTForms form (a GET filter, no CSRF), its built-in messages in the user's language."""

    class Meta(_TranslatedMeta):
        pass


class ConfirmForm(FlaskForm):
    """An empty form: a button whose POST carries the CSRF token."""

    submit = SubmitField()
