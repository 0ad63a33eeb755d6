"""The API's reading of its input: the JSON body, and a form's errors as a 422 (ApiError lives in registry.web.errors)."""
from flask import request
from flask_babel import gettext as _

from registry.web.errors import ApiError
from registry.web.surrogates import surrogate_path


def invalid(message, field):
    """A 422 naming the field that is wrong."""
    return ApiError(422, message, {field: message})


def json_object():
    """The request's JSON object; 400 when the body is not one, or holds a lone surrogate (naming where)."""
    try:
        body = request.get_json(silent=True) if request.is_json else None
    except RecursionError:  # JSON nested thousands deep: malformed for us, not a crash
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, _("Send a JSON object, with the header Content-Type: application/json."))
    field = surrogate_path(body)
    if field is not None:  # "\ud800" is valid JSON but not text: no database can store it
        message = _("Not valid text: remove the lone surrogate (a \\ud800 to \\udfff escape).")
        raise ApiError(400, _("%(field)s holds a character that is not text.", field=field), {field: message})
    return body


def form_errors(form, names=None):
    """A 422 from a form's errors: each field's first message, under the API's name for the field."""
    names = names or {}
    fields = {names.get(name, name or "body"): str(messages[0]) for name, messages in form.errors.items() if messages}
    return ApiError(422, _("Some fields are not valid: %(fields)s.", fields=", ".join(sorted(fields))), fields)
