"""What an import's page shows of people: the participants it created, and the registered look-alikes.

A user sees the names of people in their provinces; others show as a code only, without a link (their
profile would refuse the user), the rule of the cohort pages (programs/cover.py) applied here too.
"""
from dataclasses import dataclass

from playhouse.flask_utils import PaginatedQuery

from registry.beneficiaries.models import Beneficiary
from registry.web.paging import requested_page

PER_PAGE = 50


@dataclass(frozen=True)
class ShownPerson:
    """A person as this user may see them: the code, and the name and profile link when in their provinces."""

    code: str
    name: str = ""
    covered: bool = False


class ListPages(PaginatedQuery):
    """Pages of a list already in memory (the codes kept in an import's report), for the _pagination macro."""

    def __init__(self, items, per_page):
        self.items, self.paginate_by, self.page_var = items, per_page, "page"
        self.page = min(requested_page(), self.get_page_count())

    def get_page_count(self):
        return max(1, -(-len(self.items) // self.paginate_by))

    def get_object_list(self):
        start = (self.page - 1) * self.paginate_by
        return self.items[start:start + self.paginate_by]


def shown_people(codes, user):
    """{code: ShownPerson} of the registered people among codes (anything else, like "row 3", is left out)."""
    codes = sorted({code for code in codes if code})
    if not codes:
        return {}
    rows = Beneficiary.select(Beneficiary.code, Beneficiary.province, Beneficiary.family_name, Beneficiary.given_name,
                              Beneficiary.family_name_km, Beneficiary.given_name_km).where(Beneficiary.code.in_(codes))
    return {b.code: ShownPerson(b.code, b.display_name, True) if user.in_scope(b.province_id) else ShownPerson(b.code)
            for b in rows}


def created_pages(report):
    """Pages of the codes of the participants an import created, in row order."""
    return ListPages(report.get("created", []), PER_PAGE)


def duplicate_codes(report, limit):
    """The codes of the registered people named as likely duplicates in the report's first `limit` rows."""
    return [match["ref"] for row in report.get("duplicates", [])[:limit] for match in row["matches"]]


def ready_rows(report, include_duplicates=False):
    """How many rows the import would write: new people and corrections, and the look-alikes when asked."""
    ready = report.get("new", 0) + report.get("updates", 0)
    return ready + (report.get("with_duplicates", 0) if include_duplicates else 0)
