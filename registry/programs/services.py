"""Programs, cohorts and their schedules: each change one transaction with its audit event."""
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from registry.audit.services import changed_fields, record_event
from registry.auth.models import TRAINER, User
from registry.db import database
from registry.programs.models import Cohort, CohortTrainer, Program, TrainingSession


class TrainingError(ValueError):
    """A change the training rules do not allow; the message says why, and `field` names the input at fault."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _plain(record, names):
    return {n: str(v) if isinstance(v, (Decimal, date)) else v
            for n, v in ((n, getattr(record, n + "_id" if n in ("program", "province") else n)) for n in names)}


PROGRAM_FIELDS = ("name", "sector", "donor_award", "min_attendance", "assessment_required", "active")
COHORT_FIELDS = ("program", "name", "venue", "province", "start_on", "end_on", "capacity")


def save_program(program, values, user):
    """Create (program None) or change a program; audited with the changed fields."""
    creating = program is None
    program = program or Program()
    if Program.select().where((Program.name == values["name"]) & (Program.id != (program.id or 0))).exists():
        raise TrainingError(_l("A program with this name exists."))
    before = {} if creating else _plain(program, PROGRAM_FIELDS)
    for name in PROGRAM_FIELDS:
        if name in values:
            setattr(program, name, values[name])
    with database.atomic():
        program.save()
        changes = changed_fields(before, _plain(program, PROGRAM_FIELDS))
        if changes:
            record_event("program.create" if creating else "program.update", obj=program, user=user, detail=changes)
    return program


def _check_cohort(values):
    if values["end_on"] < values["start_on"]:
        raise TrainingError(_l("The cohort cannot end before it starts."))
    if values["capacity"] < 1:
        raise TrainingError(_l("The capacity must be at least 1."))


def save_cohort(cohort, values, trainer_ids, user):
    """Create (cohort None) or change a cohort and its trainers; audited with the changed fields."""
    _check_cohort(values)
    creating = cohort is None
    cohort = cohort or Cohort(created_by=user)
    before = {} if creating else {**_plain(cohort, COHORT_FIELDS), "trainers": trainer_usernames(cohort)}
    if not creating and values["start_on"] > cohort.start_on or not creating and values["end_on"] < cohort.end_on:
        outside = cohort.sessions.where(~TrainingSession.held_on.between(values["start_on"], values["end_on"]))
        if outside.exists():
            raise TrainingError(_l("Some sessions fall outside the new dates: move or cancel them first."))
    for name in COHORT_FIELDS:
        setattr(cohort, name, values[name])
    with database.atomic():
        cohort.save()
        _set_trainers(cohort, trainer_ids)
        changes = changed_fields(before, {**_plain(cohort, COHORT_FIELDS), "trainers": trainer_usernames(cohort)})
        if changes:
            record_event("cohort.create" if creating else "cohort.update", obj=cohort, user=user, detail=changes)
    return cohort


def _set_trainers(cohort, trainer_ids):
    trainers = list(User.select(User.id).where(User.id.in_(list(trainer_ids) or [0]) & (User.role == TRAINER))
                    .order_by(User.id))  # rows written in one order (the cohort's row, saved first, is held)
    CohortTrainer.delete().where(CohortTrainer.cohort == cohort).execute()
    if trainers:
        CohortTrainer.insert_many([(cohort.id, t.id) for t in trainers],
                                  fields=[CohortTrainer.cohort, CohortTrainer.trainer]).execute()


def trainer_usernames(cohort):
    """The usernames of a cohort's trainers, sorted."""
    query = User.select(User.username).join(CohortTrainer).where(CohortTrainer.cohort == cohort)
    return ",".join(sorted(u.username for u in query))


def schedule_dates(start_on, end_on, weekdays, holidays=()):
    """The dates between two days (inclusive) falling on the weekdays (0=Monday), minus holidays."""
    days = (start_on + timedelta(days=n) for n in range((end_on - start_on).days + 1))
    return [d for d in days if d.weekday() in set(weekdays) and d not in set(holidays)]


def generate_sessions(cohort, weekdays, hours, holidays, user):
    """Add a session on each scheduled day that has none yet; return the days added."""
    taken = {s.held_on for s in cohort.sessions}
    days = [d for d in schedule_dates(cohort.start_on, cohort.end_on, weekdays, holidays) if d not in taken]
    if not days:
        return []
    with database.atomic():
        TrainingSession.insert_many([(cohort.id, d, hours) for d in days],
                                    fields=[TrainingSession.cohort, TrainingSession.held_on,
                                            TrainingSession.hours]).execute()
        record_event("cohort.schedule", obj=cohort, user=user,
                     detail={"added": [d.isoformat() for d in days], "hours": str(hours)})
    return days


def _check_day(cohort, day):
    if not cohort.start_on <= day <= cohort.end_on:
        raise TrainingError(_l("The session must fall between the cohort's start and end dates."))


def add_session(cohort, day, hours, user):
    """Add one session to a cohort."""
    _check_day(cohort, day)
    with database.atomic():
        session = TrainingSession.create(cohort=cohort, held_on=day, hours=hours)
        record_event("session.add", obj=session, user=user, detail={"cohort": cohort.id, "on": day})
    return session


def move_session(session, day, hours, user):
    """Move a session to another day (and length); its marks move with it."""
    _check_day(session.cohort, day)
    with database.atomic():
        before = {"on": str(session.held_on), "hours": str(session.hours)}
        session.held_on, session.hours = day, hours
        session.save()
        record_event("session.move", obj=session, user=user,
                     detail=changed_fields(before, {"on": str(day), "hours": str(hours)}))
    return session


def cancel_session(session, cancelled, user):
    """Cancel (or restore) a session: a cancelled session does not count in attendance rates."""
    with database.atomic():
        TrainingSession.update(cancelled=cancelled).where(TrainingSession.id == session.id).execute()
        session.cancelled = cancelled
        record_event("session.cancel" if cancelled else "session.restore", obj=session, user=user)
    return session
