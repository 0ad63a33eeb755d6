"""/api/v1/beneficiaries: list, register, read, change and merge participants, record or withdraw consent."""
from datetime import date
from decimal import Decimal

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from registry.api.blueprints import api_blueprint, page_of, text_arg
from registry.api.errors import form_errors, json_object
from registry.api.fields import Field, checked, formdata_for
from registry.audit.services import record_event
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries import choices, consent, merging, queries, services
from registry.beneficiaries.consent import REASON_MAX
from registry.beneficiaries.consent_forms import ConsentForm, WithdrawalForm
from registry.beneficiaries.forms import BeneficiaryForm, form_values
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.services import BeneficiaryError
from registry.reference.models import Province
from registry.web.errors import ApiError

bp = api_blueprint("api_beneficiaries", ADMIN, OFFICER)


def _text(length):
    return Field("string", max_length=length)


def _one_of(mapping, nullable=True):
    return Field("string", enum=tuple(mapping), nullable=nullable)


def _yes_no():
    return Field("boolean", form_style="yes_no")


# The record's fields as the API names them (the form's names): null where unknown.
FIELDS = {
    "given_name": _text(100), "family_name": _text(100), "given_name_km": _text(100), "family_name_km": _text(100),
    "sex": _one_of(choices.SEX, nullable=False),
    "date_of_birth": Field("date"),
    "birth_year": Field("integer", description="An estimated year of birth, when there is no date."),
    "phone": _text(30),
    "province": Field("string", max_length=2, nullable=False, description="The province's code, e.g. 02."),
    "district": _text(100), "commune": _text(100), "village": _text(100),
    "id_document_type": _one_of(choices.ID_DOCUMENT_TYPE), "id_document_number": _text(40),
    "category": _one_of(choices.CATEGORY, nullable=False),
    "destination_country": _text(60), "sector_abroad": _text(100), "return_date": Field("date"),
    "return_mode": _one_of(choices.RETURN_MODE),
    "regular_migration": _yes_no(), "disability": _yes_no(), "idpoor": _yes_no(),
    "household_size": Field("integer"),
    "education_level": _one_of(choices.EDUCATION_LEVEL),
    "baseline_employment": _one_of(choices.EMPLOYMENT_STATUS),
    "baseline_monthly_income": Field("number"),
    "baseline_income_currency": _one_of(choices.CURRENCY),
    "consent_data_use": Field("boolean", nullable=False), "consent_follow_up": Field("boolean", nullable=False),
    "consent_photos": Field("boolean", nullable=False),
    "consent_on": Field("date"), "registered_on": Field("date"),
}
REQUIRED = ("sex", "province", "category")
READ_ONLY = {"code": {"type": "string"}, "status": {"type": "string", "enum": list(choices.STATUS)},
             "merged_into": {"type": "string", "nullable": True},
             "consent_withdrawn_on": {"type": "string", "format": "date", "nullable": True,
                                      "description": "The day consent was withdrawn; null unless withdrawn now. Set by "
                                                     "POST .../consent/withdrawal, cleared by POST .../consent."}}
# POST /beneficiaries/<code>/consent: consent given now (a scope left out is not given), and the day.
CONSENT_FIELDS = {
    "consent_data_use": Field("boolean", nullable=False), "consent_follow_up": Field("boolean", nullable=False),
    "consent_photos": Field("boolean", nullable=False),
    "on": Field("date", nullable=False, description="The day consent was given."),
}
# POST /beneficiaries/<code>/consent/withdrawal: the day and the person's reason.
WITHDRAWAL_FIELDS = {
    "on": Field("date", nullable=False, description="The day consent was withdrawn."),
    "reason": Field("string", max_length=REASON_MAX, nullable=False, description="Why consent is withdrawn."),
}


def beneficiary_json(beneficiary):
    """A participant as the API shows it: every field, null where unknown."""
    out = {}
    for name in FIELDS:
        value = getattr(beneficiary, "province_id" if name == "province" else name)
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif value == "":
            value = None
        out[name] = value
    merged_into = beneficiary.merged_into.code if beneficiary.merged_into_id else None
    withdrawn = beneficiary.consent_withdrawn_on.isoformat() if beneficiary.consent_withdrawn_on else None
    return {"code": beneficiary.code, "status": beneficiary.status, "merged_into": merged_into,
            "consent_withdrawn_on": withdrawn, **out}


def _validated(values, existing=None):
    """The record's data from checked JSON values through the participant form (the page's rules)."""
    formdata = formdata_for(values, FIELDS, base=form_values(existing) if existing else None)
    form = BeneficiaryForm(formdata=formdata, meta={"csrf": False}, provinces=Province.listed())
    if not form.validate():
        raise form_errors(form)
    data = form.record_data()
    if not current_user.in_scope(data["province"]):
        message = _("This province is outside your provinces.")
        raise ApiError(403, message, {"province": message})
    return data


def _get_in_scope(code):
    return queries.get_beneficiary_or_404(code)


@bp.get("/beneficiaries")
def index():
    """Participants in the caller's provinces matching ?q= and ?province=, newest first."""
    text = text_arg("q")
    query = queries.search(text=text, province=text_arg("province", 2) or None, status=text_arg("status", 10) or None)
    page = page_of(queries.with_province(query), lambda rows: [beneficiary_json(b) for b in rows])
    record_event("beneficiary.list", detail={"q": text, "via": "api",
                                             "returned": [item["code"] for item in page["items"]]})
    return jsonify(page)


