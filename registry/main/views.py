"""Home page by role."""
from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user

from registry.auth.models import ADMIN, OFFICER, TRAINER, User
from registry.audit.models import AuditEvent
from registry.dashboard.build import dashboard_for, scope_of
from registry.dashboard.cache import kept

bp = Blueprint("main", __name__)


def _todays_sessions():
    """Today's sessions of the cohorts the signed-in trainer teaches."""
    from registry.programs.models import Cohort, CohortTrainer, TrainingSession

    return (TrainingSession.select(TrainingSession, Cohort).join(Cohort).join(CohortTrainer)
            .where((CohortTrainer.trainer == current_user.id) & (TrainingSession.held_on == date.today())
                   & ~TrainingSession.cancelled).order_by(Cohort.name))


def _follow_ups_due():
    """How many follow-ups are overdue or due within a month, in the officer's provinces."""
    from registry.outcomes.queries import due_list

    return due_list().count()


@bp.get("/")
def home():
    """The signed-in user's starting page: their dashboard, and what their role needs first."""
    user, today = current_user._get_current_object(), date.today()
    scope = scope_of(user)  # the figures depend on the scope, not on who asks: users of one scope share them
    context = {"dashboard": kept(("dashboard", user.role == TRAINER, scope, today),
                                 lambda: dashboard_for(user, today))}
    if current_user.role == TRAINER:
        context["todays_sessions"] = list(_todays_sessions())
    if current_user.role in (ADMIN, OFFICER):
        context["follow_ups_due"] = kept(("follow_ups_due", scope, today), _follow_ups_due)
    if current_user.role == ADMIN:
        context["user_count"] = User.select().where(User.active).count()
        context["recent_events"] = (AuditEvent.with_actors().order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                    .limit(10))
    return render_template("main/home.html", **context)
