"""How the API knows its caller: a bearer token, never a cookie.

Requests under /api/ get an empty session that is never saved, so a browser's session
cookie neither signs them in nor comes back from them (and the API needs no CSRF).
flask-login then falls back to its request loader, which reads the bearer token.
"""
from flask import request
from flask.sessions import SecureCookieSessionInterface

from registry.api.tokens import user_for_token

API_PREFIX = "/api/"


def is_api_request():
    """Whether the current request is for the JSON API."""
    return request.path.startswith(API_PREFIX)


class ApiAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie sessions, except under /api/: there the session is empty and never sent."""

    def open_session(self, app, request):
        if request.path.startswith(API_PREFIX):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        from flask import request as current_request

        if current_request.path.startswith(API_PREFIX):
            return
        super().save_session(app, session, response)


def user_from_bearer_token(request):
    """flask-login's request loader: the user of the `Authorization: Bearer <token>` header, or None."""
    if not request.path.startswith(API_PREFIX):
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return user_for_token(token.strip())
