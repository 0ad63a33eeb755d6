"""/api/v1 enrollments and attendance: who is in a cohort, their status, and each session's marks."""
from datetime import date

from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from registry.api.attendance_sync import is_sync, sync
from registry.api.blueprints import api_blueprint, page_of
from registry.api.errors import form_errors, invalid, json_object
from registry.api.fields import Field, checked, formdata_for
from registry.auth.guard import roles_required
from registry.auth.models import ADMIN, OFFICER, TRAINER
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.queries import in_scope
from registry.db import database
from registry.programs import enrollment as enrolling
from registry.programs.access import get_cohort_or_404, get_session_or_404
from registry.programs.attendance import record_attendance
from registry.programs.cover import OutsideCover, covers, read_only_message, uncovered
from registry.programs.forms import AssessmentForm
from registry.programs.models import MARKS, Enrollment
from registry.programs.services import TrainingError
from registry.web.errors import ApiError

bp = api_blueprint("api_enrollments", ADMIN, OFFICER, TRAINER)
managing = roles_required(ADMIN, OFFICER)

ENROLL_FIELDS = {"beneficiary": Field("string", max_length=16, nullable=False, description="The participant's code."),
                 "enrolled_on": Field("date", nullable=False, description=(
                     "The day asked for: the enrollment date when a seat is free, else the day the person "
                     "joined the waitlist (requested_on)."))}
CHANGE_FIELDS = {
    "status": Field("string", enum=("enrolled", "active", "completed", "dropped_out", "withdrawn"), nullable=False),
    "on": Field("date", nullable=False, description=(
        "The date of the change; today when not given. From the waitlist, status enrolled admits the person "
        "and this day becomes their enrollment date.")),
    "reason": Field("string", max_length=1000, description="Why the person left (dropped out or withdrawn)."),
    "override": Field("string", max_length=1000,
                      description="Why a completion below the program's rule is accepted."),
    "assessment_passed": Field("boolean", form_style="yes_no"),
    "pre_score": Field("number"),
    "post_score": Field("number"),
}
MARK_FIELDS = {"beneficiary": Field("string", max_length=16, nullable=False),
               "status": Field("string", enum=MARKS, nullable=False),
               "taken_at": Field("datetime", max_length=40, description=(
                   "An offline sync: when the mark was taken on the phone (ISO 8601 with an offset or Z). "
                   "Marks that carry it are merged one by one (see docs/offline.md); then every mark needs "
                   "it, and the body needs held_on."))}
SCORES = ("assessment_passed", "pre_score", "post_score")
MAX_MARKS = 1000  # a cohort holds at most 500


def _number(value):
    return None if value is None else float(value)


def enrollment_json(enrollment, code=None):
    """An enrollment: the person's code, the status and its dates (enrolled_on null while waiting), the assessment."""
    def day(value):
        return value.isoformat() if value else None

    return {"id": enrollment.id, "cohort": enrollment.cohort_id, "beneficiary": code or enrollment.beneficiary.code,
            "status": enrollment.status, "requested_on": day(enrollment.requested_on),
            "enrolled_on": day(enrollment.enrolled_on),
            "status_on": day(enrollment.status_on), "ended_on": day(enrollment.ended_on),
            "reason": enrollment.leave_reason or None, "override": enrollment.override_reason or None,
            "assessment_passed": enrollment.assessment_passed, "pre_score": _number(enrollment.pre_score),
            "post_score": _number(enrollment.post_score)}


@bp.get("/cohorts/<int:cohort_id>/enrollments")
def roster(cohort_id):
    """The cohort's enrollments (a trainer sees their own cohorts' only)."""
    cohort = get_cohort_or_404(cohort_id)
    query = (Enrollment.select(Enrollment, Beneficiary.code).join(Beneficiary)
             .where(Enrollment.cohort == cohort).order_by(Enrollment.id))
    return jsonify(page_of(query, lambda rows: [enrollment_json(e, e.beneficiary.code) for e in rows]))


@bp.post("/cohorts/<int:cohort_id>/enrollments")
@managing
def enroll(cohort_id):
    """Enroll a participant, on the waitlist when the cohort is full (status says which); 409 when already in it."""
    cohort = get_cohort_or_404(cohort_id)
    values = checked(json_object(), ENROLL_FIELDS, ("beneficiary", "enrolled_on"))
    beneficiary = in_scope().where(Beneficiary.code == values["beneficiary"].strip().upper()).first()
    if beneficiary is None:
        raise invalid(_("No participant in your provinces with this code."), "beneficiary")
    try:
        enrolled_on = date.fromisoformat(values["enrolled_on"])
    except ValueError:
        raise invalid(_("Give a date as YYYY-MM-DD."), "enrolled_on") from None
    if Enrollment.select().where((Enrollment.cohort == cohort) & (Enrollment.beneficiary == beneficiary)).exists():
        raise ApiError(409, _("%(code)s is already in this cohort.", code=beneficiary.code),
                       {"beneficiary": _("Already in this cohort.")})
    try:
        enrollment = enrolling.enroll(cohort, beneficiary, enrolled_on, current_user._get_current_object())
    except OutsideCover as error:  # the person is in the user's provinces: only if their scope just changed
        raise ApiError(403, str(error), {"beneficiary": str(error)}) from None
    except TrainingError as error:
        raise invalid(str(error), error.field or "enrolled_on") from None
    return jsonify(enrollment_json(enrollment, beneficiary.code)), 201


def _get_writable_enrollment(enrollment_id):
    """An enrollment of a cohort the user may see (else 404) whose person is in their provinces (else 403)."""
    enrollment = Enrollment.get_or_none(Enrollment.id == enrollment_id)
    if enrollment is None:
        abort(404)
    get_cohort_or_404(enrollment.cohort_id)
    if not covers(current_user, enrollment.beneficiary.province_id):
        message = read_only_message([enrollment.beneficiary.code])
        raise ApiError(403, message, {"beneficiary": message})
    return enrollment


