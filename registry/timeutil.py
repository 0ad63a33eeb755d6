"""Time helpers: timestamps are stored in UTC; calendar arithmetic on days."""
import calendar
from datetime import datetime, timezone


def utcnow():
    """The current UTC time as a naive datetime, the form stored in the database."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def add_years(day, years):
    """The same day `years` later (or earlier when negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day, months):
    """The same day `months` later; past the end of a shorter month, its last day (31 Aug + 6 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))
