"""Time helpers: timestamps are stored in UTC and shown in the office's time zone; calendar arithmetic on days."""
import calendar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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


def office_zone(name):
    """The office's time zone from its IANA name ("Asia/Phnom_Penh").

    :raise ValueError: the name is not a time zone this machine knows.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"OFFICE_TIMEZONE={name!r} is not a known time zone (e.g. Asia/Phnom_Penh).") from None


def in_office_time(at, zone):
    """A stored (naive UTC) timestamp as the office's wall-clock time, aware of its zone."""
    return at.replace(tzinfo=timezone.utc).astimezone(zone)


def utc_bounds(first_day, last_day, zone):
    """The UTC instants [start, end) of the office days first_day to last_day, both included, naive as stored.

    Either day may be None (no bound); a day at the edge of the calendar (1 January of year 1, 31 December
    9999) leaves that side open rather than overflow.
    """
    def utc_midnight(day):
        try:
            return datetime.combine(day, time.min, zone).astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:
            return None

    start = utc_midnight(first_day) if first_day else None
    end = utc_midnight(last_day + timedelta(days=1)) if last_day and last_day < date.max else None
    return start, end


def zone_label(zone, at):
    """The zone as people recognise it, its name and its offset at a (UTC) time: "Asia/Phnom_Penh (UTC+07:00)"."""
    offset = in_office_time(at, zone).strftime("%z")
    return f"{zone.key} (UTC{offset[:3]}:{offset[3:]})"
