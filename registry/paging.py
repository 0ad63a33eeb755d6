"""Paged lists: peewee's PaginatedQuery with a page number that cannot break the query."""
from flask import request
from playhouse.flask_utils import PaginatedQuery

MAX_PAGE = 100_000  # beyond any list of ours; a larger number would overflow the SQL OFFSET


def requested_page(name="page"):
    """The ?page= number: 1 unless it is plain ASCII digits from 1 to MAX_PAGE ("²" and 10**20 are not)."""
    raw = request.args.get(name, "")
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_PAGE)) and 1 <= int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


def paginated(query, per_page):
    """A PaginatedQuery of the query on the requested page."""
    return PaginatedQuery(query, per_page, page=requested_page())