@bp.post("/beneficiaries")
def create():
    """Register a participant; 409 with the likely duplicates unless "allow_duplicate": true."""
    body = json_object()
    allow = body.pop("allow_duplicate", False)
    if not isinstance(allow, bool):
        raise ApiError(422, _("Give true or false."), {"allow_duplicate": _("Give true or false.")})
    data = _validated(checked(body, FIELDS, REQUIRED))
    try:
        beneficiary = services.register_beneficiary(data, current_user._get_current_object(), allow_duplicate=allow)
    except services.LikelyDuplicates as found:
        raise ApiError(409, _("Likely already registered: check these records, or send \"allow_duplicate\": true."),
                       duplicates=[{"code": m.beneficiary.code, "reasons": list(m.reasons)}
                                   for m in found.matches]) from None
    return jsonify(beneficiary_json(beneficiary)), 201


@bp.get("/beneficiaries/<code>")
def read(code):
    """One participant (a merged record too: it names the record it was merged into); the view is audited."""
    beneficiary = _get_in_scope(code)
    services.record_view(beneficiary, current_user._get_current_object())
    return jsonify(beneficiary_json(beneficiary))


@bp.patch("/beneficiaries/<code>")
def update(code):
    """Change some fields; the others stay as they are, null clears one."""
    beneficiary = _get_in_scope(code)
    if beneficiary.status == "merged":
        raise ApiError(409, _("This record is merged into %(code)s: change that one.",
                              code=beneficiary.merged_into.code))
    values = checked(json_object(), FIELDS)
    _refuse_consent_after_withdrawal(beneficiary, values)
    data = _validated(values, existing=beneficiary)
    services.update_beneficiary(beneficiary, data, current_user._get_current_object())
    return jsonify(beneficiary_json(Beneficiary.get_by_id(beneficiary.id)))


@bp.post("/beneficiaries/<code>/merge")
def merge(code):
    """Merge the record {"duplicate": code} into this one, in one transaction."""
    survivor = _get_in_scope(code)
    values = checked(json_object(), {"duplicate": Field("string", max_length=16, nullable=False)}, ("duplicate",))
    duplicate = Beneficiary.get_or_none(Beneficiary.code == values["duplicate"].strip().upper())
    if duplicate is None or not current_user.in_scope(duplicate.province_id):
        message = _("No participant in your provinces with this code.")
        raise ApiError(422, message, {"duplicate": message})
    try:
        done = merging.merge_beneficiaries(survivor, duplicate, current_user._get_current_object())
    except BeneficiaryError as error:
        raise ApiError(409, str(error), {"duplicate": str(error)}) from None
    return jsonify({"merge": done.id, "survivor": beneficiary_json(Beneficiary.get_by_id(survivor.id)),
                    "duplicate": duplicate.code, "conflicts": merging.conflict_messages(done)})


def _refuse_consent_after_withdrawal(beneficiary, values):
    """409 for a PATCH that would change a withdrawn consent: only POST .../consent gives it again, dated."""
    if beneficiary.consent_withdrawn_on is None:
        return
    stored = form_values(beneficiary)
    changed = [name for name in services.CONSENT_FIELDS if name in values
               and FIELDS[name].form_value(values[name]) != stored.get(name)]
    if changed:
        message = _("Consent was withdrawn on %(date)s: record consent given with POST "
                    "/api/v1/beneficiaries/%(code)s/consent.", date=beneficiary.consent_withdrawn_on.isoformat(),
                    code=beneficiary.code)
        raise ApiError(409, message, {name: message for name in changed})


def _open_record(code):
    """The participant in the caller's provinces (404) that is not merged (409)."""
    beneficiary = _get_in_scope(code)
    if beneficiary.status == "merged":
        raise ApiError(409, _("This record is merged into %(code)s: change that one.",
                              code=beneficiary.merged_into.code))
    return beneficiary


def _consent_form(form_class, values, fields, names):
    """A consent form filled from checked JSON values (names: the API's name → the form's); 422 when invalid."""
    formdata = formdata_for(values, fields)
    for api_name, form_name in names.items():
        if api_name in formdata:
            formdata.setlist(form_name, formdata.poplist(api_name))
    form = form_class(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        raise form_errors(form, {form_name: api_name for api_name, form_name in names.items()})
    return form


def _consent_refused(error, fields):
    """A refusal of the consent services: 422 naming the field, 409 when it is about the record's state."""
    if error.field is None:
        return ApiError(409, str(error))
    return ApiError(422, str(error), {name: str(error) for name in fields[error.field]})


@bp.post("/beneficiaries/<code>/consent")
def give_consent(code):
    """Record consent given on a day: the scopes sent true are given, the others not; ends a withdrawal."""
    beneficiary = _open_record(code)
    form = _consent_form(ConsentForm, checked(json_object(), CONSENT_FIELDS, ("on",)), CONSENT_FIELDS,
                         {"on": "consent_on"})
    try:
        consent.record_consent(beneficiary, form.scopes(), form.consent_on.data, current_user._get_current_object())
    except consent.ConsentError as error:
        raise _consent_refused(error, {"scopes": list(consent.SCOPES.values()), "on": ["on"]}) from None
    return jsonify(beneficiary_json(Beneficiary.get_by_id(beneficiary.id)))


@bp.post("/beneficiaries/<code>/consent/withdrawal")
def withdraw_consent(code):
    """Withdraw every consent from a day on, with the reason."""
    beneficiary = _open_record(code)
    form = _consent_form(WithdrawalForm, checked(json_object(), WITHDRAWAL_FIELDS, ("on", "reason")),
                         WITHDRAWAL_FIELDS, {"on": "withdrawn_on"})
    try:
        consent.withdraw_consent(beneficiary, form.withdrawn_on.data, current_user._get_current_object(),
                                 form.reason.data)
    except consent.ConsentError as error:
        raise _consent_refused(error, {"on": ["on"], "reason": ["reason"]}) from None
    return jsonify(beneficiary_json(Beneficiary.get_by_id(beneficiary.id)))
