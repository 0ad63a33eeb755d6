"""Refuse a NUL character in a request's path, query or form.

No page or API needs one, and PostgreSQL refuses it in text.

Without this, a NUL in a search box, a code in a URL or a form field would reach a query and end
in a database error (a 500) on PostgreSQL only. The forms refuse other control characters field by field.
"""
from flask import abort, request
from flask_babel import gettext as _

from registry.web.errors import ApiError, is_api_request


def _field_with_nul(values):
    """The name of the first parameter whose name or value holds a NUL, or None."""
    return next((key for key, items in values.lists() if "\x00" in key or any("\x00" in v for v in items)), None)


def refuse_nul():
    """before_request: 400 for NUL in the path, the query string or the form (the API names the parameter).

    An uploaded file's name may hold one: the uploads keep only its printable characters.
    """
    field = "path" if "\x00" in request.path else _field_with_nul(request.args) or _field_with_nul(request.form)
    if field is None:
        return
    if is_api_request():
        message = _("Remove the control characters.")
        raise ApiError(400, message, {field.replace("\x00", ""): message})
    abort(400)
