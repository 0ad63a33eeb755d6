"""Participant pages for officers and admins: list, register, profile, edit, archive."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries import deidentified, display, queries, services
from registry.beneficiaries.forms import BeneficiaryForm, form_values, new_record_defaults
from registry.beneficiaries.history import profile_history
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.profile_sections import profile_sections
from registry.beneficiaries.search_form import SearchForm
from registry.reference.models import Province
from registry.web.forms import ConfirmForm
from registry.web.paging import paginated
from registry.web.scope import provinces_in_scope

PER_PAGE = 50
# What a row of the list shows; the other fifty columns stay in the database.
LISTED = (Beneficiary.id, Beneficiary.code, Beneficiary.given_name, Beneficiary.family_name, Beneficiary.given_name_km,
          Beneficiary.family_name_km, Beneficiary.sex, Beneficiary.date_of_birth, Beneficiary.birth_year,
          Beneficiary.province, Beneficiary.category, Beneficiary.status, Province.code, Province.name_en,
          Province.name_km)
bp = guard_blueprint(Blueprint("beneficiaries", __name__, url_prefix="/beneficiaries"), ADMIN, OFFICER)


@bp.get("/")
def index():
    """The participant list with one search box and filters."""
    form, pages, people = _listed("list")
    return render_template("beneficiaries/index.html", form=form, pages=pages, people=people,
                           deidentified_filters=deidentified.filters_only(request.args))


@bp.get("/search")
def search():
    """The list's results alone (count, rows, pages) for the same parameters: the page fetches them as one types."""
    form, pages, people = _listed("search_as_you_type")
    return render_template("beneficiaries/_results.html", form=form, pages=pages, people=people)


def _listed(via):
    """(form, pages, people): the page of participants that the search box and filters ask for, audited as shown."""
    form = SearchForm(request.args, provinces=provinces_in_scope(), programs=queries.programs())
    valid = form.validate()
    query = queries.search(**form.filters()) if valid else queries.search()
    pages = paginated(queries.with_province(query).select(*LISTED), PER_PAGE, counted=query)
    people = list(pages.get_object_list())
    services.record_shown(people, current_user._get_current_object(), via, page=pages.get_page(),
                          filters={k: v for k, v in form.filters().items() if v} if valid else {})
    return form, pages, people


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Register a participant, showing likely duplicates before saving."""
    form = BeneficiaryForm(provinces=provinces_in_scope(), data=new_record_defaults(current_user)
                           if request.method == "GET" else None)
    matches = []
    if form.validate_on_submit():
        try:
            beneficiary = services.register_beneficiary(form.record_data(), current_user._get_current_object(),
                                                        allow_duplicate=request.form.get("allow_duplicate") == "1")
        except services.LikelyDuplicates as found:
            matches = found.matches
            services.record_shown([m.beneficiary for m in matches if current_user.in_scope(m.beneficiary.province_id)],
                                  current_user._get_current_object(), "duplicate_warning")
        else:
            flash(_("%(name)s is registered as %(code)s.", name=beneficiary.display_name, code=beneficiary.code),
                  "success")
            return redirect(url_for("beneficiaries.profile", code=beneficiary.code))
    return render_template("beneficiaries/form.html", form=form, beneficiary=None, matches=matches)


@bp.get("/<code>")
def profile(code):
    """A participant's profile; every view is audited."""
    beneficiary = queries.get_beneficiary_or_404(code)
    moved = queries.survivor_redirect(beneficiary)
    if moved:
        flash(_("%(code)s was merged into this record.", code=beneficiary.code), "info")
        return moved
    services.record_view(beneficiary, current_user._get_current_object())
    return render_template("beneficiaries/profile.html", b=beneficiary, history=profile_history(beneficiary),
                           sections=profile_sections(beneficiary), confirm=ConfirmForm())


@bp.route("/<code>/edit", methods=["GET", "POST"])
def edit(code):
    """Change a participant's details."""
    beneficiary = queries.get_beneficiary_or_404(code)
    if beneficiary.status == "merged":
        return queries.survivor_redirect(beneficiary)
    form = BeneficiaryForm(formdata=request.form if request.method == "POST" else MultiDict(form_values(beneficiary)),
                           provinces=provinces_in_scope())
    if form.validate_on_submit():
        services.update_beneficiary(beneficiary, form.record_data(), current_user._get_current_object())
        flash(_("The changes to %(code)s are saved.", code=beneficiary.code), "success")
        return redirect(url_for("beneficiaries.profile", code=beneficiary.code))
    if request.method == "GET":  # the form filled with the whole record (a refused POST shows what was sent)
        services.record_view(beneficiary, current_user._get_current_object(), via="edit")
    return render_template("beneficiaries/form.html", form=form, beneficiary=beneficiary, matches=[])


@bp.post("/<code>/archive")
def archive(code):
    """Archive a participant."""
    return _change_status(code, services.archive_beneficiary, _("%(code)s is archived."))


@bp.post("/<code>/restore")
def restore(code):
    """Restore an archived participant."""
    return _change_status(code, services.restore_beneficiary, _("%(code)s is active again."))


def _change_status(code, change, message):
    beneficiary = queries.get_beneficiary_or_404(code)
    if ConfirmForm().validate_on_submit():
        try:
            change(beneficiary, current_user._get_current_object())
        except services.BeneficiaryError as error:
            flash(str(error), "danger")
        else:
            flash(message % {"code": beneficiary.code}, "success")
    return redirect(url_for("beneficiaries.profile", code=beneficiary.code))


display.init_blueprint(bp)
