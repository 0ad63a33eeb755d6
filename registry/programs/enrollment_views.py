"""Enrollment pages (officers and admins): enroll by code, change status, assessment, complete all."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.queries import in_scope, with_province
from registry.beneficiaries.queries import search as search_participants
from registry.beneficiaries.search_form import SearchForm
from registry.beneficiaries.views import provinces_in_scope
from registry.programs import enrollment as enrolling
from registry.programs.access import get_cohort_or_404
from registry.programs.attendance import rate_of
from registry.programs.forms import AssessmentForm, DateForm, EnrollForm, StatusForm
from registry.programs.models import Enrollment
from registry.programs.services import TrainingError

bp = guard_blueprint(Blueprint("enrollments", __name__, url_prefix="/cohorts"), ADMIN, OFFICER)


def get_enrollment_or_404(cohort_id, enrollment_id):
    """An enrollment of a cohort the user may see."""
    cohort = get_cohort_or_404(cohort_id)
    enrollment = Enrollment.get_or_none((Enrollment.id == enrollment_id) & (Enrollment.cohort == cohort))
    if enrollment is None:
        abort(404)
    return enrollment


CANDIDATES_SHOWN = 200


@bp.route("/<int:cohort_id>/enroll", methods=["GET", "POST"])
def enroll(cohort_id):
    """Enroll participants ticked in a filtered list or typed by code; a full cohort puts the rest on its waitlist."""
    cohort = get_cohort_or_404(cohort_id)
    form = EnrollForm()
    search = SearchForm(request.args, provinces=provinces_in_scope())
    if form.validate_on_submit():
        codes = form.code_list()
        people = list(in_scope().where(Beneficiary.code.in_(codes)))
        unknown = sorted(set(codes) - {b.code for b in people})
        done, waiting, skipped = enrolling.enroll_many(cohort, people, form.enrolled_on.data,
                                                       current_user._get_current_object())
        if done:
            flash(_("%(num)d enrolled.", num=len(done)), "success")
        if waiting:
            flash(_("%(num)d on the waitlist: the cohort is full.", num=len(waiting)), "warning")
        for beneficiary, reason in skipped:
            flash(f"{beneficiary.code}: {reason}", "danger")
        if unknown:
            flash(_("No participant in your provinces with these codes: %(codes)s.", codes=", ".join(unknown)),
                  "danger")
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/enroll.html", cohort=cohort, form=form, search=search,
                           candidates=_candidates(cohort, search))


def _candidates(cohort, search):
    """Active participants matching the filters who are not in the cohort yet (the first 200)."""
    if not request.args:
        return None
    filters = search.filters() if search.validate() else {}
    enrolled = Enrollment.select(Enrollment.beneficiary).where(Enrollment.cohort == cohort)
    return with_province(search_participants(**{**filters, "status": "active"})
                         .where(Beneficiary.id.not_in(enrolled))).limit(CANDIDATES_SHOWN)


@bp.route("/<int:cohort_id>/enrollments/<int:enrollment_id>", methods=["GET", "POST"])
def status(cohort_id, enrollment_id):
    """An enrollment: its history, a status change and the assessment."""
    enrollment = get_enrollment_or_404(cohort_id, enrollment_id)
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
    enrollment = get_enrollment_or_404(cohort_id, enrollment_id)
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
