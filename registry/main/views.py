"""Home page by role."""
from flask import Blueprint, render_template
from flask_login import current_user

from registry.auth.models import ADMIN, User
from registry.audit.models import AuditEvent

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """The signed-in user's starting page, by role."""
    context = {}
    if current_user.role == ADMIN:
        context["user_count"] = User.select().where(User.active).count()
        context["recent_events"] = (AuditEvent.select().order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                    .limit(10))
    return render_template("main/home.html", **context)
