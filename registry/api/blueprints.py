"""What every API blueprint shares: the /api/v1 prefix, the roles it allows, no CSRF, JSON lists."""
from flask import Blueprint, request
from flask_babel import gettext as _

from registry.api.fields import Field
from registry.auth.guard import guard_blueprint
from registry.extensions import csrf
from registry.web.errors import ApiError

MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 50


def api_blueprint(name, *roles):
    """A blueprint under /api/v1 for some roles; bearer tokens stand in for CSRF tokens."""
    bp = guard_blueprint(Blueprint(name, __name__, url_prefix="/api/v1"), *roles)
    csrf.exempt(bp)
    return bp


def int_arg(name, default, low, high):
    """An integer query parameter within bounds; 400 naming it otherwise."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))) or not low <= int(raw) <= high:
        message = _("Give %(name)s as a whole number from %(low)d to %(high)d.", name=name, low=low, high=high)
        raise ApiError(400, message, {name: message})
    return int(raw)


def text_arg(name, max_length=200):
    """A text query parameter ("" when absent); 400 when too long or holding control characters."""
    value = request.args.get(name, "")
    problem = Field("string", max_length=max_length).problem(value)
    if problem is None and len(value) > max_length:
        problem = _("At most %(num)d characters.", num=max_length)
    if problem:
        raise ApiError(400, problem, {name: problem})
    return value


def page_of(query, serialize):
    """A list answer: {"items", "total", "page", "per_page"} for the page asked with ?page=&per_page=."""
    page = int_arg("page", 1, 1, 10**6)
    per_page = int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    rows = list(query.paginate(page, per_page))
    return {"items": serialize(rows), "total": query.count(), "page": page, "per_page": per_page}
