"""Forms of the training pages."""
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, DecimalField, HiddenField, IntegerField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField, widgets)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from registry.auth.models import TRAINER, User
from registry.beneficiaries.forms import no_control_characters, rounded_to
from registry.programs.choices import STATUS_LABELS, WEEKDAYS
from registry.programs.models import Program
from registry.web.forms import FlaskForm



class CheckboxList(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _stripped(value):
    """Text without the spaces around it, "" when left out (a value of spaces and form feeds is blank)."""
    return (value or "").strip()


def _text(label, length):
    """An optional text field that is "" (never None) when left out."""
    return StringField(label, validators=[Optional(), Length(max=length), no_control_characters], filters=[_stripped])


class ProgramForm(FlaskForm):
    """A program and its completion rule."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120), no_control_characters])
    sector = _text(_l("Sector"), 80)
    donor_award = _text(_l("Donor award"), 120)
    min_attendance_percent = IntegerField(_l("Minimum attendance to complete (%)"), default=80,
                                          validators=[InputRequired(), NumberRange(min=0, max=100)])
    assessment_required = BooleanField(_l("A final assessment must be passed"))
    active = BooleanField(_l("Offered (active)"), default=True)
    submit = SubmitField(_l("Save"))


class CohortForm(FlaskForm):
    """A cohort: program, place, dates, capacity and trainers."""

    program = SelectField(_l("Program"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120), no_control_characters])
    venue = _text(_l("Venue"), 200)
    province = SelectField(_l("Province"), validators=[InputRequired()])
    start_on = DateField(_l("Start date"), validators=[InputRequired()])
    end_on = DateField(_l("End date"), validators=[InputRequired()])
    capacity = IntegerField(_l("Capacity"), default=25, validators=[InputRequired(), NumberRange(min=1, max=500)])
    trainers = CheckboxList(_l("Trainers"), coerce=int)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.program.choices = [SelectChoice(p.id, p.name) for p in Program.select().where(Program.active)
                                .order_by(Program.name)]
        self.province.choices = [SelectChoice(p.code, f"{p.code} {p.name}") for p in provinces]
        self.trainers.choices = [SelectChoice(u.id, u.full_name) for u in User.select().where(
            (User.role == TRAINER) & User.active).order_by(User.full_name)]

    def validate_end_on(self, field):
        """The end is not before the start."""
        if self.start_on.data and field.data and field.data < self.start_on.data:
            raise ValidationError(_l("The cohort cannot end before it starts."))


class ScheduleForm(FlaskForm):
    """Generate sessions on some weekdays between the cohort's dates."""

    weekdays = CheckboxList(_l("Days of the week"), coerce=int, choices=WEEKDAYS, default=[0, 2, 4],
                            validators=[DataRequired(message=_l("Choose at least one day."))])
    hours = DecimalField(_l("Hours per session"), default=3, places=1,
                         validators=[InputRequired(), NumberRange(min=0.5, max=12)])
    holidays = TextAreaField(_l("Holidays to skip (one date a line, e.g. 2026-04-14)"), validators=[Optional()])
    submit = SubmitField(_l("Add the sessions"))

    def holiday_dates(self):
        """The holidays as dates; a ValidationError names a line that is not one."""
        days = []
        for line in (self.holidays.data or "").split():
            try:
                days.append(date.fromisoformat(line.strip()))
            except ValueError:
                # gettext, not lazy_gettext: a lazy string is trusted as HTML by Jinja, and `line` is user input.
                raise ValidationError(_("Not a date: %(line)s (write it as 2026-04-14).", line=line)) from None
        return days

    def validate_holidays(self, field):
        """Every line is a date."""
        self.holiday_dates()


class SessionForm(FlaskForm):
    """One session's day and length."""

    held_on = DateField(_l("Date"), validators=[InputRequired()])
    hours = DecimalField(_l("Hours"), default=3, places=1, validators=[InputRequired(), NumberRange(min=0.5, max=12)])
    submit = SubmitField(_l("Save"))


class EnrollForm(FlaskForm):
    """Enroll participants ticked in a filtered list, or typed by code (one per line, or spaced).

    When some would go to the waitlist, the page shows who first; `confirm` then sends the same
    values back with `waitlist`, the codes the user saw going to the waitlist.
    """

    codes = TextAreaField(_l("Participant codes"), validators=[Optional(), no_control_characters])
    picked = SelectMultipleField(validate_choice=False)  # the ticked rows of the filtered list
    enrolled_on = DateField(_l("Enrollment date"), default=date.today, validators=[InputRequired()])
    waitlist = HiddenField(validators=[Optional(), Length(max=20000), no_control_characters])
    submit = SubmitField(_l("Enroll"))
    confirm = SubmitField(_l("Confirm: enroll and put the others on the waitlist"))

    def validate(self, extra_validators=None):
        """Someone to enroll, ticked or typed (a form-level rule: both fields may be empty)."""
        valid = super().validate(extra_validators)
        if valid and not self.code_list():
            self.codes.errors.append(_l("Tick participants in the list or type their codes."))
            return False
        return valid

    def code_list(self):
        """The codes ticked and typed, upper-cased, without repeats."""
        seen = []
        for code in [*(self.picked.data or []), *(self.codes.data or "").replace(",", " ").split()]:
            if code.upper() not in seen:
                seen.append(code.upper())
        return seen

    def may_wait(self):
        """The codes the user agreed may go to the waitlist: none unless they pressed confirm."""
        return set((self.waitlist.data or "").split()) if self.confirm.data else set()


class StatusForm(FlaskForm):
    """Move an enrollment to another status."""

    status = SelectField(_l("New status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()
                                                    if k not in ("waitlisted",)])
    on = DateField(_l("Date of the change"), default=date.today, validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (for leaving)"), validators=[Optional(), Length(max=1000), no_control_characters],
                           filters=[_stripped])
    override_reason = TextAreaField(_l("Complete below the rule because…"), filters=[_stripped],
                                    validators=[Optional(), Length(max=1000), no_control_characters])
    submit = SubmitField(_l("Change"))


class AssessmentForm(FlaskForm):
    """The final assessment and the soft-skills scores."""

    assessment_passed = SelectField(_l("Final assessment"), choices=[
        SelectChoice("", _l("Not assessed")), SelectChoice("yes", _l("Passed")), SelectChoice("no", _l("Not passed"))])
    pre_score = DecimalField(_l("Soft-skills score before"), places=1, filters=[rounded_to(2)],
                             validators=[Optional(), NumberRange(min=0, max=1000)])
    post_score = DecimalField(_l("Soft-skills score after"), places=1, filters=[rounded_to(2)],
                              validators=[Optional(), NumberRange(min=0, max=1000)])
    submit = SubmitField(_l("Save"))

    def values(self):
        """The values as the service takes them."""
        passed = {"yes": True, "no": False}.get(self.assessment_passed.data)
        return {"assessment_passed": passed, "pre_score": self.pre_score.data, "post_score": self.post_score.data}


class AdmitForm(FlaskForm):
    """Admit someone from the waitlist on a day."""

    on = DateField(_l("Admitted on"), default=date.today, validators=[InputRequired()])
    submit = SubmitField(_l("Admit"))


class LeaveWaitlistForm(FlaskForm):
    """Withdraw someone from the waitlist, with the reason."""

    on = DateField(_l("Withdrawn on"), default=date.today, validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), filters=[_stripped], validators=[
        DataRequired(message=_l("Give the reason the person left.")), Length(max=1000), no_control_characters])
    submit = SubmitField(_l("Withdraw"))


class DateForm(FlaskForm):
    """A date, for actions such as completing everyone who meets the rule."""

    on = DateField(_l("Date"), default=date.today, validators=[InputRequired()])
    submit = SubmitField(_l("Complete them"))
