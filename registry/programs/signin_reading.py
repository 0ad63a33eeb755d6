"""Reading a filled-in sign-in sheet back: every cell checked, every problem named by row and column."""
import re
import unicodedata
from collections import defaultdict
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from exports.reading import UploadError, parse_date, read_rows
from registry.beneficiaries.models import Beneficiary
from registry.programs.attendance import is_open_on
from registry.programs.cover import covers
from registry.programs.models import Enrollment
from registry.programs.signin import HEADER_ROW, HEADERS, MAX_BYTES, MAX_ROWS

PRESENT, LATE, EXCUSED, ABSENT = "present", "late", "excused", "absent"
# Marks as people write them, compared without case or spaces. A cross is not taken: on paper it
# means "here" to some and "absent" to others, so the check asks for a clear mark instead.
MARK_WORDS = {
    "p": PRESENT, "present": PRESENT, "1": PRESENT, "✓": PRESENT, "✔": PRESENT, "√": PRESENT,
    "មក": PRESENT, "វត្តមាន": PRESENT,
    "l": LATE, "late": LATE, "យឺត": LATE,
    "e": EXCUSED, "excused": EXCUSED, "សុំច្បាប់": EXCUSED,
    "a": ABSENT, "absent": ABSENT, "0": ABSENT, "អវត្តមាន": ABSENT,
}
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
# A cohort's filled-in sheet unpacks to a few megabytes at most (500 people, 150 sessions):
# more is not a sign-in sheet, and would take the request a long time to parse.
MAX_UNCOMPRESSED = 20 * 1024 * 1024


def read_signin_sheet(cohort, data, user, today=None):
    """Check a filled-in sheet; return ({session: {enrollment id: mark}}, [(row, column, message)]).

    Nothing is written. Blank cells are left out, so they change nothing.
    :param user: the uploader; the view has already checked that they may take this cohort's attendance.
        Marks for a person of a province they do not cover are refused (their attendance is read-only for them).
    :raise UploadError: the file cannot be read, or has no code column.
    """
    code_header, date_headers, rows = _read(data)
    errors = []
    columns = _check_columns(cohort, date_headers, rows, today or date.today(), errors)
    codes = {_code(record.get(code_header)) for _number, record in rows} - {""}
    by_code = _enrollments_by_code(cohort, codes)
    marks, seen = defaultdict(dict), {}
    for number, record in rows:
        filled = {h: record[h] for h in date_headers if record.get(h) is not None}
        enrollment = _row_enrollment(number, code_header, _code(record.get(code_header)), filled, by_code, seen,
                                     errors)
        if enrollment is not None and not covers(user, enrollment.beneficiary.province_id):
            if filled:  # a blank row of a read-only person changes nothing: no reason to complain
                errors.append((number, code_header, _("%(code)s lives in a province outside yours: their attendance "
                                                      "is read-only for you.", code=enrollment.beneficiary.code)))
        elif enrollment is not None:
            _read_marks(number, enrollment, filled, columns, marks, errors)
    order = {header: index for index, header in enumerate([code_header] + date_headers)}
    errors.sort(key=lambda error: (error[0], order.get(error[1], 0)))
    return dict(marks), errors


def _read(data):
    """(code header, date headers, rows): every column that is not one of ours is taken for a date."""
    aliases = _aliases()
    limits = {"max_rows": MAX_ROWS, "max_bytes": MAX_BYTES, "max_uncompressed": MAX_UNCOMPRESSED}
    headers, rows = read_rows(data, [], list(aliases), **limits)
    others = [h for h in headers if h not in aliases]
    if others:  # read again, so that the rows hold these columns too
        headers, rows = read_rows(data, [], list(aliases) + others, **limits)
    code_header = next((h for h in headers if aliases.get(h) == "code"), None)
    if code_header is None:
        raise UploadError("missing_columns", columns=[_(HEADERS["code"])])
    return code_header, [h for h in headers if h not in aliases], rows


def _aliases():
    """{column title: key} in every language: a sheet downloaded in Khmer may be uploaded in English."""
    aliases = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            for key, text in HEADERS.items():
                aliases.setdefault(_(text), key)
    return aliases


def _check_columns(cohort, headers, rows, today, errors):
    """{date header: its session, or None when the column cannot take marks}; the reasons go to errors."""
    sessions = defaultdict(list)
    for session in cohort.sessions:
        sessions[session.held_on].append(session)
    columns, seen = {}, set()
    for header in headers:
        has_marks = any(record.get(header) is not None for _number, record in rows)
        session, problem = _column_session(cohort, header, sessions, seen, today, has_marks)
        columns[header] = session
        if problem:
            errors.append((HEADER_ROW, header, str(problem)))
    return columns


