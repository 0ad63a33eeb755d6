"""/api/v1 follow-ups: record a contact after training, correct it, delete it (officers and admins)."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from registry.api.blueprints import api_blueprint
from registry.api.errors import form_errors, invalid, json_object
from registry.api.fields import Field, checked, formdata_for
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries import choices
from registry.beneficiaries.queries import get_beneficiary_or_404
from registry.outcomes import services
from registry.outcomes.forms import METHODS, DeleteFollowUpForm, FollowUpCorrectionForm, FollowUpForm
from registry.outcomes.models import WINDOWS, FollowUp
from registry.outcomes.queries import get_follow_up_or_404
from registry.programs.models import Enrollment
from registry.web.errors import ApiError

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
    "job_started_on": Field("date", description="Required for wage or self-employment, unless "
                                                "job_before_training: EG.6-12 counts a job as new only when it "
                                                "started on or after the enrollment."),
    "job_before_training": Field("boolean", nullable=False, description="The job or business started before "
                                                                       "the training: never new employment."),
    "employer": Field("string", max_length=200),
    "sector": Field("string", max_length=100),
    "related_to_training": Field("boolean", form_style="yes_no"),
    "monthly_income": Field("number", description="Required when reached: 0 for no work or earnings."),
    "currency": Field("string", enum=tuple(choices.CURRENCY), description="Required when the income is above 0."),
    "hours_per_week": Field("number"),
    "country": Field("string", max_length=60),
    "regular_channels": Field("boolean", form_style="yes_no"),
    "note": Field("string", max_length=2000),
}
FORM_NAMES = {"on": "followed_on"}  # the API's name → the form's
REASON = {"reason": Field("string", max_length=1000, nullable=False, description="Why it is corrected or deleted.")}


def follow_up_json(follow_up):
    """A follow-up as recorded."""
    def plain(value):
        if value is None or isinstance(value, (bool, int, str)):
            return value if value != "" else None
        return value.isoformat() if hasattr(value, "isoformat") else float(value)

    names = ("reached", "method", "status", "job_started_on", "job_before_training", "employer", "sector",
             "related_to_training", "monthly_income", "currency", "hours_per_week", "country", "regular_channels", "note")
    return {"id": follow_up.id, "beneficiary": follow_up.beneficiary.code, "enrollment": follow_up.enrollment_id,
            "window": follow_up.window_months, "on": follow_up.followed_on.isoformat(),
            **{name: plain(getattr(follow_up, name)) for name in names}}


def _form(form_class, values, completed, base=None):
    """The page's form over checked JSON values (over a stored follow-up's, for a change); 422 when invalid."""
    formdata = formdata_for(values, {**FIELDS, **REASON}, base)
    for api_name, form_name in FORM_NAMES.items():
        if api_name in formdata:
            formdata[form_name] = formdata.pop(api_name)
    form = form_class(formdata=formdata, meta={"csrf": False})
    form.enrollment.choices = [SelectChoice("", "")] + [SelectChoice(str(e.id), str(e.id)) for e in completed]
    if not form.validate():
        raise form_errors(form, {form_name: api_name for api_name, form_name in FORM_NAMES.items()})
    enrollment = next((e for e in completed if str(e.id) == form.enrollment.data), None)
    return form, enrollment, int(form.window.data) if form.window.data else None


def _completed(beneficiary):
    return list(Enrollment.select().where((Enrollment.beneficiary == beneficiary)
                                          & (Enrollment.status == "completed")))


def _refused(error):
    """A service's refusal as a 422 naming the field (under the API's name)."""
    names = {form_name: api_name for api_name, form_name in FORM_NAMES.items()}
    return invalid(str(error), names.get(error.field, error.field))


@bp.post("/beneficiaries/<code>/follow-ups")
def create(code):
    """Record a follow-up of a participant's completed training; 422 naming consent_follow_up without consent."""
    beneficiary = get_beneficiary_or_404(code)
    if beneficiary.status == "merged":
        raise ApiError(409, _("This record is merged into %(code)s: record the follow-up there.",
                              code=beneficiary.merged_into.code))
    follow_up = record_from_json(beneficiary, json_object(), current_user._get_current_object())
    return jsonify(follow_up_json(follow_up)), 201


def record_from_json(beneficiary, body, user, recorded_at=None):
    """Record a follow-up from the API's JSON, with the page's form and the service's rules (the page's sync too).

    :raise ApiError: 422 naming each field that is wrong, or consent_follow_up without consent.
    """
    values = checked(body, FIELDS, ("on", "reached", "method"))
    try:
        services.ensure_consent(beneficiary)  # before the form: whatever it says, this comes first
        form, enrollment, window = _form(FollowUpForm, values, _completed(beneficiary))
        return services.record_follow_up(beneficiary, form.values(), user, enrollment, window, recorded_at)
    except services.FollowUpError as error:
        raise _refused(error) from None


# One rule for both methods: as two rules, werkzeug answered 405 instead of 404 for an id out of range.
@bp.route("/follow-ups/<int:follow_up_id>", methods=["PATCH", "DELETE"])
def change(follow_up_id):
    """PATCH corrects a follow-up, DELETE deletes it; 404 outside the caller's provinces or once deleted."""
    follow_up = get_follow_up_or_404(follow_up_id)
    return _delete(follow_up) if request.method == "DELETE" else _update(follow_up)


def _update(follow_up):
    """Correct a follow-up: the fields sent over the stored ones, checked as a whole; "reason" required."""
    values = checked(json_object(), {**FIELDS, **REASON}, ("reason",))
    base = FollowUpCorrectionForm.stored(follow_up)
    form, enrollment, window = _form(FollowUpCorrectionForm, values, _completed(follow_up.beneficiary), base)
    try:
        services.update_follow_up(follow_up, form.values(), current_user._get_current_object(), form.reason.data,
                                  enrollment, window)
    except services.FollowUpError as error:
        raise _refused(error) from None
    return jsonify(follow_up_json(FollowUp.get_by_id(follow_up.id)))


def _delete(follow_up):
    """Delete a follow-up with {"reason": ...}: kept, marked deleted, counted nowhere."""
    form = DeleteFollowUpForm(formdata=formdata_for(checked(json_object(), REASON, ("reason",)), REASON),
                              meta={"csrf": False})
    if not form.validate():
        raise form_errors(form)
    try:
        services.delete_follow_up(follow_up, current_user._get_current_object(), form.reason.data)
    except services.FollowUpError as error:
        raise _refused(error) from None
    deleted = FollowUp.get_by_id(follow_up.id)
    return jsonify({"id": deleted.id, "beneficiary": follow_up.beneficiary.code, "reason": deleted.delete_reason,
                    "deleted_at": deleted.deleted_at.replace(microsecond=0).isoformat() + "Z"})
