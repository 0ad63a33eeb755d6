"""The filters of the audit page, read from the query string."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from registry.audit.sentences import action_label, family_label, kind_label
from registry.web.forms import FlaskForm

BAD_DATE = _l("Enter the date as YYYY-MM-DD, for example 2026-03-31.")
# PostgreSQL refuses NUL in a query parameter outright (a 500), and no username or code holds one.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def no_control_characters(form, field):
    """Refuse search text holding control characters."""
    if field.data and _CONTROL.search(field.data):
        raise ValidationError(_l("Remove the control characters."))


class AuditFilterForm(FlaskForm):
    """Who, what, which record and when; every value optional. GET only, so no CSRF token."""

    class Meta:
        csrf = False

    user = StringField(_l("User"), validators=[Optional(), Length(max=64), no_control_characters])
    action = SelectField(_l("Action"), default="", validators=[Optional()])
    object_type = SelectField(_l("Record type"), default="", validators=[Optional()])
    record = StringField(_l("Record"), validators=[Optional(), Length(max=64), no_control_characters])
    # Days in the office's time zone (OFFICE_TIMEZONE), as the times on the page are.
    date_from = DateField(_l("From"), validators=[Optional()], invalid_value_message=BAD_DATE)
    date_to = DateField(_l("To"), validators=[Optional()], invalid_value_message=BAD_DATE)

    def __init__(self, formdata, actions=(), object_types=()):
        super().__init__(formdata)
        families = sorted({action.split(".")[0] + "." for action in actions if "." in action})
        self.action.choices = ([SelectChoice("", _l("All actions"))]
                               + [SelectChoice(f, _l("%(family)s (all)", family=family_label(f[:-1])))
                                  for f in families]
                               + [SelectChoice(a, action_label(a)) for a in actions])
        self.object_type.choices = [SelectChoice("", _l("All record types"))] + [
            SelectChoice(t, kind_label(t)) for t in object_types]

    def validate_date_to(self, field):
        """The period ends on or after the day it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def filters(self):
        """The keyword arguments of queries.search_events."""
        return {"user": (self.user.data or "").strip(), "action": self.action.data or "",
                "object_type": self.object_type.data or "", "record": (self.record.data or "").strip(),
                "date_from": self.date_from.data, "date_to": self.date_to.data}
