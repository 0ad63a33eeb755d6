"""URL converters: record ids in URLs stay within the databases' integer range."""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite refuses beyond 2**63 - 1 with an error, not a 404


class RecordIdConverter(IntegerConverter):
    """<int:...> as Flask has it, but a number no table can hold is no match (404), never a database error."""

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
