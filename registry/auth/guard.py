"""The one guard: a login everywhere, then the role.

Every endpoint requires a signed-in user unless its view is marked @public.
A blueprint states its roles once with guard_blueprint(); a view inside it may
narrow them with @roles_required. The province scope lives in registry.web.scope:
loaders check it so that a user never sees a record outside their provinces.
"""
from functools import wraps

from flask import abort, current_app, jsonify, request
from flask_login import current_user

from registry.extensions import login_manager
from registry.web.errors import is_api_request, wants_json


def public(view):
    """Mark a view as reachable without signing in (the login page, static files)."""
    view.is_public = True
    return view


def _view_is_public():
    if request.endpoint is None:  # 404: let the error handler answer
        return True
    if request.endpoint == "static" or request.endpoint.endswith(".static"):
        return True
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "is_public", False)


def require_login():
    """App-wide before_request: anonymous users go to the login page (401 from the API: no token; 401 in JSON
    for a page's script asking for JSON, with the session left as it was)."""
    if not current_user.is_authenticated and not _view_is_public():
        if is_api_request():
            abort(401)
        if wants_json():
            return jsonify({"error": str(login_manager.login_message)}), 401
        return login_manager.unauthorized()
    return None


def has_role(*roles):
    """Tell whether the signed-in user holds one of the roles."""
    return current_user.is_authenticated and current_user.role in roles


def guard_blueprint(bp, *roles):
    """Allow only the given roles on every route of a blueprint (403 for the others)."""

    @bp.before_request
    def _check_role():
        if current_user.is_authenticated and not has_role(*roles) and not _view_is_public():
            abort(403)

    return bp


def roles_required(*roles):
    """Narrow one view to some roles (403 for the others)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator

