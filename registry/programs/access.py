"""Who may open a cohort: officers and admins within their provinces, trainers only their own cohorts."""
from flask import abort, make_response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.models import TRAINER
from registry.programs.models import Cohort, CohortTrainer, TrainingSession
from registry.web.scope import in_scope_or_404, scoped


def visible_cohorts():
    """The cohorts the signed-in user may see (a query)."""
    query = Cohort.select()
    if current_user.role == TRAINER:
        return query.join(CohortTrainer).where(CohortTrainer.trainer == current_user.id)
    return scoped(query, Cohort.province)


def get_cohort_or_404(cohort_id):
    """A cohort the user may see; 404 outside their provinces, 403 for a trainer not assigned to it."""
    cohort = Cohort.get_or_none(Cohort.id == cohort_id)
    if current_user.role != TRAINER:
        return in_scope_or_404(cohort)
    if cohort is None:
        abort(404)
    if not CohortTrainer.select().where(
            (CohortTrainer.cohort == cohort) & (CohortTrainer.trainer == current_user.id)).exists():
        abort(403)
    return cohort


def get_session_or_404(session_id):
    """A training session of a cohort the user may see (the same rules as its cohort)."""
    session = TrainingSession.get_or_none(TrainingSession.id == session_id)
    if session is None:
        abort(404)
    get_cohort_or_404(session.cohort_id)
    return session


def refuse(message):
    """Answer 403 with a page that says why (the generic 403 page cannot name the record at fault)."""
    abort(make_response(render_template("errors/error.html", code=403, title=_("Not allowed"), text=message), 403))
