"""Account administration pages (admins only)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, User
from registry.users import services
from registry.users.forms import NewUserForm, ResetPasswordForm, UserForm
from registry.web.forms import ConfirmForm

bp = guard_blueprint(Blueprint("users", __name__, url_prefix="/users"), ADMIN)


@bp.get("/")
def index():
    """List the accounts, active first."""
    users = User.with_scopes(User.select().order_by(User.active.desc(), User.username))
    return render_template("users/index.html", users=users, confirm=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Create an account."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.full_name.data, form.role.data,
                                        form.new_password.data, form.province_codes(), form.language.data,
                                        temporary=True)
        except services.UserError as error:
            form.username.errors.append(str(error))
        else:
            flash(_("The account %(username)s is created.", username=user.username), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id):
    """Edit an account's name, role, language and scope."""
    user = get_object_or_404(User, User.id == user_id)
    codes = user.province_codes()
    form = UserForm(obj=user, data=None if request.method == "POST" else {
        "all_provinces": codes is None, "provinces": sorted(codes or ())})
    if form.validate_on_submit():
        services.update_user(user, form.full_name.data, form.role.data, form.language.data, form.province_codes())
        flash(_("The account %(username)s is saved.", username=user.username), "success")
        return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user, reset=ResetPasswordForm(),
                           confirm=ConfirmForm())


@bp.post("/<int:user_id>/active")
def toggle_active(user_id):
    """Deactivate an active account or reactivate an inactive one."""
    user = get_object_or_404(User, User.id == user_id)
    form = ConfirmForm()
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "danger")
    elif form.validate_on_submit():
        services.set_active(user, not user.active)
        if user.active:
            flash(_("%(username)s can sign in again.", username=user.username), "success")
        else:
            flash(_("%(username)s is deactivated and signed out.", username=user.username), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.post("/<int:user_id>/password")
def reset_password(user_id):
    """Set a new password for an account."""
    user = get_object_or_404(User, User.id == user_id)
    form = ResetPasswordForm()
    form.username_for_policy = user.username
    if form.validate_on_submit():
        services.reset_password(user, form.new_password.data)
        flash(_("The password of %(username)s is reset.", username=user.username), "success")
    else:
        for error in form.new_password.errors:
            flash(error, "danger")
    return redirect(url_for("users.edit", user_id=user.id))
