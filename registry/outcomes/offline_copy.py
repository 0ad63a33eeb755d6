"""What an officer's phone keeps for follow-up calls offline: the people due in the next 7 days.

For each open due window, within 7 days or overdue, of a person in the user's provinces who consented to
follow-up contact (the due list's rule): the code, the name and the phone number as the due list shows
them, the training and window it answers, the person's completed trainings (the form's choices) and their
latest follow-up. Nothing more. The phone keeps it in IndexedDB only (docs/offline.md).
"""
from datetime import timedelta

from registry.beneficiaries.phones import display_phone
from registry.outcomes import queries
from registry.outcomes.models import FollowUp, FollowUpDue
from registry.programs.models import Cohort, Enrollment

DAYS = 7


def _completed(people):
    """{beneficiary id: [the completed trainings, latest first, as the form offers them]}."""
    found = {}
    for e in (Enrollment.select(Enrollment, Cohort).join(Cohort)
              .where(Enrollment.beneficiary.in_(people) & (Enrollment.status == "completed"))
              .order_by(Enrollment.ended_on.desc(), Enrollment.id.desc())):
        found.setdefault(e.beneficiary_id, []).append({
            "id": e.id, "label": f"{e.cohort.name} ({e.ended_on.isoformat()})",
            "enrolled_on": e.enrolled_on.isoformat() if e.enrolled_on else None,
            "ended_on": e.ended_on.isoformat()})
    return found


def _latest(people):
    """{beneficiary id: their latest live follow-up, as {on, reached, status}}."""
    found = {}
    for f in (FollowUp.live().where(FollowUp.beneficiary.in_(people))
              .order_by(FollowUp.followed_on.desc(), FollowUp.id.desc())):
        found.setdefault(f.beneficiary_id, {"on": f.followed_on.isoformat(), "reached": f.reached,
                                            "status": f.status})
    return found


def due_copy(today, days=DAYS):
    """The JSON the phone keeps: {"days", "taken_on", "until", "due": [...]}, the signed-in user's provinces only."""
    until = today + timedelta(days=days)
    rows = list(queries.due_list(today=today).where(FollowUpDue.due_on <= until))
    people = sorted({due.enrollment.beneficiary_id for due in rows})
    completed, latest = _completed(people), _latest(people)
    due = []
    for row in rows:
        person = row.enrollment.beneficiary
        due.append({"code": person.code, "name": person.display_name, "phone": person.phone or "",
                    "phone_shown": display_phone(person.phone), "cohort": row.enrollment.cohort.name,
                    "enrollment": row.enrollment_id, "window": row.window_months, "due_on": row.due_on.isoformat(),
                    "last_tried_on": row.last_tried_on.isoformat() if row.last_tried_on else None,
                    "latest": latest.get(person.id), "completed": completed.get(person.id, [])})
    return {"days": days, "taken_on": today.isoformat(), "until": until.isoformat(), "due": due}
