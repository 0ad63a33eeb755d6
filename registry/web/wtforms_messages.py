"""The messages WTForms and flask-wtf write themselves, listed so that the extractor puts them in our catalog.

Nothing here is called at run time: the forms of registry.web.forms look these texts up in our catalog
when WTForms writes them. tests/web/test_form_translations.py checks that this list keeps up with
WTForms' own (its French catalog lists every message it has).
"""
from registry import i18n

N_ = i18n.N_


def ngettext(singular, plural, n):
    """Mark a message with a plural form for extraction, without translating it here."""
    return singular, plural


MESSAGES = (
    # wtforms/validators.py
    N_("Invalid field name '%s'."),
    N_("Field must be equal to %(other_name)s."),
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 1),
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 1),
    ngettext("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long.", 1),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid IP address."),
    N_("Invalid Mac address."),
    N_("Invalid URL."),
    N_("Invalid UUID."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    # wtforms/csrf (the app's CSRFProtect answers first, but a form's own check uses these)
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    # wtforms/fields
    N_("Invalid Choice: could not coerce."),
    N_("Choices cannot be None."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 1),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid week value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    # flask_wtf/file.py (its size message is built with an f-string: it cannot be translated)
    N_("File does not have an approved extension."),
    N_("File does not have an approved extension: {extensions}"),
)
