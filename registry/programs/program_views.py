"""Programs (admins): the kinds of training offered and their completion rules."""
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN
from registry.programs import services
from registry.programs.forms import ProgramForm
from registry.programs.models import Program

bp = guard_blueprint(Blueprint("programs", __name__, url_prefix="/programs"), ADMIN)


@bp.get("/")
def index():
    """Every program, offered ones first."""
    programs = Program.select().order_by(Program.active.desc(), Program.name)
    return render_template("programs/index.html", programs=programs)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:program_id>", methods=["GET", "POST"])
def edit(program_id=None):
    """Create or change a program."""
    program = get_object_or_404(Program, Program.id == program_id) if program_id else None
    form = ProgramForm(obj=program, min_attendance_percent=int(program.min_attendance * 100) if program else 80)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in ("name", "sector", "donor_award",
                                                                "assessment_required", "active")}
        values["min_attendance"] = Decimal(form.min_attendance_percent.data) / 100
        try:
            program = services.save_program(program, values, current_user._get_current_object())
        except services.TrainingError as error:
            form.name.errors.append(str(error))
        else:
            flash(_("The program %(name)s is saved.", name=program.name), "success")
            return redirect(url_for("programs.index"))
    return render_template("programs/form.html", form=form, program=program)
