"""Dates and numbers read in the user's language: through Babel (flask-babel's format_date and filters),
never strftime or str(), which would show English month names and a fixed order to a Khmer reader."""
import re
from datetime import date, timezone
from zoneinfo import ZoneInfo
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date, format_datetime

from registry.auth.models import User
from registry.outcomes.currency import set_rate
from tests.makers import START

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# ISO dates that a machine reads, not a person: a date input's value, and the printed sign-in sheet's
# date columns, which match the workbook's so that the filled-in sheet is typed back without doubt.
ISO_ALLOWED = re.compile(r'(value|datetime)="\{\{[^}]*isoformat\(\)[^}]*\}\}"'
                         r'|<th scope="col" class="signin-date">\{\{ day\.isoformat\(\) \}\}</th>')


# {{ cohort.start_on }}: a date or time printed with str(), as 2026-03-02 whatever the language.
RAW_DATE = re.compile(r"\{\{\s*[\w.]+(_on|_at|_date)\s*\}\}")


def test_templates_format_dates_through_babel():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if "strftime(" in line or "isoformat()" in ISO_ALLOWED.sub("", line) or RAW_DATE.search(line):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    assert not found, "use format_date(...) or |datetimeformat, not strftime/isoformat:\n" + "\n".join(found)


def test_cohort_page_shows_dates_and_hours_in_khmer(client, auth, create_cohort):
    cohort = create_cohort(days=[START])
    auth.login_as("officer", language="km")
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert format_date(START, "medium", locale="km") in page  # 2 មីនា 2026
    assert format_date(START, "full", locale="km") in page
    assert "3 ម៉ោង" in page
    assert format_date(START, "medium", locale="en") not in page and "Mar" not in page


def test_cohort_page_shows_dates_in_english_for_an_english_reader(client, auth, create_cohort):
    cohort = create_cohort(days=[START])
    auth.login_as("officer")
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert format_date(START, "medium", locale="en") in page and "3 h" in page


def test_times_of_the_user_list_are_in_khmer(app, client, auth):
    admin = auth.login_as("admin", language="km")
    page = client.get("/users/").get_data(as_text=True)
    with app.app_context():
        last_login = User.get_by_id(admin.id).last_login_at
    # Shown in the office's time zone (Asia/Phnom_Penh by default), as every time on the pages.
    shown = format_datetime(last_login.replace(tzinfo=timezone.utc), "medium", tzinfo=ZoneInfo("Asia/Phnom_Penh"),
                            locale="km")
    assert shown in page


def test_exchange_rates_show_the_month_and_the_number_in_khmer(app, client, auth):
    admin = auth.login_as("admin", language="km")
    with app.app_context():
        set_rate(date(2026, 3, 1), Decimal("4020"), User.get_by_id(admin.id))
    page = client.get("/follow-ups/rates").get_data(as_text=True)
    assert format_date(date(2026, 3, 1), "MMMM y", locale="km") in page  # មីនា 2026
    assert "4,020" in page and "4,100" in page  # the month's rate and the default
