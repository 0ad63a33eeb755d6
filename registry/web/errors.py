"""Errors: a clear page in the user's language, JSON for the API, never a stack trace.

The one place that decides between the two answers is is_api_request(): anything under /api/ reads JSON.
ApiError is the API's answer other than success; code below the API (the input guard, the routing,
the session rules) raises it too when the request is the API's.
"""
from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest

API_PREFIX = "/api/"

MESSAGES = {
    401: (_l("Sign in"), _l("Send a valid API token: Authorization: Bearer <token>. Create one on your account "
                           "page.")),
    400: (_l("Bad request"), _l("The request could not be understood. Go back, reload the page and try again.")),
    403: (_l("Not allowed"), _l("Your account is not allowed to open this page.")),
    404: (_l("Not found"), _l("There is no such page, or it is outside your provinces.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("The file is larger than the registry accepts.")),
    500: (_l("Something went wrong"), _l("The registry could not finish this request and saved nothing of it. "
                                         "Try again; if it happens again, tell your administrator.")),
}
CSRF_MESSAGE = (_l("The form has expired"),
                _l("The page was open too long or the form came from elsewhere. Reload the page and try again."))


def is_api_request(req=None):
    """Whether a request (the current one unless given) is for the JSON API, which reads JSON and never a page."""
    return (req or request).path.startswith(API_PREFIX)


def wants_json(req=None):
    """Whether an error should be answered in JSON: the API's, or a page's script that asks for JSON only (the
    offline sync). Such an answer renders no page, so it never writes the session cookie: a page's script must not
    replace the session of a sign-in form open in another tab (its CSRF token would no longer match)."""
    req = req or request
    return is_api_request(req) or req.accept_mimetypes.best_match(["text/html", "application/json"]) == \
        "application/json"


class ApiError(Exception):
    """An answer other than success: 400 malformed, 403, 404, 409 conflict, 422 invalid."""

    def __init__(self, status, message, fields=None, **extra):
        super().__init__(str(message))
        self.status, self.message, self.fields, self.extra = status, str(message), fields or {}, extra

    def response(self):
        """The error as a JSON response."""
        body = {"error": self.message, "fields": {k: str(v) for k, v in self.fields.items()}, **self.extra}
        return jsonify(body), self.status


class BadParameter(BadRequest):
    """A query parameter that is not what the page reads: 400, and the error page says which and why."""


def bad_parameter(name, message):
    """The 400 for a parameter that cannot be read: JSON naming it for the API, else the page saying why."""
    if is_api_request():
        return ApiError(400, message, {name: message})
    return BadParameter(message)


def error_answer(code):
    """The answer to an HTTP error code: its page, or JSON for the API (for a domain error a view turns into one)."""
    return _render(code, *MESSAGES[code])


def _render(code, title, text):
    if wants_json():  # API clients and scripts read JSON, never a page
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else {}
        return jsonify({"error": str(text)}), code, headers
    return render_template("errors/error.html", code=code, title=title, text=text), code


def init_app(app):
    """Register the error pages, and the JSON answer of an ApiError."""
    app.register_error_handler(ApiError, lambda error: error.response())
    for code, (title, text) in MESSAGES.items():
        app.register_error_handler(code, lambda error, c=code, t=title, x=text: _render(c, t, x))
    app.register_error_handler(CSRFError, lambda error: _render(400, *CSRF_MESSAGE))
    # A query parameter the page cannot read: the page says which one and why.
    app.register_error_handler(BadParameter, lambda error: _render(400, MESSAGES[400][0], error.description))
