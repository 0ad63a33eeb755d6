"""Record ids in URLs and query strings stay within the databases' integer range."""
from flask import request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from registry.web.errors import bad_parameter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite refuses beyond 2**63 - 1 with an error, not a 404


def digits_at_most(n):
    """A regular expression of the decimal numbers from 0 to n, e.g. for n=25: \\d{1,1}|[0-1]\\d{1}|2[0-4]|25."""
    digits = str(n)
    parts = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - i - 1
            parts.append(digits[:i] + f"[0-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    return "|".join(parts + [digits])


class RecordIdConverter(IntegerConverter):
    """<int:...> as Flask has it, but a number no table can hold is no match (404), never a database error.

    The bound is in the regular expression too: werkzeug refuses a too large number only after matching
    the path, and then answers 405 instead of 404 when another rule has the same path with other methods.
    """

    regex = digits_at_most(MAX_ID)

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app):
    """Make every <int:...> in the app's routes a bounded record id."""
    app.url_map.converters["int"] = RecordIdConverter


def record_id(text):
    """A record id from a query string: plain ASCII digits within MAX_ID, else None ("²" and 10**20 are not)."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID)) and int(text) <= MAX_ID:
        return int(text)
    return None


def id_arg(name):
    """The record id of a query-string filter (?program=3): None when absent or blank.

    Anything else (10**20, "²", "3x") is refused with a 400 naming the parameter (JSON under /api/):
    a number past 64 bits used to reach SQLite, which refuses it with an error (a 500).
    """
    return _checked_id(name, request.args.get(name, ""))


def id_args(name):
    """The record ids of a repeated query-string filter (?program=3&program=5), each read as id_arg reads one."""
    return [value for value in (_checked_id(name, raw) for raw in request.args.getlist(name)) if value is not None]


def _checked_id(name, raw):
    if not raw.strip():
        return None
    value = record_id(raw)
    if value is None:
        message = _("Give %(name)s as a record number, at most %(max)d.", name=name, max=MAX_ID)
        raise bad_parameter(name, message)
    return value
