"""/api/v1/beneficiaries/<code>/follow-ups: record a contact after training (officers and admins)."""
from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from registry.api.blueprints import api_blueprint
from registry.api.errors import ApiError, form_errors, invalid, json_object
from registry.api.fields import Field, checked, formdata_for
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries import choices
from registry.beneficiaries.queries import get_beneficiary_or_404
from registry.outcomes import services
from registry.outcomes.forms import METHODS, FollowUpForm
from registry.outcomes.models import WINDOWS
from registry.programs.models import Enrollment

bp = api_blueprint("api_follow_ups", ADMIN, OFFICER)

FIELDS = {
    "enrollment": Field("integer", description="The enrollment followed up; by default the latest completed "
                                               "on or before the date."),
    "window": Field("integer", enum=WINDOWS, description="The due window answered (3, 6 or 12 months); "
                                                        "by default the nearest."),
    "on": Field("date", nullable=False, description="The date of the contact."),
    "reached": Field("boolean", nullable=False, form_style="yes_no"),
    "method": Field("string", enum=tuple(METHODS), nullable=False),
    "status": Field("string", enum=tuple(choices.EMPLOYMENT_STATUS)),
    "job_started_on": Field("date"),
    "employer": Field("string", max_length=200),
    "sector": Field("string", max_length=100),
    "related_to_training": Field("boolean", form_style="yes_no"),
    "monthly_income": Field("number"),
    "currency": Field("string", enum=tuple(choices.CURRENCY)),
    "hours_per_week": Field("number"),
    "country": Field("string", max_length=60),
    "regular_channels": Field("boolean", form_style="yes_no"),
    "note": Field("string", max_length=2000),
}
FORM_NAMES = {"on": "followed_on"}  # the API's name → the form's


def follow_up_json(follow_up):
    """A follow-up as recorded."""
    def plain(value):
        if value is None or isinstance(value, (bool, int, str)):
            return value if value != "" else None
        return value.isoformat() if hasattr(value, "isoformat") else float(value)

    names = ("reached", "method", "status", "job_started_on", "employer", "sector", "related_to_training",
             "monthly_income", "currency", "hours_per_week", "country", "regular_channels", "note")
    return {"id": follow_up.id, "beneficiary": follow_up.beneficiary.code, "enrollment": follow_up.enrollment_id,
            "window": follow_up.window_months, "on": follow_up.followed_on.isoformat(),
            **{name: plain(getattr(follow_up, name)) for name in names}}


@bp.post("/beneficiaries/<code>/follow-ups")
def create(code):
    """Record a follow-up of a participant's completed training."""
    beneficiary = get_beneficiary_or_404(code)
    if beneficiary.status == "merged":
        raise ApiError(409, _("This record is merged into %(code)s: record the follow-up there.",
                              code=beneficiary.merged_into.code))
    values = checked(json_object(), FIELDS, ("on", "reached", "method"))
    formdata = formdata_for(values, FIELDS)
    for api_name, form_name in FORM_NAMES.items():
        if api_name in formdata:
            formdata[form_name] = formdata.pop(api_name)
    completed = list(Enrollment.select().where((Enrollment.beneficiary == beneficiary)
                                               & (Enrollment.status == "completed")))
    form = FollowUpForm(formdata=formdata, meta={"csrf": False})
    form.enrollment.choices = [SelectChoice("", "")] + [SelectChoice(str(e.id), str(e.id)) for e in completed]
    if not form.validate():
        raise form_errors(form, {form_name: api_name for api_name, form_name in FORM_NAMES.items()})
    chosen = next((e for e in completed if str(e.id) == form.enrollment.data), None)
    try:
        follow_up = services.record_follow_up(beneficiary, form.values(), current_user._get_current_object(),
                                              chosen, int(form.window.data) if form.window.data else None)
    except services.FollowUpError as error:
        raise invalid(str(error), "on") from None
    return jsonify(follow_up_json(follow_up)), 201
