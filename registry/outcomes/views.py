"""Outcome pages: who is due a follow-up, recording one, and (admins) the exchange rates."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from registry.auth.guard import guard_blueprint, roles_required
from registry.auth.models import ADMIN, OFFICER, User
from registry.beneficiaries.queries import get_beneficiary_or_404, survivor_redirect
from registry.beneficiaries.views import provinces_in_scope
from registry.outcomes import currency, queries, services
from registry.outcomes.forms import FollowUpForm, RateForm
from registry.outcomes.models import ExchangeRate
from registry.paging import paginated
from registry.programs.models import Cohort, Enrollment, Program

bp = guard_blueprint(Blueprint("outcomes", __name__, url_prefix="/follow-ups"), ADMIN, OFFICER)


@bp.get("/")
def due():
    """Follow-ups due this week, this month, or overdue, with filters."""
    args = request.args
    query = queries.due_list(province=args.get("province") or None, program=args.get("program", type=int),
                             officer=args.get("officer", type=int), bucket=args.get("bucket") or None)
    officers = User.select().where(User.id.in_(Cohort.select(Cohort.created_by))).order_by(User.full_name)
    return render_template("outcomes/due.html", pages=paginated(query, 50), provinces=provinces_in_scope(),
                           programs=Program.select().order_by(Program.name), officers=officers,
                           bucket_of=queries.bucket_of)


def _completed(beneficiary):
    return list(Enrollment.select(Enrollment, Cohort).join(Cohort).where(
        (Enrollment.beneficiary == beneficiary) & (Enrollment.status == "completed"))
        .order_by(Enrollment.ended_on.desc()))


@bp.route("/new/<code>", methods=["GET", "POST"])
def record(code):
    """Record a follow-up of one participant (the training and the window may come from the due list)."""
    beneficiary = get_beneficiary_or_404(code)
    if beneficiary.status == "merged":
        return survivor_redirect(beneficiary)
    completed = _completed(beneficiary)
    form = FollowUpForm(enrollment=request.args.get("enrollment", ""), window=request.args.get("window", ""))
    form.enrollment.choices = [SelectChoice("", _("The latest completed by the date"))] + [
        SelectChoice(str(e.id), f"{e.cohort.name} ({e.ended_on.isoformat()})") for e in completed]
    if form.validate_on_submit():
        chosen = next((e for e in completed if str(e.id) == form.enrollment.data), None)
        try:
            services.record_follow_up(beneficiary, form.values(), current_user._get_current_object(), chosen,
                                      int(form.window.data) if form.window.data else None)
        except services.FollowUpError as error:
            form.followed_on.errors.append(str(error))
        else:
            flash(_("The follow-up of %(code)s is saved.", code=beneficiary.code), "success")
            if request.args.get("back") == "due":
                return redirect(url_for("outcomes.due"))
            return redirect(url_for("beneficiaries.profile", code=beneficiary.code))
    return render_template("outcomes/form.html", form=form, b=beneficiary, completed=completed)


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


