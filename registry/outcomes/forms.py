"""Forms of the outcome pages: the follow-up and the exchange rates."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from registry.beneficiaries import choices
from registry.beneficiaries.forms import no_control_characters, rounded_to
from registry.outcomes.models import WINDOWS

METHODS = {"phone": _l("Phone call"), "visit": _l("Visit"), "other": _l("Other")}
YES_NO = {"yes": True, "no": False}


def _options(mapping, blank=None):
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(k, v) for k, v in mapping.items()]


def _text(label, length):
    return StringField(label, validators=[Optional(), Length(max=length), no_control_characters],
                       filters=[lambda v: (v or "").strip()])


class FollowUpForm(FlaskForm):
    """One contact after training and what the person does now."""

    # The selects with a blank choice default to it rather than take Optional(): Optional() also wipes the
    # "Not a valid choice" of a value made of spaces ("\r"), which then reached int() or the database.
    enrollment = SelectField(_l("Training followed up"), default="")
    window = SelectField(_l("Follow-up due at"), default="", choices=[SelectChoice("", _l("Nearest"))]
                         + [SelectChoice(str(n), _l("%(n)d months", n=n)) for n in WINDOWS])
    followed_on = DateField(_l("Date of the contact"), default=date.today, validators=[InputRequired()])
    reached = SelectField(_l("Reached"), choices=_options({"yes": _l("Yes"), "no": _l("No, not reached")}),
                          validators=[InputRequired()])
    method = SelectField(_l("How"), choices=_options(METHODS), validators=[InputRequired()])
    status = SelectField(_l("Work now"), choices=_options(choices.EMPLOYMENT_STATUS, blank=""), default="")
    job_started_on = DateField(_l("Job or business started on"), validators=[Optional()])
    employer = _text(_l("Employer or business"), 200)
    sector = _text(_l("Sector"), 100)
    related_to_training = SelectField(_l("Related to the training"), default="",
                                      choices=_options({"yes": _l("Yes"), "no": _l("No")}, blank=_l("Unknown")))
    monthly_income = DecimalField(_l("Monthly income"), places=2, filters=[rounded_to(2)], validators=[
        Optional(), NumberRange(min=0, max=10**9, message=_l("The income cannot be negative."))])
    currency = SelectField(_l("Currency"), choices=_options(choices.CURRENCY, blank=""), default="")
    hours_per_week = DecimalField(_l("Hours a week"), places=1, filters=[rounded_to(1)],
                                  validators=[Optional(), NumberRange(min=0, max=120)])
    country = _text(_l("Country (if migrated)"), 60)
    regular_channels = SelectField(_l("Migrated through regular channels"), default="",
                                   choices=_options({"yes": _l("Yes"), "no": _l("No")}, blank=_l("Unknown")))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000), no_control_characters],
                         filters=[lambda v: (v or "").strip()])
    submit = SubmitField(_l("Save the follow-up"))

    def validate(self, extra_validators=None):
        """The rules across fields: a reached person's work, a job's details, a re-migration's country."""
        valid = super().validate(extra_validators)
        today = date.today()
        rules = [
            (self.followed_on, self.followed_on.data and self.followed_on.data > today,
             _l("A follow-up cannot be dated in the future.")),
            (self.status, self.reached.data == "yes" and not self.status.data,
             _l("Say what the person's work is now.")),
            (self.job_started_on, self.job_started_on.data and self.job_started_on.data > today,
             _l("The job cannot start in the future.")),
            (self.currency, self.monthly_income.data is not None and not self.currency.data,
             _l("Choose the currency of the income.")),
            (self.country, self.status.data == "migrated_abroad" and not self.country.data,
             _l("Give the country the person migrated to.")),
        ]
        for field, broken, message in rules:
            if broken and not field.errors:
                field.errors.append(message)
                valid = False
        return valid

    def values(self):
        """The follow-up's values as the service takes them; job details only for someone reached."""
        values = {"followed_on": self.followed_on.data, "reached": self.reached.data == "yes",
                  "method": self.method.data, "note": self.note.data or ""}
        if values["reached"]:
            values.update(status=self.status.data, job_started_on=self.job_started_on.data,
                          employer=self.employer.data, sector=self.sector.data,
                          related_to_training=YES_NO.get(self.related_to_training.data),
                          monthly_income=self.monthly_income.data, currency=self.currency.data or None,
                          hours_per_week=self.hours_per_week.data)
            if self.status.data == "migrated_abroad":
                values.update(country=self.country.data, regular_channels=YES_NO.get(self.regular_channels.data))
        return values


class RateForm(FlaskForm):
    """The rate of one month, or the default."""

    month = DateField(_l("Month"), format="%Y-%m", validators=[Optional()],
                      render_kw={"type": "month", "placeholder": "2026-03"})
    khr_per_usd = DecimalField(_l("Riels per US dollar"), places=2,
                               validators=[InputRequired(), NumberRange(min=1000, max=10000)])
    submit = SubmitField(_l("Save"))


