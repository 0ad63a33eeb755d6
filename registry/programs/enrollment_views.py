"""Enrollment pages (officers and admins): enroll, from a cohort or a profile; the waitlist, status, assessment."""
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.queries import get_beneficiary_or_404, in_scope, with_province
from registry.beneficiaries.queries import search as search_participants
from registry.beneficiaries.search_form import SearchForm
from registry.programs import enrollment as enrolling
from registry.programs.access import get_cohort_or_404, refuse, visible_cohorts
from registry.programs.attendance import rate_of
from registry.programs.cover import OutsideCover, covers, read_only_message
from registry.programs.forms import AdmitForm, AssessmentForm, DateForm, EnrollForm, LeaveWaitlistForm, StatusForm
from registry.programs.models import Cohort, Enrollment, Program
from registry.programs.seats import seats_of
from registry.programs.services import TrainingError
from registry.web.scope import provinces_in_scope

bp = guard_blueprint(Blueprint("enrollments", __name__, url_prefix="/cohorts"), ADMIN, OFFICER)


def get_enrollment_or_404(cohort_id, enrollment_id, writing=False):
    """An enrollment of a cohort the user may see; to change it, 403 when its person is outside their provinces."""
    cohort = get_cohort_or_404(cohort_id)
    enrollment = Enrollment.get_or_none((Enrollment.id == enrollment_id) & (Enrollment.cohort == cohort))
    if enrollment is None:
        abort(404)
    if writing and not covers(current_user, enrollment.beneficiary.province_id):
        refuse(read_only_message([enrollment.beneficiary.code]))
    return enrollment


CANDIDATES_SHOWN = 200
COHORTS_OFFERED = 100  # cohorts not ended in a user's provinces: a few dozen at most


@dataclass
class Preview:
    """What the enroll page shows before saving: the plan (None when the form is wrong) and the unknown codes."""

    plan: object
    unknown: list
    already_waiting: int  # the queue the newcomers would join the end of


@bp.route("/<int:cohort_id>/enroll", methods=["GET", "POST"])
def enroll(cohort_id):
    """Enroll people ticked in a list or typed by code; who would wait is shown before anything is saved.

    When no code has anyone of the user's provinces behind it, nothing is saved and the page answers 422:
    the cohort may be of their province and the person of another, which only a user covering both may
    join (cover.may_enroll). Unknown codes among known ones are listed with the plan, as before.
    """
    cohort = get_cohort_or_404(cohort_id)
    form = EnrollForm()
    if request.method == "GET":  # from a profile's "Enroll in a cohort": that person comes ticked
        form.picked.data = request.args.getlist("picked")
    search = SearchForm(request.args, provinces=provinces_in_scope())
    preview, status = None, 200
    if form.validate_on_submit():
        preview = _enroll(cohort, form)
        if preview is None:
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
        status = 422 if preview.plan is None else 200
    return render_template("cohorts/enroll.html", cohort=cohort, form=form, search=search, preview=preview,
                           seats=seats_of(cohort), candidates=_candidates(cohort, search)), status


def _enroll(cohort, form):
    """Save the enrollments and say so (None), or the Preview to show: someone would wait unconfirmed, or a bad date."""
    codes = form.code_list()
    people = sorted(in_scope().where(Beneficiary.code.in_(codes)), key=lambda b: codes.index(b.code))
    unknown = sorted(set(codes) - {b.code for b in people})
    if not people:
        form.codes.errors.append(_("No participant in your provinces with these codes: %(codes)s. Nothing was saved.",
                                   codes=", ".join(unknown)))
        return Preview(None, unknown, 0)
    try:
        plan = enrolling.enroll_many(cohort, people, form.enrolled_on.data, current_user._get_current_object(),
                                     may_wait=form.may_wait())
    except enrolling.WaitlistNotConfirmed as refused:
        if form.confirm.data:
            flash(_("The seats changed since you checked: look again, then confirm."), "warning")
        form.waitlist.data = " ".join(b.code for b in refused.plan.waiting)
        return Preview(refused.plan, unknown, seats_of(cohort).waiting)
    except OutsideCover as error:  # the people found are in the user's provinces: only if the scope just changed
        form.codes.errors.append(str(error))
        return Preview(None, unknown, 0)
    except TrainingError as error:  # a date after the cohort's end
        form.enrolled_on.errors.append(str(error))
        return Preview(None, unknown, 0)
    _flash_saved(plan, unknown)
    return None


def _flash_saved(plan, unknown):
    if plan.seated:
        flash(_("%(num)d enrolled.", num=len(plan.seated)), "success")
    if plan.waiting:
        flash(_("%(num)d on the waitlist: the cohort is full.", num=len(plan.waiting)), "warning")
    for beneficiary, reason in plan.skipped:
        flash(f"{beneficiary.code}: {reason}", "danger")
    if unknown:
        flash(_("No participant in your provinces with these codes: %(codes)s.", codes=", ".join(unknown)), "danger")


def _candidates(cohort, search):
    """Active participants matching the filters who are not in the cohort yet (the first 200)."""
    if not request.args:
        return None
    filters = search.filters() if search.validate() else {}
    enrolled = Enrollment.select(Enrollment.beneficiary).where(Enrollment.cohort == cohort)
    return with_province(search_participants(**{**filters, "status": "active"})
                         .where(Beneficiary.id.not_in(enrolled))).limit(CANDIDATES_SHOWN)


