"""Outcome pages: who is due a follow-up, recording, correcting and deleting one, and (admins) the exchange rates."""
from datetime import date

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint, roles_required
from registry.auth.models import ADMIN, OFFICER, User
from registry.beneficiaries.queries import get_beneficiary_or_404, survivor_redirect
from registry.outcomes import currency, queries, services
from registry.outcomes.offline_copy import due_copy
from registry.outcomes.forms import DeleteFollowUpForm, FollowUpCorrectionForm, FollowUpForm, RateForm
from registry.outcomes.models import ExchangeRate
from registry.programs.models import Cohort, Enrollment, Program
from registry.web.paging import paginated
from registry.web.routing import id_arg
from registry.web.scope import provinces_in_scope

bp = guard_blueprint(Blueprint("outcomes", __name__, url_prefix="/follow-ups"), ADMIN, OFFICER)


@bp.get("/")
def due():
    """Follow-ups due this week, this month, or overdue, with filters; the view is audited (phones are shown)."""
    args = request.args
    filters = {"province": args.get("province") or None, "program": id_arg("program"),
               "officer": id_arg("officer"), "bucket": args.get("bucket") or None}
    pages = paginated(queries.due_list(**filters), 50)
    shown = list(pages.get_object_list())
    record_event("follow_up.due_list", user=current_user._get_current_object(), detail={
        **filters, "shown": [d.enrollment.beneficiary.code for d in shown]})
    officers = User.select().where(User.id.in_(Cohort.select(Cohort.created_by))).order_by(User.full_name)
    return render_template("outcomes/due.html", pages=pages, shown=shown, left_out=queries.left_out(**filters),
                           provinces=provinces_in_scope(), programs=Program.select().order_by(Program.name),
                           officers=officers, bucket_of=queries.bucket_of)


@bp.get("/offline.json")
def offline_copy():
    """The people due in the next 7 days, for the phone to keep (offline_copy.due_copy); audited (phones)."""
    copy = due_copy(date.today())
    record_event("follow_up.offline_copy", user=current_user._get_current_object(), detail={
        "days": copy["days"], "shown": sorted({row["code"] for row in copy["due"]})})
    response = jsonify(copy)
    response.headers["Cache-Control"] = "no-store"  # phone numbers: never in the browser's HTTP cache
    return response


def _completed(beneficiary):
    return list(Enrollment.select(Enrollment, Cohort).join(Cohort).where(
        (Enrollment.beneficiary == beneficiary) & (Enrollment.status == "completed"))
        .order_by(Enrollment.ended_on.desc()))


def _offer(form, completed):
    """Offer the participant's completed trainings in the form (the default: the latest by the date)."""
    form.enrollment.choices = [SelectChoice("", _("The latest completed by the date"))] + [
        SelectChoice(str(e.id), f"{e.cohort.name} ({e.ended_on.isoformat()})") for e in completed]


def _chosen(form, completed):
    """(the enrollment chosen or None, the window chosen or None)."""
    enrollment = next((e for e in completed if str(e.id) == form.enrollment.data), None)
    return enrollment, int(form.window.data) if form.window.data else None


def _refused(form, error):
    """Show a service's refusal next to the field it names (the date when the form has no such field)."""
    field = getattr(form, error.field, None) if error.field != "consent_follow_up" else None
    (field if field is not None else form.followed_on).errors.append(str(error))


@bp.route("/new/<code>", methods=["GET", "POST"])
def record(code):
    """Record a follow-up of one participant (the training and the window may come from the due list).

    The page shows the phone number, so every view is audited; a person without consent to
    follow-up contact gets no form, and the service refuses a follow-up posted anyway.
    """
    beneficiary = get_beneficiary_or_404(code)
    if beneficiary.status == "merged":
        return survivor_redirect(beneficiary)
    completed = _completed(beneficiary)
    form = FollowUpForm(enrollment=request.args.get("enrollment", ""), window=request.args.get("window", ""))
    _offer(form, completed)
    if form.validate_on_submit():
        try:
            services.record_follow_up(beneficiary, form.values(), current_user._get_current_object(),
                                      *_chosen(form, completed))
        except services.NoFollowUpConsent:
            pass  # the page says it at the top
        except services.FollowUpError as error:
            _refused(form, error)
        else:
            flash(_("The follow-up of %(code)s is saved.", code=beneficiary.code), "success")
            if request.args.get("back") == "due":
                return redirect(url_for("outcomes.due"))
            return redirect(url_for("beneficiaries.profile", code=beneficiary.code))
    record_event("follow_up.form", obj=beneficiary, user=current_user._get_current_object(),
                 detail={"shown": [beneficiary.code]})
    return render_template("outcomes/form.html", form=form, b=beneficiary, completed=completed)


@bp.route("/<int:follow_up_id>/edit", methods=["GET", "POST"])
def edit(follow_up_id):
    """Correct a follow-up: the same form, prefilled, and the reason (audited before and after)."""
    follow_up = queries.get_follow_up_or_404(follow_up_id)
    beneficiary = follow_up.beneficiary
    completed = _completed(beneficiary)
    form = FollowUpCorrectionForm(formdata=request.form if request.method == "POST"
                                  else MultiDict(FollowUpCorrectionForm.stored(follow_up)))
    _offer(form, completed)
    if form.validate_on_submit():
        try:
            changes = services.update_follow_up(follow_up, form.values(), current_user._get_current_object(),
                                                form.reason.data, *_chosen(form, completed))
        except services.FollowUpError as error:
            _refused(form, error)
        else:
            flash(_("The correction is saved.") if changes else _("Nothing was changed."),
                  "success" if changes else "info")
            return redirect(url_for("beneficiaries.profile", code=beneficiary.code))
    return render_template("outcomes/form.html", form=form, b=beneficiary, completed=completed, editing=follow_up)


@bp.route("/<int:follow_up_id>/delete", methods=["GET", "POST"])
def delete(follow_up_id):
    """Delete a follow-up, with the reason: it is kept, marked deleted, and counts nowhere."""
    follow_up = queries.get_follow_up_or_404(follow_up_id)
    form = DeleteFollowUpForm()
    if form.validate_on_submit():
        try:
            services.delete_follow_up(follow_up, current_user._get_current_object(), form.reason.data)
        except services.FollowUpError as error:
            form.reason.errors.append(str(error))
        else:
            flash(_("The follow-up of %(day)s is deleted.", day=format_date(follow_up.followed_on, "medium")),
                  "success")
            return redirect(url_for("beneficiaries.profile", code=follow_up.beneficiary.code))
    return render_template("outcomes/delete.html", form=form, f=follow_up, b=follow_up.beneficiary)


@bp.route("/rates", methods=["GET", "POST"])
@roles_required(ADMIN)
def rates():
    """The exchange rates: one per month, and the default for months without one."""
    form = RateForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if form.month.data:
            currency.set_rate(form.month.data, form.khr_per_usd.data, user)
        else:
            currency.set_default_rate(form.khr_per_usd.data, user)
        flash(_("The rate is saved."), "success")
        return redirect(url_for("outcomes.rates"))
    return render_template("outcomes/rates.html", form=form, default=currency.default_rate(),
                           rates=ExchangeRate.select().order_by(ExchangeRate.month.desc()))


