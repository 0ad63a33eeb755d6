"""Indicators as data (admins): create, change and retire them, set their targets, and the fiscal year's first month.

Each write is one transaction with its audit event. Values come as the admin types them: the target
or baseline of a percent or average indicator is a percentage (80 means 80%) and is kept as a
fraction (0.8), the unit the report computes in; a count's is kept as typed.
"""
import unicodedata
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import IntegrityError, fn

from registry.audit.services import changed_fields, record_event
from registry.db import database
from registry.reference.models import Setting
from registry.reports.computations import COMPUTATIONS, DIMENSIONS
from registry.reports.models import Indicator, IndicatorTarget

FIRST_MONTH_KEY = "fiscal_year_first_month"
INDICATOR_FIELDS = ("code", "title", "definition", "title_km", "definition_km", "computation", "disaggregations",
                    "baseline", "position", "active")
RATIO_KINDS = ("percent", "average")  # typed as a percentage, kept as a fraction
PLACES = Decimal("0.0001")  # the columns keep 4 decimal places
LARGEST = Decimal("1000000000")  # well inside the columns' 14 digits


class IndicatorError(ValueError):
    """A change the indicator rules refuse; `field` names the form field the message belongs next to."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def kind_of(computation):
    """The kind (count, percent or average) of a computation's name; None for an unknown one."""
    found = COMPUTATIONS.get(computation)
    return found.kind if found else None


def typed_value(kind, stored):
    """What the admin types for a stored value: 0.8 of a percent indicator is 80; None stays None."""
    if stored is None:
        return None
    value = (Decimal(stored) * 100 if kind in RATIO_KINDS else Decimal(stored)).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value  # 80, not 8E+1


def _stored(kind, typed, field):
    """The value kept for what the admin typed, checked against the kind's range and the column's places."""
    if not typed.is_finite():
        raise IndicatorError(field, _l("Type a number."))
    if kind == "percent" and not 0 <= typed <= 100:
        raise IndicatorError(field, _l("A percentage is between 0 and 100."))
    if kind == "average" and typed < -100:
        raise IndicatorError(field, _l("An average change cannot be below -100%."))
    if kind == "count" and typed < 0:
        raise IndicatorError(field, _l("A count cannot be negative."))
    if abs(typed) >= LARGEST:
        raise IndicatorError(field, _l("The number is too large."))
    value = typed / 100 if kind in RATIO_KINDS else typed
    if value != value.quantize(PLACES):
        raise IndicatorError(field, _l("Type at most 2 decimals for a percentage.") if kind in RATIO_KINDS
                             else _l("Type at most 4 decimals."))
    return value.quantize(PLACES)


def _text(value):
    return unicodedata.normalize("NFC", (value or "").strip())


def _plain(indicator):
    """The audited fields as JSON-ready values (a Decimal as text with its 4 places, on both databases)."""
    return {name: (str(Decimal(value).quantize(PLACES)) if name == "baseline" and value is not None else value)
            for name, value in ((n, getattr(indicator, n)) for n in INDICATOR_FIELDS)}


def _check_code(code, indicator_id):
    # Case-insensitive: two codes a donor reads as the same one would be confused in the report.
    taken = Indicator.select().where((fn.LOWER(Indicator.code) == code.lower()) & (Indicator.id != (indicator_id or 0)))
    if taken.exists():
        # gettext, not lazy_gettext: the message holds what the admin typed.
        raise IndicatorError("code", _("An indicator with the code %(code)s exists.", code=code))


def next_position():
    """The position after the last indicator's, for a new one (the report lists them by position)."""
    return (Indicator.select(fn.MAX(Indicator.position)).scalar() or 0) + 10


