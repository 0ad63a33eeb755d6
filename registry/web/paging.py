"""Paged lists: peewee's PaginatedQuery, counted once, with a page number that cannot break the query."""
from flask import request
from playhouse.flask_utils import PaginatedQuery

MAX_PAGE = 100_000  # beyond any list of ours; a larger number would overflow the SQL OFFSET


def requested_page(name="page"):
    """The ?page= number: 1 unless it is plain ASCII digits from 1 to MAX_PAGE ("²" and 10**20 are not)."""
    raw = request.args.get(name, "")
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_PAGE)) and 1 <= int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


class Pages(PaginatedQuery):
    """A page of a query, and how many rows the whole query has, counted once per request.

    The count can run on a leaner query than the page (counted): the same rows without the
    joins that only add columns to show, which the database would otherwise walk for nothing.
    """

    def __init__(self, query, per_page, counted=None):
        super().__init__(query, per_page, page=requested_page())
        self._counted = query if counted is None else counted

    @property
    def total(self):
        """How many rows the whole list has."""
        if not hasattr(self, "_total"):
            self._total = self._counted.count()
        return self._total

    def get_page_count(self):
        return -(-self.total // self.paginate_by)


def paginated(query, per_page, counted=None):
    """Pages of the query on the requested page; counted, if given, is the same rows without display joins."""
    return Pages(query, per_page, counted)
