"""/api/v1/programs, /cohorts and their sessions: what is offered, where and when."""
from decimal import Decimal

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from registry.api.blueprints import api_blueprint, page_of
from registry.api.errors import form_errors, invalid, json_object
from registry.api.fields import Field, checked, formdata_for
from registry.auth.guard import roles_required
from registry.auth.models import ADMIN, MANAGER, OFFICER, TRAINER, User
from registry.programs import services
from registry.programs.access import get_cohort_or_404, visible_cohorts
from registry.programs.forms import CohortForm, ProgramForm, SessionForm
from registry.programs.models import Cohort, CohortTrainer, Program, TrainingSession
from registry.reference.models import Province
from registry.web.errors import ApiError

bp = api_blueprint("api_programs", ADMIN, OFFICER, MANAGER, TRAINER)

PROGRAM_FIELDS = {
    "name": Field("string", max_length=120, nullable=False),
    "sector": Field("string", max_length=80),
    "donor_award": Field("string", max_length=120),
    "min_attendance": Field("number", minimum=0, maximum=1, nullable=False,
                            description="The share of sessions to attend to complete, e.g. 0.8."),
    "assessment_required": Field("boolean", nullable=False),
    "active": Field("boolean", nullable=False),
}
COHORT_FIELDS = {
    "program": Field("integer", nullable=False, description="The program's id."),
    "name": Field("string", max_length=120, nullable=False),
    "venue": Field("string", max_length=200),
    "province": Field("string", max_length=2, nullable=False, description="The province's code, e.g. 02."),
    "start_on": Field("date", nullable=False),
    "end_on": Field("date", nullable=False),
    "capacity": Field("integer", nullable=False),
    "trainers": Field("array", nullable=False, description="The trainers' usernames."),
}
SESSION_FIELDS = {"date": Field("date", nullable=False), "hours": Field("number", nullable=False)}


def program_json(program):
    """A program and its completion rule."""
    return {"id": program.id, "name": program.name, "sector": program.sector or None,
            "donor_award": program.donor_award or None, "min_attendance": float(program.min_attendance),
            "assessment_required": program.assessment_required, "active": program.active}


def session_json(session):
    """A training session."""
    return {"id": session.id, "cohort": session.cohort_id, "date": session.held_on.isoformat(),
            "hours": float(session.hours), "cancelled": session.cancelled}


def cohorts_json(cohorts, trainers=None):
    """Cohorts with their trainers' usernames (read for all of them at once)."""
    if trainers is None:
        trainers = {}
        for cohort_id, username in (CohortTrainer.select(CohortTrainer.cohort, User.username).join(User)
                                    .where(CohortTrainer.cohort.in_([c.id for c in cohorts] or [0])).tuples()):
            trainers.setdefault(cohort_id, []).append(username)
    return [{"id": c.id, "program": c.program_id, "name": c.name, "venue": c.venue or None,
             "province": c.province_id, "start_on": c.start_on.isoformat(), "end_on": c.end_on.isoformat(),
             "capacity": c.capacity, "trainers": sorted(trainers.get(c.id, []))} for c in cohorts]


@bp.get("/programs")
@roles_required(ADMIN, OFFICER, MANAGER)
def programs():
    """The programs, by name."""
    return jsonify(page_of(Program.select().order_by(Program.name), lambda rows: [program_json(p) for p in rows]))


@bp.post("/programs")
@roles_required(ADMIN)
def create_program():
    """Create a program (admins)."""
    values = checked(json_object(), PROGRAM_FIELDS, ("name",))
    share = Decimal(str(values.pop("min_attendance", 0.8)))
    if (share * 100) != (share * 100).to_integral_value():
        raise invalid(_("Give the share with at most two decimals, e.g. 0.75."), "min_attendance")
    formdata = formdata_for({"active": True, **values}, PROGRAM_FIELDS)
    formdata["min_attendance_percent"] = str(int(share * 100))
    form = ProgramForm(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        raise form_errors(form, {"min_attendance_percent": "min_attendance"})
    program_values = {name: getattr(form, name).data for name in ("name", "sector", "donor_award",
                                                                  "assessment_required", "active")}
    try:
        program = services.save_program(None, {**program_values, "min_attendance": share},
                                        current_user._get_current_object())
    except services.TrainingError as error:
        raise ApiError(409, str(error), {"name": str(error)}) from None
    return jsonify(program_json(program)), 201


@bp.get("/cohorts")
@roles_required(ADMIN, OFFICER, TRAINER)
def cohorts():
    """The cohorts the caller may see (their provinces; a trainer's own), the latest first."""
    query = visible_cohorts().order_by(Cohort.start_on.desc(), Cohort.id.desc())
    return jsonify(page_of(query, cohorts_json))


@bp.post("/cohorts")
@roles_required(ADMIN, OFFICER)
def create_cohort():
    """Create a cohort of a program in one of the caller's provinces."""
    values = checked(json_object(), COHORT_FIELDS, ("program", "name", "province", "start_on", "end_on"))
    usernames = values.pop("trainers", [])
    trainers = {u.username: u.id for u in User.select().where(User.username.in_(usernames or [""])
                                                                & (User.role == TRAINER) & User.active)}
    unknown = sorted(set(usernames) - set(trainers))
    if unknown:
        raise invalid(_("No active trainer with this username: %(names)s.", names=", ".join(unknown)), "trainers")
    formdata = formdata_for({"capacity": 25, **values}, COHORT_FIELDS)
    for trainer_id in trainers.values():
        formdata.add("trainers", str(trainer_id))
    form = CohortForm(formdata=formdata, meta={"csrf": False}, provinces=Province.listed())
    if not form.validate():
        raise form_errors(form)
    if not current_user.in_scope(form.province.data):
        raise ApiError(403, _("This province is outside your provinces."),
                       {"province": _("This province is outside your provinces.")})
    cohort_values = {name: getattr(form, name).data for name in services.COHORT_FIELDS}
    try:
        cohort = services.save_cohort(None, cohort_values, form.trainers.data, current_user._get_current_object())
    except services.TrainingError as error:
        raise invalid(str(error), "end_on") from None
    return jsonify(cohorts_json([cohort])[0]), 201


@bp.get("/cohorts/<int:cohort_id>")
@roles_required(ADMIN, OFFICER, TRAINER)
def cohort(cohort_id):
    """A cohort with its sessions."""
    found = get_cohort_or_404(cohort_id)
    sessions = found.sessions.order_by(TrainingSession.held_on, TrainingSession.id)
    return jsonify({**cohorts_json([found])[0], "sessions": [session_json(s) for s in sessions]})


@bp.post("/cohorts/<int:cohort_id>/sessions")
@roles_required(ADMIN, OFFICER)
def add_session(cohort_id):
    """Add a session on a day between the cohort's dates."""
    found = get_cohort_or_404(cohort_id)
    values = checked(json_object(), SESSION_FIELDS, ("date", "hours"))
    form = SessionForm(formdata=formdata_for({"held_on": values.pop("date"), **values},
                                             {"held_on": SESSION_FIELDS["date"], **SESSION_FIELDS}),
                       meta={"csrf": False})
    if not form.validate():
        raise form_errors(form, {"held_on": "date"})
    try:
        session = services.add_session(found, form.held_on.data, form.hours.data, current_user._get_current_object())
    except services.TrainingError as error:
        raise invalid(str(error), "date") from None
    return jsonify(session_json(session)), 201
