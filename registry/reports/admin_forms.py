"""Forms of the indicator pages (admins), and the labels of computations, kinds and disaggregations."""
from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from registry.beneficiaries.forms import no_control_characters
from registry.programs.forms import CheckboxList
from registry.reports import admin_services as services
from registry.reports.computations import COMPUTATIONS, DIMENSIONS
from registry.web.forms import FlaskForm

COMPUTATION_LABELS = {
    "enrolled": _l("People newly enrolled in training"),
    "completed": _l("People who completed training"),
    "completion_rate": _l("Completion rate of those whose training ended"),
    "soft_skills": _l("Improved soft-skills score"),
    "female_share": _l("Share of women among those enrolled"),
    "youth_share": _l("Share of youth (15-29) among those enrolled"),
    "new_employment": _l("New employment after training"),
    "further_education": _l("Further education or training after training"),
    "irregular_remigration": _l("Re-migration abroad through irregular channels"),
    "earnings_change": _l("Average percent change in earnings"),
}
KIND_LABELS = {"count": _l("Count"), "percent": _l("Percentage"), "average": _l("Average")}
DIMENSION_LABELS = {"sex": _l("Sex"), "age_band": _l("Age"), "category": _l("Category"), "province": _l("Province"),
                    "disability": _l("Disability"), "program": _l("Program")}
QUARTER_LABELS = {0: _l("Whole year"), 1: _l("Q1"), 2: _l("Q2"), 3: _l("Q3"), 4: _l("Q4")}
CODE_RULE = _l("Use only letters, digits, dots, hyphens and underscores.")
NOT_A_NUMBER = _l("Type a number, such as 80 or 1500.5.")
KHMER_HELP = _l("Shown to those who use the registry in Khmer. Leave it empty to show them the English.")
PERCENT_RULE = _l("For a percentage or an average change, type the percent: 80 means 80%. "
                  "For a count, type the number.")


def computation_label(name):
    """A computation's readable name with its kind, e.g. "Share of women among those enrolled (Percentage)"."""
    kind = services.kind_of(name)
    return f"{COMPUTATION_LABELS.get(name, name)} ({KIND_LABELS.get(kind, kind)})"


def _stripped(value):
    return (value or "").strip()


class IndicatorForm(FlaskForm):
    """An indicator: code, title and definition (in Khmer too), computation, disaggregations, baseline, position."""

    code = StringField(_l("Code"), filters=[_stripped],
                       description=_l("Up to 32 letters, digits, dots, hyphens or underscores, e.g. EG.6-14."),
                       validators=[DataRequired(), Length(max=32), Regexp(r"[A-Za-z0-9._-]+\Z", message=CODE_RULE)])
    title = StringField(_l("Title"), filters=[_stripped],
                        validators=[DataRequired(), Length(max=300), no_control_characters])
    definition = TextAreaField(_l("Definition"), filters=[_stripped],
                               validators=[Optional(), Length(max=4000), no_control_characters])
    title_km = StringField(_l("Title in Khmer"), filters=[_stripped], description=KHMER_HELP,
                           validators=[Optional(), Length(max=300), no_control_characters])
    definition_km = TextAreaField(_l("Definition in Khmer"), filters=[_stripped], description=KHMER_HELP,
                                  validators=[Optional(), Length(max=4000), no_control_characters])
    computation = SelectField(_l("Computation"), validate_choice=False, validators=[InputRequired()])
    disaggregations = CheckboxList(_l("Disaggregations"), validate_choice=False,
                                   choices=[SelectChoice(name, label) for name, label in DIMENSION_LABELS.items()])
    baseline = DecimalField(_l("Baseline"), places=None, invalid_value_message=NOT_A_NUMBER, validators=[Optional()],
                            description=PERCENT_RULE)
    position = IntegerField(_l("Position in the report"), default=10,
                            description=_l("The report lists indicators from the lowest position up."),
                            validators=[InputRequired(), NumberRange(min=0, max=1_000_000)])
    active = BooleanField(_l("Reported (untick to retire it: it leaves the report, its history stays)"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.computation.choices = [SelectChoice(name, computation_label(name)) for name in COMPUTATIONS]

    def validate_computation(self, field):
        """One of the computations the registry knows."""
        if field.data not in COMPUTATIONS:
            raise ValidationError(_l("Choose one of the computations offered."))

    def validate_disaggregations(self, field):
        """Only disaggregations the report knows; none at all is allowed."""
        if any(name not in DIMENSIONS for name in field.data or []):
            raise ValidationError(_l("Choose disaggregations from the list."))

    def values(self):
        """The values as the service takes them (the baseline as typed)."""
        return {name: getattr(self, name).data for name in services.INDICATOR_FIELDS}


def indicator_data(indicator):
    """The form's starting values: an indicator's, its baseline as the admin types it; defaults for a new one."""
    if indicator is None:
        return {"computation": next(iter(COMPUTATIONS)), "disaggregations": list(DIMENSIONS),
                "position": services.next_position(), "active": True}
    return {"code": indicator.code, "title": indicator.title, "definition": indicator.definition,
            "title_km": indicator.title_km, "definition_km": indicator.definition_km,
            "computation": indicator.computation, "disaggregations": indicator.disaggregation_list(),
            "baseline": services.typed_value(services.kind_of(indicator.computation), indicator.baseline),
            "position": indicator.position, "active": indicator.active}


class TargetForm(FlaskForm):
    """A target for a fiscal year (quarter 0) or one of its quarters; prefixed, as it shares the indicator's page."""

    fiscal_year = IntegerField(_l("Fiscal year"), validators=[
        InputRequired(), NumberRange(min=2000, max=2100, message=_l("The fiscal year must be between 2000 and 2100."))])
    quarter = SelectField(_l("Quarter"), coerce=int, validate_choice=False, default=0,
                          choices=[SelectChoice(n, label) for n, label in QUARTER_LABELS.items()],
                          validators=[NumberRange(min=0, max=4, message=_l(
                              "The quarter must be 0 (the whole year) or 1 to 4."))])
    value = DecimalField(_l("Target"), places=None, invalid_value_message=NOT_A_NUMBER, validators=[InputRequired()],
                         description=PERCENT_RULE)
    submit = SubmitField(_l("Set the target"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "target")
        super().__init__(*args, **kwargs)


class FiscalYearForm(FlaskForm):
    """The month the fiscal year starts in."""

    month = SelectField(_l("The fiscal year starts in"), coerce=int, validate_choice=False,
                        validators=[NumberRange(min=1, max=12, message=_l("Choose a month from 1 to 12."))])
    submit = SubmitField(_l("Save the month"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = get_month_names("wide", locale=str(get_locale() or "en"))
        self.month.choices = [SelectChoice(n, names[n]) for n in range(1, 13)]