def _column_session(cohort, header, sessions, seen, today, has_marks):
    """(the session of a date column, None) or (None, why its cells cannot be recorded)."""
    try:
        day = _header_date(header)
    except ValueError:
        return None, _("This column is neither a date (such as 2026-03-02) nor a column of the sign-in sheet.")
    if day in seen:
        return None, _("Another column has the same date.")
    seen.add(day)
    if not cohort.start_on <= day <= cohort.end_on:
        return None, _("This date is outside the cohort's dates (%(start)s to %(end)s).",
                       start=cohort.start_on.isoformat(), end=cohort.end_on.isoformat())
    held = [s for s in sessions.get(day, []) if not s.cancelled]
    if not held:
        if sessions.get(day) and not has_marks:
            return None, None  # cancelled since the sheet was printed, and left blank: nothing to say
        return None, (_("The session on this date is cancelled.") if sessions.get(day)
                      else _("This cohort has no session on this date."))
    if len(held) > 1:
        return None, _("This cohort has two sessions on this date: record them on each session's attendance page.")
    if has_marks and day > today:
        return None, _("This session has not taken place yet.")
    return held[0], None


def _header_date(text):
    """The date a column title stands for: ISO or day-first text, or a date cell read as text."""
    try:
        return parse_date(text)
    except ValueError:
        moment = datetime.fromisoformat(text)  # a date typed over the title: "2026-03-02 00:00:00"
        if moment.time() != datetime.min.time():
            raise ValueError(f"Not a date: {text!r}") from None
        return moment.date()


def _code(value):
    return "" if value is None else str(value).strip().upper()


def _enrollments_by_code(cohort, codes):
    """{code: enrollment} of the cohort; the old code of a participant merged since the sheet was printed too."""
    by_code = {e.beneficiary.code: e for e in Enrollment.select(Enrollment, Beneficiary).join(Beneficiary)
               .where(Enrollment.cohort == cohort)}
    for code in sorted(codes - by_code.keys()):
        survivor = _survivor(code)
        if survivor is not None and survivor.code in by_code:
            by_code[code] = by_code[survivor.code]
    return by_code


def _survivor(code, hops=5):
    """The record a merged code now lives in (merges can chain), or None."""
    record = Beneficiary.get_or_none(Beneficiary.code == code)
    while record is not None and record.status == "merged" and record.merged_into_id and hops:
        record, hops = Beneficiary.get_or_none(Beneficiary.id == record.merged_into_id), hops - 1
    return record if record is not None and record.status != "merged" else None


def _row_enrollment(number, code_header, code, filled, by_code, seen, errors):
    """The enrollment of a row, or None with the reason added to errors (a row with no code nor marks is skipped)."""
    if not code:
        if filled:
            errors.append((number, code_header, _("The code is missing: only people enrolled in this cohort can "
                                                  "be marked.")))
        return None
    enrollment = by_code.get(code)
    if enrollment is None:
        # The same words for a code that does not exist and one of another cohort: nothing leaks.
        errors.append((number, code_header, _("No participant with this code is enrolled in this cohort.")))
        return None
    if enrollment.enrolled_on is None:
        errors.append((number, code_header, _("This participant is on this cohort's waitlist, not admitted: only "
                                              "admitted people can be marked.") if enrollment.status == "waitlisted"
                       else _("This participant left this cohort's waitlist without being admitted: only admitted "
                              "people can be marked.")))
        return None
    if enrollment.id in seen:
        errors.append((number, code_header, _("This participant is also on row %(row)d.", row=seen[enrollment.id])))
        return None
    seen[enrollment.id] = number
    return enrollment


def _read_marks(number, enrollment, filled, columns, marks, errors):
    """Add a row's marks to `marks`, or the reason a cell cannot be recorded to errors."""
    for header, value in filled.items():
        mark, session = read_mark(value), columns.get(header)
        if mark is None:
            errors.append((number, header, _("Write P, L, E or A (present, late, excused, absent), or leave the "
                                             "cell blank.")))
        elif session is None:
            continue  # the column's problem is reported once, on the header row
        elif not is_open_on(enrollment, session.held_on):
            errors.append((number, header, _("This person was not enrolled in this cohort on this date.")))
        else:
            marks[session][enrollment.id] = mark


def read_mark(value):
    """The mark a cell holds (present, late, excused or absent), or None when it is not one."""
    if isinstance(value, bool):
        return None  # TRUE/FALSE say nothing about lateness or an excuse
    if isinstance(value, (int, float)):
        return {1: PRESENT, 0: ABSENT}.get(value)
    if isinstance(value, str):
        return MARK_WORDS.get(_INVISIBLE.sub("", unicodedata.normalize("NFC", value)).casefold())
    return None
