"""How the API knows its caller: a bearer token, never a cookie.

Requests under /api/ get an empty session that is never saved, so a browser's session
cookie neither signs them in nor comes back from them (and the API needs no CSRF).
flask-login then falls back to its request loader, which reads the bearer token.
"""
from flask.sessions import SecureCookieSessionInterface

from registry.api.tokens import user_for_token
from registry.web.errors import is_api_request


class ApiAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie sessions, except under /api/: there the session is empty and never sent."""

    def open_session(self, app, request):
        if is_api_request(request):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if is_api_request():
            return
        super().save_session(app, session, response)


def user_from_bearer_token(request):
    """flask-login's request loader: the user of the `Authorization: Bearer <token>` header, or None."""
    if not is_api_request(request):
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return user_for_token(token.strip())
