"""Indicators (admins): the list and the fiscal year's first month, an indicator's page and its targets."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN
from registry.reports import admin_services as services
from registry.reports.admin_forms import (KIND_LABELS, QUARTER_LABELS, FiscalYearForm, IndicatorForm, TargetForm,
                                          computation_label, indicator_data)
from registry.reports.models import Indicator, IndicatorTarget
from registry.reports.periods import first_month, fiscal_year_of
from registry.web.forms import ConfirmForm

bp = guard_blueprint(Blueprint("indicators", __name__, url_prefix="/indicators"), ADMIN)


def _user():
    return current_user._get_current_object()


def _attach(form, error):
    """Show a service's refusal next to the field it names."""
    getattr(form, error.field).errors.append(str(error))


def _index_page(form):
    indicators = Indicator.select().order_by(Indicator.active.desc(), Indicator.position, Indicator.code)
    return render_template("reports/admin_index.html", indicators=indicators, form=form,
                           computation_label=computation_label, kind_of=services.kind_of, kind_labels=KIND_LABELS)


def _edit_page(indicator, form, target_form=None):
    targets = (indicator.targets.order_by(IndicatorTarget.fiscal_year.desc(), IndicatorTarget.quarter)
               if indicator else [])
    target_form = target_form or TargetForm(formdata=None, data={"fiscal_year": fiscal_year_of(date.today())})
    return render_template("reports/admin_form.html", indicator=indicator, form=form, targets=targets,
                           target_form=target_form, kind=services.kind_of(indicator.computation) if indicator else None,
                           typed_value=services.typed_value, quarter_labels=QUARTER_LABELS)


@bp.get("/")
def index():
    """Every indicator, reported ones first in report order, and the fiscal year's first month."""
    return _index_page(FiscalYearForm(data={"month": first_month()}))


@bp.post("/fiscal-year")
def fiscal_year():
    """Set the month the fiscal year starts in (the report's quarters follow it)."""
    form = FiscalYearForm()
    if form.validate_on_submit():
        try:
            services.set_fiscal_year_first_month(form.month.data, _user())
        except services.IndicatorError as error:
            _attach(form, error)
        else:
            flash(_("The fiscal year's first month is saved."), "success")
            return redirect(url_for("indicators.index"))
    return _index_page(form)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:indicator_id>", methods=["GET", "POST"])
def edit(indicator_id=None):
    """Create or change an indicator; unticking "reported" retires it."""
    indicator = get_object_or_404(Indicator, Indicator.id == indicator_id) if indicator_id else None
    old_kind = services.kind_of(indicator.computation) if indicator else None
    form = IndicatorForm(data=indicator_data(indicator) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            saved = services.save_indicator(indicator, form.values(), _user())
        except services.IndicatorError as error:
            _attach(form, error)
        else:
            flash(_("The indicator %(code)s is saved.", code=saved.code), "success")
            if old_kind and old_kind != services.kind_of(saved.computation) and saved.targets.exists():
                flash(_("The indicator's kind changed: check its targets, they are kept as they were."), "warning")
            return redirect(url_for("indicators.index") if indicator else
                            url_for("indicators.edit", indicator_id=saved.id))
    return _edit_page(indicator, form)


@bp.post("/<int:indicator_id>/targets")
def target(indicator_id):
    """Add or change the target of a fiscal year or one of its quarters."""
    indicator = get_object_or_404(Indicator, Indicator.id == indicator_id)
    form = TargetForm()
    if form.validate_on_submit():
        try:
            services.set_target(indicator, form.fiscal_year.data, form.quarter.data, form.value.data, _user())
        except services.IndicatorError as error:
            _attach(form, error)
        else:
            flash(_("The target is saved."), "success")
            return redirect(url_for("indicators.edit", indicator_id=indicator.id))
    return _edit_page(indicator, IndicatorForm(formdata=None, data=indicator_data(indicator)), form)


@bp.post("/<int:indicator_id>/targets/<int:target_id>/remove")
def remove_target(indicator_id, target_id):
    """Remove one target of an indicator."""
    indicator = get_object_or_404(Indicator, Indicator.id == indicator_id)
    row = get_object_or_404(IndicatorTarget, (IndicatorTarget.id == target_id)
                            & (IndicatorTarget.indicator == indicator))
    if ConfirmForm().validate_on_submit():
        services.remove_target(row, _user())
        flash(_("The target is removed."), "success")
    return redirect(url_for("indicators.edit", indicator_id=indicator.id))