@bp.get("/for/<code>")
def choose_cohort(code):
    """The cohorts a participant may join (not ended, in the user's provinces), each leading to its enroll page."""
    beneficiary = get_beneficiary_or_404(code)
    # The page names the person: audited as a view of their record, like the profile it comes from.
    record_event("beneficiary.view", obj=beneficiary, user=current_user._get_current_object(),
                 detail={"via": "choose_cohort"})
    if beneficiary.status != "active":  # the enroll page would skip them: say why here instead
        return render_template("cohorts/choose.html", b=beneficiary, cohorts=[], joined=set(), seats={})
    cohorts = list(visible_cohorts().select(Cohort, Program).join_from(Cohort, Program)
                   .where(Cohort.end_on >= date.today()).order_by(Cohort.start_on, Cohort.name, Cohort.id)
                   .limit(COHORTS_OFFERED))
    joined = {cohort_id for (cohort_id,) in
              Enrollment.select(Enrollment.cohort).where(Enrollment.beneficiary == beneficiary).tuples()}
    return render_template("cohorts/choose.html", b=beneficiary, cohorts=cohorts, joined=joined,
                           seats={cohort.id: seats_of(cohort) for cohort in cohorts})


@bp.route("/<int:cohort_id>/enrollments/<int:enrollment_id>", methods=["GET", "POST"])
def status(cohort_id, enrollment_id):
    """An enrollment: its history, a status change and the assessment."""
    enrollment = get_enrollment_or_404(cohort_id, enrollment_id, writing=request.method == "POST")
    form = StatusForm(prefix="status")
    if form.submit.data and form.validate_on_submit():
        try:
            enrolling.change_status(enrollment, form.status.data, form.on.data, current_user._get_current_object(),
                                    form.reason.data or "", form.override_reason.data or "")
        except TrainingError as error:
            flash(str(error), "danger")
        else:
            flash(_("The enrollment of %(code)s is changed.", code=enrollment.beneficiary.code), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort_id))
    assessment = AssessmentForm(prefix="assessment", obj=enrollment, assessment_passed="" if (
        enrollment.assessment_passed is None) else ("yes" if enrollment.assessment_passed else "no"))
    return render_template("cohorts/enrollment.html", enrollment=enrollment, form=form, assessment=assessment,
                           rate=rate_of(enrollment), rule=enrolling.rule_holds(enrollment, form.on.data))


@bp.post("/<int:cohort_id>/enrollments/<int:enrollment_id>/assessment")
def assessment(cohort_id, enrollment_id):
    """Save the final assessment and the soft-skills scores."""
    enrollment = get_enrollment_or_404(cohort_id, enrollment_id, writing=True)
    form = AssessmentForm(prefix="assessment")
    if form.validate_on_submit():
        enrolling.set_assessment(enrollment, form.values(), current_user._get_current_object())
        flash(_("The assessment of %(code)s is saved.", code=enrollment.beneficiary.code), "success")
    else:
        for errors in form.errors.values():
            flash(str(errors[0]), "danger")
    return redirect(url_for("enrollments.status", cohort_id=cohort_id, enrollment_id=enrollment.id))


@bp.post("/<int:cohort_id>/complete")
def complete_all(cohort_id):
    """Complete every open enrollment that meets the completion rule."""
    cohort = get_cohort_or_404(cohort_id)
    form = DateForm()
    if form.validate_on_submit():
        try:
            done = enrolling.complete_all_meeting_rule(cohort, form.on.data, current_user._get_current_object())
        except TrainingError as error:
            flash(str(error), "danger")
        else:
            flash(_("%(num)d completed.", num=done), "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.post("/<int:cohort_id>/waitlist/<int:enrollment_id>/admit")
def admit(cohort_id, enrollment_id):
    """Admit someone from the waitlist on a day: refused while the cohort is full."""
    enrollment = get_enrollment_or_404(cohort_id, enrollment_id, writing=True)
    form = AdmitForm(prefix=f"admit-{enrollment.id}")
    if _changed(form, enrollment, "enrolled"):
        flash(_("%(code)s is admitted: enrolled on %(date)s.", code=enrollment.beneficiary.code,
                date=format_date(form.on.data, "medium")), "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id, _anchor="waitlist"))


@bp.post("/<int:cohort_id>/waitlist/<int:enrollment_id>/withdraw")
def leave_waitlist(cohort_id, enrollment_id):
    """Withdraw someone from the waitlist, with the reason: they never count as enrolled."""
    enrollment = get_enrollment_or_404(cohort_id, enrollment_id, writing=True)
    form = LeaveWaitlistForm(prefix=f"leave-{enrollment.id}")
    if _changed(form, enrollment, "withdrawn", form.reason):
        flash(_("%(code)s is withdrawn from the waitlist.", code=enrollment.beneficiary.code), "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id, _anchor="waitlist"))


def _changed(form, enrollment, to_status, reason=None):
    """Change a waitlisted enrollment's status from a form; flash why not and return False when it cannot be."""
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(str(errors[0]), "danger")
        return False
    if enrollment.status != "waitlisted":
        flash(_("%(code)s is not on the waitlist.", code=enrollment.beneficiary.code), "danger")
        return False
    try:
        enrolling.change_status(enrollment, to_status, form.on.data, current_user._get_current_object(),
                                reason.data if reason else "")
    except TrainingError as error:
        flash(f"{enrollment.beneficiary.code}: {error}", "danger")
        return False
    return True
