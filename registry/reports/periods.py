"""Report periods: fiscal-year quarters, fiscal years, the life of the project, or any date range."""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from registry.reference.models import Setting
from registry.timeutil import add_months

LIFE_START = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """An inclusive date range with the label a donor reads."""

    start: date
    end: date
    label: str


def first_month():
    """The fiscal year's first month (10: the US government year, October to September)."""
    return int(Setting.get_value("fiscal_year_first_month", "10"))


def fiscal_year_start(year, month=None):
    """The first day of fiscal year `year` (FY2026 starts on 1 October 2025 when the first month is October)."""
    month = month or first_month()
    return date(year - 1 if month > 1 else year, month, 1)


def fiscal_quarter(year, quarter, month=None):
    """Quarter 1-4 of a fiscal year as a Period."""
    start = add_months(fiscal_year_start(year, month), 3 * (quarter - 1))
    return Period(start, add_months(start, 3) - timedelta(days=1), f"FY{year} Q{quarter}")


def fiscal_year(year, month=None):
    """A whole fiscal year as a Period."""
    start = fiscal_year_start(year, month)
    return Period(start, add_months(start, 12) - timedelta(days=1), f"FY{year}")


def fiscal_year_of(day, month=None):
    """The fiscal year a day falls in."""
    month = month or first_month()
    return day.year + 1 if month > 1 and day.month >= month else day.year


def parse_period(text, start=None, end=None, today=None):
    """A Period from "FY2026-Q2", "FY2026", "life", or a custom start and end; raise ValueError."""
    text = (text or "").strip().upper().replace(" ", "")
    if match := re.fullmatch(r"FY(\d{4})-?Q([1-4])", text):
        return fiscal_quarter(int(match[1]), int(match[2]))
    if match := re.fullmatch(r"FY(\d{4})", text):
        return fiscal_year(int(match[1]))
    if text == "LIFE":
        return Period(LIFE_START, today or date.today(), _("Life of the project"))
    if start and end:
        if end < start:
            raise ValueError(_("The period ends before it starts."))
        return Period(start, end, f"{start.isoformat()} – {end.isoformat()}")
    raise ValueError(_("Choose a period: a fiscal-year quarter, a fiscal year, the life of the project or two dates."))