@bp.patch("/enrollments/<int:enrollment_id>")
@managing
def change(enrollment_id):
    """Change the status (admitting needs a free seat, completing the rule or an override) and the assessment."""
    enrollment = _get_writable_enrollment(enrollment_id)
    values = checked(json_object(), CHANGE_FIELDS)
    scores = {name: values[name] for name in SCORES if name in values}
    user = current_user._get_current_object()
    with database.atomic():  # the assessment first: completion may depend on it; all or nothing
        if scores:
            enrolling.set_assessment(enrollment, _assessment(enrollment, scores), user)
        if "status" in values:
            try:
                on = date.fromisoformat(values["on"]) if values.get("on") else date.today()
            except ValueError:
                raise invalid(_("Give a date as YYYY-MM-DD."), "on") from None
            try:
                enrolling.change_status(enrollment, values["status"], on, user, values.get("reason") or "",
                                        values.get("override") or "")
            except enrolling.CohortFull as error:  # a conflict with the seats taken: may pass once one is freed
                raise ApiError(409, str(error), {"status": str(error)}) from None
            except TrainingError as error:
                raise invalid(str(error), error.field or "status") from None
    return jsonify(enrollment_json(Enrollment.get_by_id(enrollment.id)))


def _assessment(enrollment, scores):
    """The assessment's values with the given ones over the stored ones, checked by the page's form."""
    stored = {"assessment_passed": enrollment.assessment_passed, "pre_score": _number(enrollment.pre_score),
              "post_score": _number(enrollment.post_score)}
    fields = {name: CHANGE_FIELDS[name] for name in SCORES}
    form = AssessmentForm(formdata=formdata_for({**stored, **scores}, fields), meta={"csrf": False})
    if not form.validate():
        raise form_errors(form)
    return form.values()


@bp.put("/sessions/<int:session_id>/attendance")
def attendance(session_id):
    """Record a session's marks, all or none (an offline sync: merged one by one); marks not sent stay as they are."""
    session = get_session_or_404(session_id)
    body = json_object()
    marks = sheet_marks(body)
    codes = [code for code, _status, _taken_at in marks]
    if is_sync(marks):
        return jsonify(sync(session, body, marks, current_user._get_current_object()))
    if "held_on" in body:
        raise invalid(_("held_on goes with marks that carry taken_at (an offline sync)."), "held_on")
    return _save_sheet(session, marks, codes)


def sheet_marks(body):
    """The (code, status, taken_at text or None) marks of a sheet's JSON body; 422 naming what is wrong."""
    if not isinstance(body.get("marks"), list) or not set(body) <= {"marks", "held_on"}:
        raise invalid(_("Send {\"marks\": [{\"beneficiary\": code, \"status\": mark}, ...]}."), "marks")
    if len(body["marks"]) > MAX_MARKS:
        raise invalid(_("At most %(num)d marks at once.", num=MAX_MARKS), "marks")
    marks = [_mark(i, item) for i, item in enumerate(body["marks"])]
    codes = [code for code, _status, _taken_at in marks]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise invalid(_("Each participant once: %(codes)s repeated.", codes=", ".join(repeated)), "marks")
    return marks


def _save_sheet(session, marks, codes):
    """The ordinary save: every mark applied, or none (422 or 403 naming the marks at fault)."""
    found = {code: (eid, admitted_on) for code, eid, admitted_on in Enrollment.select(
        Beneficiary.code, Enrollment.id, Enrollment.enrolled_on).join(Beneficiary)
        .where((Enrollment.cohort == session.cohort_id) & Beneficiary.code.in_(codes or [""])).tuples()}
    missing = [i for i, code in enumerate(codes) if code not in found]
    if missing:
        raise ApiError(422, _("Not enrolled in this cohort: %(codes)s.", codes=", ".join(codes[i] for i in missing)),
                       {f"marks[{i}].beneficiary": _("Not enrolled in this cohort.") for i in missing})
    waiting = [i for i, code in enumerate(codes) if found[code][1] is None]
    if waiting:
        raise ApiError(422, _("On this cohort's waitlist, never admitted: %(codes)s.",
                              codes=", ".join(codes[i] for i in waiting)),
                       {f"marks[{i}].beneficiary": _("On the waitlist, not admitted.") for i in waiting})
    ids = {code: eid for code, (eid, _admitted_on) in found.items()}
    outside = set(uncovered(current_user, list(ids.values())).values())
    if outside:  # their marks are read-only for this user; a PUT that leaves them out leaves their marks alone
        message = read_only_message(sorted(outside))
        raise ApiError(403, message, {f"marks[{i}].beneficiary": message for i, code in enumerate(codes)
                                      if code in outside})
    try:
        corrections = record_attendance(session, {ids[code]: status for code, status, _taken_at in marks},
                                        current_user._get_current_object())
    except TrainingError as error:
        raise invalid(str(error), "marks") from None
    return jsonify({"session": session.id, "marks": len(marks), "corrections": len(corrections)})


def _mark(index, item):
    """(code, status, taken_at text or None) of one mark; 422 naming marks[index] when it is not one."""
    if not isinstance(item, dict):
        raise invalid(_("Give {\"beneficiary\": code, \"status\": mark}."), f"marks[{index}]")
    try:
        values = checked(item, MARK_FIELDS, ("beneficiary", "status"))
    except ApiError as error:
        raise ApiError(422, error.message, {f"marks[{index}].{k}": v for k, v in error.fields.items()}) from None
    return values["beneficiary"].strip().upper(), values["status"], values.get("taken_at")
