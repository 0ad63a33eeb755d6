"""Refuse a NUL character in a request's path, query or form.

No page or API needs one, and PostgreSQL refuses it in text.

Without this, a NUL in a search box, a code in a URL or a form field would reach a query and end
in a database error (a 500) on PostgreSQL only. The forms refuse other control characters field by field.
"""
from flask import abort, request


def _holds_nul(values):
    return any("\x00" in key or any("\x00" in value for value in items) for key, items in values.lists())


def refuse_nul():
    """before_request: 400 for NUL in the path, the query string or the form.

    An uploaded file's name may hold one: the uploads keep only its printable characters.
    """
    if "\x00" in request.path or _holds_nul(request.args) or _holds_nul(request.form):
        abort(400)
