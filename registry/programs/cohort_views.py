"""Cohorts: list, page with roster and sessions, create and edit, schedule, grid."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.guard import guard_blueprint, roles_required
from registry.auth.models import ADMIN, OFFICER, TRAINER
from registry.programs import display, queries, services
from registry.programs.access import get_cohort_or_404, visible_cohorts
from registry.programs.forms import AdmitForm, CohortForm, DateForm, LeaveWaitlistForm, ScheduleForm, SessionForm
from registry.programs.models import Cohort, Program, TrainingSession
from registry.programs.seats import seats_of
from registry.reference.models import Province
from registry.web.forms import ConfirmForm
from registry.web.paging import paginated
from registry.web.scope import provinces_in_scope
from registry.web.urls import safe_next_url

bp = guard_blueprint(Blueprint("cohorts", __name__, url_prefix="/cohorts"), ADMIN, OFFICER, TRAINER)
managing = roles_required(ADMIN, OFFICER)
SESSIONS_PER_PAGE = 30


@bp.get("/")
def index():
    """The cohorts the user may see, the latest first."""
    cohorts = (visible_cohorts().select(Cohort, Program, Province).join_from(Cohort, Program)
               .join_from(Cohort, Province).order_by(Cohort.start_on.desc(), Cohort.id.desc()))
    return render_template("cohorts/index.html", cohorts=cohorts)


@bp.get("/<int:cohort_id>")
def detail(cohort_id):
    """A cohort: its roster with attendance rates and flags, its waitlist apart (names for admins and officers), sessions."""
    cohort = get_cohort_or_404(cohort_id)
    sessions = queries.session_window(cohort)
    today = next((s for s in sessions.upcoming if s.held_on == date.today() and not s.cancelled), None)
    manage = current_user.role in (ADMIN, OFFICER)  # a trainer sees how many wait, not who
    waitlist = queries.waitlist(cohort) if manage else []
    return render_template("cohorts/detail.html", cohort=cohort, rows=queries.roster(cohort), sessions=sessions,
                           today_session=today, seats=seats_of(cohort), waitlist=waitlist,
                           waitlist_forms={w.enrollment.id: _waitlist_forms(w.enrollment) for w in waitlist},
                           left_waiting=list(queries.left_waiting(cohort)) if manage else [],
                           schedule=ScheduleForm(), session_form=SessionForm(),
                           complete=DateForm(), confirm=ConfirmForm())


@bp.get("/<int:cohort_id>/sessions")
def sessions(cohort_id):
    """Every session of a cohort, in date order, a page at a time, with the same actions as the cohort page."""
    cohort = get_cohort_or_404(cohort_id)
    return render_template("cohorts/sessions.html", cohort=cohort,
                           pages=paginated(queries.all_sessions(cohort), SESSIONS_PER_PAGE), confirm=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@managing
def edit(cohort_id=None):
    """Create or change a cohort."""
    cohort = get_cohort_or_404(cohort_id) if cohort_id else None
    form = CohortForm(obj=cohort, provinces=provinces_in_scope(),
                      data={"province": cohort.province_id, "trainers": [t.trainer_id for t in cohort.trainer_links]}
                      if cohort and request.method == "GET" else None)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.COHORT_FIELDS}
        try:
            cohort = services.save_cohort(cohort, values, form.trainers.data, current_user._get_current_object())
        except services.TrainingError as error:
            flash(str(error), "danger")
        else:
            flash(_("The cohort %(name)s is saved.", name=cohort.name), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@bp.post("/<int:cohort_id>/schedule")
@managing
def schedule(cohort_id):
    """Add sessions on chosen weekdays between the cohort's dates, skipping holidays."""
    cohort = get_cohort_or_404(cohort_id)
    form = ScheduleForm()
    if form.validate_on_submit():
        added = services.generate_sessions(cohort, form.weekdays.data, form.hours.data, form.holiday_dates(),
                                           current_user._get_current_object())
        flash(_("%(num)d sessions added.", num=len(added)), "success")
    else:
        _flash_errors(form)
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.post("/<int:cohort_id>/sessions")
@bp.post("/<int:cohort_id>/sessions/<int:session_id>")
@managing
def session(cohort_id, session_id=None):
    """Add a session, or move one to another day."""
    cohort = get_cohort_or_404(cohort_id)
    form = SessionForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            if session_id:
                services.move_session(_session_of(cohort, session_id), form.held_on.data, form.hours.data, user)
            else:
                services.add_session(cohort, form.held_on.data, form.hours.data, user)
        except services.TrainingError as error:
            flash(str(error), "danger")
    else:
        _flash_errors(form)
    return _back_to_sessions(cohort)


@bp.post("/<int:cohort_id>/sessions/<int:session_id>/cancel")
@managing
def cancel(cohort_id, session_id):
    """Cancel a session, or restore a cancelled one."""
    cohort = get_cohort_or_404(cohort_id)
    session = _session_of(cohort, session_id)
    if ConfirmForm().validate_on_submit():
        services.cancel_session(session, not session.cancelled, current_user._get_current_object())
    return _back_to_sessions(cohort)


@bp.get("/<int:cohort_id>/grid")
def grid(cohort_id):
    """Participants by sessions, with every mark and each rate."""
    cohort = get_cohort_or_404(cohort_id)
    sessions = list(cohort.sessions.where(~TrainingSession.cancelled).order_by(TrainingSession.held_on))
    return render_template("cohorts/grid.html", cohort=cohort, sessions=sessions, rows=queries.roster(cohort))


def _waitlist_forms(enrollment):
    """The admit and withdraw forms of one waiting person, prefixed so that every field id on the page is unique."""
    return AdmitForm(prefix=f"admit-{enrollment.id}"), LeaveWaitlistForm(prefix=f"leave-{enrollment.id}")


def _back_to_sessions(cohort):
    """Back to the page the session was changed from: the cohort's page, or a page of all its sessions."""
    return redirect(safe_next_url(request.form.get("next"))
                    or url_for("cohorts.detail", cohort_id=cohort.id, _anchor="sessions"))


def _session_of(cohort, session_id):
    session = TrainingSession.get_or_none((TrainingSession.id == session_id) & (TrainingSession.cohort == cohort))
    if session is None:
        abort(404)
    return session


def _flash_errors(form):
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "danger")

display.init_blueprint(bp)
