"""The office's time zone: stored UTC times shown in it, its days turned into UTC bounds, a bad setting refused."""
from datetime import date, datetime

import pytest
from flask_babel import format_date, format_datetime

from registry import config, create_app
from registry.timeutil import in_office_time, office_zone, utc_bounds, zone_label
from tests.conftest import make_test_config

PHNOM_PENH = office_zone("Asia/Phnom_Penh")


def test_a_utc_evening_is_the_next_day_in_phnom_penh():
    shown = in_office_time(datetime(2026, 3, 1, 20, 0), PHNOM_PENH)
    assert (shown.date(), shown.hour) == (date(2026, 3, 2), 3)


def test_an_office_day_is_its_utc_bounds():
    assert utc_bounds(date(2026, 3, 1), date(2026, 3, 2), PHNOM_PENH) == (
        datetime(2026, 2, 28, 17, 0), datetime(2026, 3, 2, 17, 0))
    assert utc_bounds(None, None, PHNOM_PENH) == (None, None)


def test_the_edges_of_the_calendar_leave_the_bound_open():
    assert utc_bounds(date.min, date.max, PHNOM_PENH) == (None, None)
    assert utc_bounds(date.min, date(9999, 12, 30), PHNOM_PENH) == (None, datetime(9999, 12, 30, 17, 0))


def test_the_zone_is_named_with_its_offset():
    assert zone_label(PHNOM_PENH, datetime(2026, 3, 1)) == "Asia/Phnom_Penh (UTC+07:00)"


def test_the_default_office_is_phnom_penh_and_the_environment_can_change_it(monkeypatch, tmp_path):
    monkeypatch.delenv("OFFICE_TIMEZONE", raising=False)
    assert config.from_environment(tmp_path)["OFFICE_TIMEZONE"] == "Asia/Phnom_Penh"
    monkeypatch.setenv("OFFICE_TIMEZONE", "Asia/Bangkok")
    assert config.from_environment(tmp_path)["OFFICE_TIMEZONE"] == "Asia/Bangkok"


def test_an_unknown_zone_stops_the_app_with_a_clear_message(database_url):
    with pytest.raises(ValueError, match="OFFICE_TIMEZONE='Mars/Olympus' is not a known time zone"):
        create_app(make_test_config(database_url, OFFICE_TIMEZONE="Mars/Olympus"))


def test_every_formatted_time_of_the_app_is_in_the_office_zone(app):
    """The pages format times with flask-babel's filters (datetimeformat, format_date): they follow the setting."""
    with app.test_request_context():
        assert format_datetime(datetime(2026, 3, 1, 20, 0), "yyyy-MM-dd HH:mm") == "2026-03-02 03:00"
        assert format_date(datetime(2026, 3, 1, 20, 0), "yyyy-MM-dd") == "2026-03-02"
        assert format_date(date(2026, 3, 1), "yyyy-MM-dd") == "2026-03-01"  # a day stays that day
