"""Time helpers: timestamps are stored in UTC."""
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
