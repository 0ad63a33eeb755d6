"""Error pages: a clear page in the user's language, never a stack trace."""
from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from registry.web.routing import BadParameter

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


def _render(code, title, text):
    if request.path.startswith("/api/"):  # API clients read JSON, never a page
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else {}
        return jsonify({"error": str(text)}), code, headers
    return render_template("errors/error.html", code=code, title=title, text=text), code


def init_app(app):
    """Register the error pages."""
    for code, (title, text) in MESSAGES.items():
        app.register_error_handler(code, lambda error, c=code, t=title, x=text: _render(c, t, x))
    app.register_error_handler(CSRFError, lambda error: _render(400, *CSRF_MESSAGE))
    # A query parameter the page cannot read: the page says which one and why.
    app.register_error_handler(BadParameter, lambda error: _render(400, MESSAGES[400][0], error.description))
