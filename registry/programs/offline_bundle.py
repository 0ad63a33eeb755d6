"""What a trainer's phone keeps for taking attendance offline: their sessions of the next 14 days.

Each session's id, date and cohort name, and its roster as the session page shows it (the code and
the display name; the code only for a person the user does not cover), nothing more: no marks, no
phone numbers, no other details. The phone keeps it in IndexedDB only (docs/offline.md).
"""
from datetime import timedelta

from registry.programs.cover import person_of
from registry.programs.models import Cohort, CohortTrainer, TrainingSession
from registry.programs.queries import session_roster

DAYS = 14


def trainer_sessions(user, today, days=DAYS):
    """The sessions, not cancelled, of the cohorts the trainer teaches, from today for `days` days (a query)."""
    return (TrainingSession.select(TrainingSession, Cohort).join(Cohort).join(CohortTrainer)
            .where((CohortTrainer.trainer == user.id) & ~TrainingSession.cancelled
                   & (TrainingSession.held_on >= today) & (TrainingSession.held_on < today + timedelta(days=days)))
            .order_by(TrainingSession.held_on, Cohort.name, TrainingSession.id))


def offline_bundle(user, today, days=DAYS):
    """The JSON the phone keeps: {"days", "sessions": [{"id", "held_on", "cohort", "roster": [{"code", "name"}]}]}."""
    sessions = []
    for session in trainer_sessions(user, today, days):
        roster = []
        for row in session_roster(session):
            person = person_of(row.enrollment.beneficiary, user)
            roster.append({"code": person.code, "name": person.name})
        sessions.append({"id": session.id, "held_on": session.held_on.isoformat(), "cohort": session.cohort.name,
                         "roster": roster})
    return {"days": days, "sessions": sessions}
