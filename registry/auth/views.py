"""Sign in, sign out, own account and language."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth import services
from registry.auth.forms import ChangePasswordForm, LanguageForm, LoginForm
from registry.auth.guard import public
from registry.web.urls import safe_next_url

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the sign-in form; sign in on valid credentials."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data, request.remote_addr or "")
        except services.SignInLocked as locked:
            flash(_("Too many failed sign-ins. Try again in %(num)d minutes.", num=locked.minutes), "danger")
            return render_template("auth/login.html", form=form), 429
        if user:
            services.sign_in(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.home"))
        flash(_("Wrong username or password, or the account is deactivated."), "danger")
    # Only after a sign-out: a session that expired keeps its queue until its owner signs in again.
    return render_template("auth/login.html", form=form, erase_offline=session.pop("erase_offline", False))


@bp.post("/logout")
def logout():
    """Sign out of this session."""
    services.sign_out(current_user._get_current_object())
    flash(_("You are signed out."), "info")
    session["erase_offline"] = True  # the login page erases what this browser kept offline (docs/offline.md)
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    """The user's own account: change password, sign out everywhere."""
    form = ChangePasswordForm()
    form.username_for_policy = current_user.username
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            changed = services.change_own_password(user, form.current_password.data, form.new_password.data,
                                                   request.remote_addr or "")
        except services.SignInLocked as locked:
            form.current_password.errors.append(
                _("Too many failed sign-ins. Try again in %(num)d minutes.", num=locked.minutes))
            return render_template("auth/account.html", form=form), 429
        except services.PasswordRefused as refused:
            form.new_password.errors.append(str(refused))
            return render_template("auth/account.html", form=form)
        if changed:
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("auth.account"))
        form.current_password.errors.append(_("The current password is wrong."))
    return render_template("auth/account.html", form=form)


@bp.post("/account/sign-out-everywhere")
def sign_out_everywhere():
    """End every session of the user, this one included."""
    services.sign_out(current_user._get_current_object(), everywhere=True)
    flash(_("All your sessions are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
@public
def set_language():
    """Switch the interface language, kept on the account when signed in."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            services.set_language(current_user._get_current_object(), form.language.data)
        else:
            session["language_chosen"] = True  # on the sign-in page: the account takes it at sign-in
        session["language"] = form.language.data
    return redirect(safe_next_url(request.form.get("next")) or url_for("main.home"))
