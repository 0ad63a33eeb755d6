"""Forms of the outcome pages: the follow-up and the exchange rates."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from registry.beneficiaries import choices
from registry.beneficiaries.forms import no_control_characters, rounded_to
from registry.outcomes.models import EMPLOYED, WINDOWS
from registry.web.forms import FlaskForm

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
    job_started_on = DateField(_l("Job or business started on"), validators=[Optional()], description=_l(
        "Required for a job or a business: EG.6-12 counts a job as new only when it started on or after the person "
        "enrolled in the training."))
    job_before_training = BooleanField(_l("The job or business started before the training"))
    employer = _text(_l("Employer or business"), 200)
    sector = _text(_l("Sector"), 100)
    related_to_training = SelectField(_l("Related to the training"), default="",
                                      choices=_options({"yes": _l("Yes"), "no": _l("No")}, blank=_l("Unknown")))
    monthly_income = DecimalField(_l("Monthly income"), places=2, filters=[rounded_to(2)], validators=[
        Optional(), NumberRange(min=0, max=10**9, message=_l("The income cannot be negative."))],
        description=_l("0 if none: a person without work or earnings earns 0."))
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
        """The rules across fields: a reached person's work and income, a job's start, a re-migration's country."""
        valid = super().validate(extra_validators)
        today = date.today()
        reached = self.reached.data == "yes"
        job = reached and self.status.data in EMPLOYED
        income = None if self.monthly_income.errors else self.monthly_income.data  # NaN cannot be compared
        rules = [
            (self.followed_on, self.followed_on.data and self.followed_on.data > today,
             _l("A follow-up cannot be dated in the future.")),
            (self.status, reached and not self.status.data, _l("Say what the person's work is now.")),
            (self.job_started_on, self.job_started_on.data and self.job_started_on.data > today,
             _l("The job cannot start in the future.")),
            (self.job_started_on, job and not self.job_started_on.data and not self.job_before_training.data,
             _l("Give the date the job or business started, or say that it started before the training.")),
            # EG.6-11 averages over the people whose income is recorded: a blank is no one, 0 is someone.
            (self.monthly_income, reached and self.monthly_income.data is None,
             _l("Give the monthly income: 0 if the person has no work or earnings.")),
            (self.currency, income is not None and income > 0 and not self.currency.data,
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
            job = self.status.data in EMPLOYED
            values.update(status=self.status.data, job_started_on=self.job_started_on.data,
                          job_before_training=job and self.job_before_training.data, employer=self.employer.data,
                          sector=self.sector.data,
                          related_to_training=YES_NO.get(self.related_to_training.data),
                          monthly_income=self.monthly_income.data, currency=self.currency.data or None,
                          hours_per_week=self.hours_per_week.data)
            if self.status.data == "migrated_abroad":
                values.update(country=self.country.data, regular_channels=YES_NO.get(self.regular_channels.data))
        return values


class FollowUpCorrectionForm(FollowUpForm):
    """The follow-up form again, prefilled, with the reason for the correction."""

    reason = TextAreaField(_l("Why is it corrected?"), validators=[
        DataRequired(message=_l("Say why the follow-up is corrected.")), Length(max=1000), no_control_characters],
        filters=[lambda v: (v or "").strip()])
    submit = SubmitField(_l("Save the correction"))

    @classmethod
    def stored(cls, follow_up):
        """The form's values of a stored follow-up, as a browser would post them (a dict of texts)."""
        def yes_no(value):
            return "" if value is None else "yes" if value else "no"

        def text(value):
            return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)

        values = {"enrollment": str(follow_up.enrollment_id), "window": text(follow_up.window_months),
                  "reached": yes_no(follow_up.reached), "related_to_training": yes_no(follow_up.related_to_training),
                  "regular_channels": yes_no(follow_up.regular_channels)}
        for name in ("followed_on", "method", "status", "job_started_on", "employer", "sector", "monthly_income",
                     "currency", "hours_per_week", "country", "note"):
            values[name] = text(getattr(follow_up, name))
        if follow_up.job_before_training:
            values["job_before_training"] = "y"
        return values


class DeleteFollowUpForm(FlaskForm):
    """Why a follow-up is deleted."""

    reason = TextAreaField(_l("Why is it deleted?"), validators=[
        DataRequired(message=_l("Say why the follow-up is deleted.")), Length(max=1000), no_control_characters],
        filters=[lambda v: (v or "").strip()])
    submit = SubmitField(_l("Delete the follow-up"))


class RateForm(FlaskForm):
    """The rate of one month, or the default."""

    month = DateField(_l("Month"), format="%Y-%m", validators=[Optional()],
                      render_kw={"type": "month", "placeholder": "2026-03"})
    khr_per_usd = DecimalField(_l("Riels per US dollar"), places=2,
                               validators=[InputRequired(), NumberRange(min=1000, max=10000)])
    submit = SubmitField(_l("Save"))