def save_indicator(indicator, values, user):
    """Create (indicator None) or change an indicator; audited with the changed fields.

    :param values: code, title, definition, title_km and definition_km (optional: empty shows Khmer readers the
        English; left out, they stay as they are), computation, disaggregations (a list, may be empty),
        baseline (as typed, or None), position, active (False retires it: it leaves the report, its
        targets and history stay).
    :raise IndicatorError: a code in use, an unknown computation or disaggregation, a bad baseline.
    """
    creating = indicator is None
    indicator = indicator or Indicator()
    code = _text(values["code"])
    _check_code(code, indicator.id)
    kind = kind_of(values["computation"])
    if kind is None:
        raise IndicatorError("computation", _l("Choose one of the computations offered."))
    if any(name not in DIMENSIONS for name in values["disaggregations"]):
        raise IndicatorError("disaggregations", _l("Choose disaggregations from the list."))
    baseline = None if values.get("baseline") is None else _stored(kind, values["baseline"], "baseline")
    before = {} if creating else _plain(indicator)
    indicator.code, indicator.title, indicator.definition = code, _text(values["title"]), _text(values["definition"])
    indicator.title_km = _text(values.get("title_km", indicator.title_km))
    indicator.definition_km = _text(values.get("definition_km", indicator.definition_km))
    indicator.computation, indicator.baseline = values["computation"], baseline
    indicator.disaggregations = ",".join(name for name in DIMENSIONS if name in values["disaggregations"])
    indicator.position, indicator.active = values["position"], bool(values["active"])
    try:
        with database.atomic():
            indicator.save()
            changes = changed_fields(before, _plain(indicator))
            if changes:
                record_event("indicator.create" if creating else "indicator.update", obj=indicator, user=user,
                             detail=changes)
    except IntegrityError:  # another admin took the code at the same moment
        raise IndicatorError("code", _("An indicator with the code %(code)s exists.", code=code)) from None
    return indicator


def set_target(indicator, fiscal_year, quarter, typed, user):
    """Add or change the target of a fiscal year (quarter 0) or one of its quarters (1-4); audited.

    :raise IndicatorError: a year outside 2000-2100, a quarter outside 0-4, a value out of range.
    """
    if fiscal_year is None or not 2000 <= fiscal_year <= 2100:
        raise IndicatorError("fiscal_year", _l("The fiscal year must be between 2000 and 2100."))
    if quarter not in range(5):
        raise IndicatorError("quarter", _l("The quarter must be 0 (the whole year) or 1 to 4."))
    value = _stored(kind_of(indicator.computation) or "count", typed, "value")
    where = ((IndicatorTarget.indicator == indicator) & (IndicatorTarget.fiscal_year == fiscal_year)
             & (IndicatorTarget.quarter == quarter))
    try:
        with database.atomic():
            row = IndicatorTarget.get_or_none(where)
            old = None if row is None else str(Decimal(row.target).quantize(PLACES))
            if row is None:
                IndicatorTarget.create(indicator=indicator, fiscal_year=fiscal_year, quarter=quarter, target=value)
            else:
                IndicatorTarget.update(target=value).where(IndicatorTarget.id == row.id).execute()
            if old != str(value):
                record_event("indicator.target", obj=indicator, user=user, detail={
                    "fiscal_year": fiscal_year, "quarter": quarter, "target": [old, str(value)]})
    except IntegrityError:  # another admin added the same target at the same moment
        raise IndicatorError("value", _l("Someone else set this target at the same moment: try again.")) from None


def remove_target(target, user):
    """Remove one target of an indicator; audited with the value it had."""
    with database.atomic():
        old = str(Decimal(target.target).quantize(PLACES))
        IndicatorTarget.delete().where(IndicatorTarget.id == target.id).execute()
        record_event("indicator.target", obj=target.indicator, user=user, detail={
            "fiscal_year": target.fiscal_year, "quarter": target.quarter, "target": [old, None]})


def set_fiscal_year_first_month(month, user):
    """Set the month (1-12) the fiscal year starts in; audited.

    :raise IndicatorError: a month outside 1-12.
    """
    if month not in range(1, 13):
        raise IndicatorError("month", _l("Choose a month from 1 to 12."))
    with database.atomic():
        old = Setting.get_value(FIRST_MONTH_KEY, None)
        Setting.insert(key=FIRST_MONTH_KEY, value=str(month)).on_conflict(
            conflict_target=[Setting.key], preserve=[Setting.value]).execute()
        if old != str(month):
            record_event("setting.update", obj=Setting(key=FIRST_MONTH_KEY), user=user,
                         detail={FIRST_MONTH_KEY: [old, str(month)]})
