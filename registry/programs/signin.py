"""Sign-in sheets: a cohort's people by session dates, as a workbook or a page; recording a checked sheet.

A filled-in sheet is checked whole before anything is written: every problem is reported by
row and column, and the marks of all its sessions are then recorded in one transaction.
"""
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import fn

from exports.signin_sheet import build_signin_sheet
from registry.audit.services import record_event
from registry.beneficiaries.models import Beneficiary
from registry.db import database
from registry.i18n import N_
# The very rule record_attendance applies, so that a sheet that passes the check also saves.
from registry.programs.attendance import is_open_on, record_attendance
from registry.programs.cover import person_of
from registry.programs.models import Enrollment, TrainingSession
from registry.programs.services import TrainingError

MAX_BYTES = 2 * 1024 * 1024  # a cohort's sheet is a few kilobytes
MAX_ROWS = 1000
# read_rows takes the first non-empty row as the headers; the sheet we write puts them in row 1.
HEADER_ROW = 1
HEADERS = {"code": N_("Code"), "name": N_("Name"), "name_km": N_("Name (Khmer)"), "signature": N_("Signature")}


@dataclass
class SheetPerson:
    """One row of a sheet; `closed` holds the sheet's dates on which the person was not enrolled."""

    code: str
    name: str
    name_km: str
    closed: frozenset


@dataclass
class SigninSheet:
    """What a sign-in sheet shows: its title, its sessions (columns) and its people (rows)."""

    title: str
    sessions: list
    people: list

    @property
    def dates(self):
        """The session dates, in column order."""
        return [s.held_on for s in self.sessions]


def sheet_sessions(cohort, session=None):
    """The sessions a sheet has columns for: the one given, or all the cohort's sessions not cancelled."""
    if session is not None:
        return [session]
    return list(cohort.sessions.where(~TrainingSession.cancelled).order_by(TrainingSession.held_on,
                                                                             TrainingSession.id))


def signin_sheet(cohort, session=None, *, viewer):
    """The sheet of one session or the whole cohort: people admitted and enrolled on one of its dates.

    A person of a province the viewer does not cover is on it by code only (cover.person_of).
    """
    sessions = sheet_sessions(cohort, session)
    days = [s.held_on for s in sessions]
    people = []
    for enrollment in _listed(cohort):
        closed = frozenset(day for day in days if not is_open_on(enrollment, day))
        if days and len(closed) == len(set(days)):
            continue  # enrolled after the last of these sessions, or left before the first
        person = person_of(enrollment.beneficiary, viewer)
        people.append(SheetPerson(person.code, person.name_latin, person.name_km, closed))
    return SigninSheet(_title(cohort, session), sessions, people)


def _listed(cohort):
    b = Beneficiary
    return (Enrollment.admitted().select_extend(b).join(b)
            .where(Enrollment.cohort == cohort)
            .order_by(fn.LOWER(b.family_name), fn.LOWER(b.given_name), b.family_name_km, b.given_name_km, b.code))


def _title(cohort, session):
    when = session.held_on.isoformat() if session else f"{cohort.start_on.isoformat()} – {cohort.end_on.isoformat()}"
    return " · ".join(p for p in (cohort.program.name, cohort.name, cohort.venue, when) if p)


def column_headers():
    """The sheet's column titles in the user's language."""
    return {key: _(text) for key, text in HEADERS.items()}


def mark_legend():
    """The marks a cell may hold, one line each, in the user's language."""
    return [_("P = present"), _("L = late"), _("E = excused"), _("A = absent"),
            _("A tick (✓) or 1 also means present; 0 means absent. A cross (x) is not read: it means different things to different people.")]


def _instructions():
    return [_("Write one mark for each person and session in the date columns. Leave a cell blank when you do "
              "not know: a blank cell changes nothing."),
            _("A grey cell is a session the person was not enrolled for: leave it blank."),
            _("Do not change the codes or the dates in the first row: they tell the registry who was there and "
              "when."),
            _("Upload the filled-in sheet on the cohort's sign-in page. It is checked first: while a cell is "
              "wrong, nothing is saved, and the problems are listed by row and column.")]


def signin_workbook(cohort, session=None, *, viewer):
    """The sign-in sheet of a session or the whole cohort, as .xlsx bytes, as the viewer may see it."""
    return sheet_workbook(signin_sheet(cohort, session, viewer=viewer))


def sheet_workbook(sheet):
    """A SigninSheet as .xlsx bytes, with the headers, legend and instructions in the user's language."""
    out = io.BytesIO()
    build_signin_sheet(out, sheet.title, [(p.code, p.name, p.name_km) for p in sheet.people], sheet.dates,
                       column_headers(), mark_legend(), instructions=_instructions(),
                       sheet_names=(_("Sign-in sheet"), _("Instructions")),
                       closed={(p.code, day) for p in sheet.people for day in p.closed})
    return out.getvalue()


def record_signin_sheet(cohort, marks_by_session, user, today=None):
    """Record the marks of a checked sheet, every session in one transaction; return the number of marks.

    :raise TrainingError: a session of another cohort, or what record_attendance refuses (nothing is then saved).
    """
    marks_by_id = {session.id: marks for session, marks in marks_by_session.items() if marks}
    count = sum(len(marks) for marks in marks_by_id.values())
    if not count:
        return 0
    with database.atomic():
        # Read again inside the transaction: a session cancelled since the check must refuse its marks.
        sessions = list(TrainingSession.select().where(TrainingSession.id.in_(sorted(marks_by_id)))
                        .order_by(TrainingSession.held_on, TrainingSession.id))
        if len(sessions) != len(marks_by_id) or any(s.cohort_id != cohort.id for s in sessions):
            raise TrainingError(_l("These marks are for another cohort's sessions."))
        for session in sessions:
            record_attendance(session, marks_by_id[session.id], user, today=today)
        record_event("attendance.signin_upload", obj=cohort, user=user,
                     detail={"sessions": [s.held_on.isoformat() for s in sessions], "marks": count})
    return count
