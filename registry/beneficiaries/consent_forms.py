"""The consent page's two forms: consent given, and consent withdrawn. The API reads its JSON through them too.

They check what a field holds (a date, a reason of sensible length); the rules that depend on the
record (not before registration, not before the withdrawal...) are the services' (consent.py).
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from registry.beneficiaries.consent import REASON_MAX, SCOPES
from registry.beneficiaries.forms import no_control_characters
from registry.web.forms import FlaskForm


class ConsentForm(FlaskForm):
    """Consent given: what the person consents to now, and the day."""

    consent_data_use = BooleanField(_l("Consents to the use of their data"))
    consent_follow_up = BooleanField(_l("Consents to follow-up contact"))
    consent_photos = BooleanField(_l("Consents to photos"))
    consent_on = DateField(_l("Date of consent"), default=date.today, validators=[InputRequired()])
    give = SubmitField(_l("Record consent given"))

    def scopes(self):
        """The scopes ticked, as consent.record_consent takes them."""
        return {scope for scope, name in SCOPES.items() if self[name].data}


class WithdrawalForm(FlaskForm):
    """Consent withdrawn: the day, and why."""

    withdrawn_on = DateField(_l("Date of withdrawal"), default=date.today, validators=[InputRequired()])
    reason = TextAreaField(_l("Why consent is withdrawn"), filters=[lambda v: (v or "").strip()],
                           validators=[DataRequired(_l("Say why consent is withdrawn.")), Length(max=REASON_MAX),
                                       no_control_characters])
    withdraw = SubmitField(_l("Withdraw consent"))
