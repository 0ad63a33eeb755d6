"""The participant form: the one set of validation rules for the page, the import and the API."""
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from registry.beneficiaries import choices
from registry.beneficiaries.names import clean_name
from registry.beneficiaries.phones import normalize_phone
from registry.web.forms import FlaskForm

YES_NO = {"yes": True, "no": False}
OLDEST_AGE = 100
# C0 control characters but tab and line breaks, and DEL, as the API refuses them: no name or note
# needs them, and PostgreSQL refuses NUL outright (a 500 there, silently stored on SQLite).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(form, field):
    """Refuse text holding control characters; shared by the forms of every feature."""
    if field.data and _CONTROL.search(field.data):
        raise ValidationError(_l("Remove the control characters."))


def rounded_to(places):
    """A filter rounding a number to the decimal places its column keeps, halves away from zero.

    PostgreSQL would round it so anyway (SQLite keeps every digit), but it refuses a number such
    as 1e-20000 outright.
    """
    step = Decimal(1).scaleb(-places)

    def round_(value):
        if value is None or not value.is_finite() or value.adjusted() > 20:
            return value  # not a number, or far too large: NumberRange refuses it
        return value.quantize(step, rounding=ROUND_HALF_UP)

    return round_


def _choices(mapping, blank=None):
    """SelectChoices from a code → label mapping, with an optional blank first entry."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(code, label) for code, label in mapping.items()]


def _tri_state(label):
    """A yes / no / unknown question stored as True, False or None."""
    return SelectField(label, choices=_choices({"yes": _l("Yes"), "no": _l("No")}, blank=_l("Unknown")),
                       default="")


def _text(label, length=100):
    return StringField(label, validators=[Optional(), Length(max=length), no_control_characters], filters=[clean_name])


class BeneficiaryForm(FlaskForm):
    """Every field of a participant record (docs/domain.md#participant), named as the API names them."""

    given_name = _text(_l("Given name (Latin letters)"))
    family_name = _text(_l("Family name (Latin letters)"))
    given_name_km = _text(_l("Given name (Khmer)"))
    family_name_km = _text(_l("Family name (Khmer)"))
    sex = SelectField(_l("Sex"), choices=_choices(choices.SEX, blank=""), validators=[InputRequired()])
    date_of_birth = DateField(_l("Date of birth"), validators=[Optional()])
    birth_year = IntegerField(_l("Or estimated year of birth"), validators=[Optional()])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    province = SelectField(_l("Province"), validators=[InputRequired()])
    district = _text(_l("District"))
    commune = _text(_l("Commune"))
    village = _text(_l("Village"))
    id_document_type = SelectField(_l("ID document"), choices=_choices(choices.ID_DOCUMENT_TYPE, blank=_l("None")),
                                   default="")
    id_document_number = _text(_l("ID document number"), 40)
    category = SelectField(_l("Category"), choices=_choices(choices.CATEGORY, blank=""), validators=[InputRequired()])
    destination_country = _text(_l("Country of migration"), 60)
    sector_abroad = _text(_l("Sector worked in abroad"))
    return_date = DateField(_l("Date of return"), validators=[Optional()])
    return_mode = SelectField(_l("How they returned"), choices=_choices(choices.RETURN_MODE, blank=""), default="")
    regular_migration = _tri_state(_l("Migrated through regular channels"))
    disability = _tri_state(_l("Disability"))
    idpoor = _tri_state(_l("IDPoor household"))
    household_size = IntegerField(_l("Household size"), validators=[Optional(), NumberRange(min=1, max=40)])
    education_level = SelectField(_l("Education"), choices=_choices(choices.EDUCATION_LEVEL, blank=""), default="")
    baseline_employment = SelectField(_l("Employment at registration"),
                                      choices=_choices(choices.EMPLOYMENT_STATUS, blank=""), default="")
    baseline_monthly_income = DecimalField(_l("Monthly income at registration"), places=2, filters=[rounded_to(2)],
                                           validators=[Optional(), NumberRange(min=0, max=10**9, message=_l(
                                               "The income cannot be negative or beyond a billion."))])
    baseline_income_currency = SelectField(_l("Currency"), choices=_choices(choices.CURRENCY, blank=""), default="")
    consent_data_use = BooleanField(_l("Consents to the use of their data"))
    consent_follow_up = BooleanField(_l("Consents to follow-up contact"))
    consent_photos = BooleanField(_l("Consents to photos"))
    consent_on = DateField(_l("Date of consent"), validators=[Optional()])
    registered_on = DateField(_l("Date of registration"), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    @classmethod
    def field_names(cls):
        """The record fields of the form (not the button)."""
        return [name for name in dir(cls) if isinstance(getattr(cls, name, None), UnboundField)
                and name != "submit"]

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = [SelectChoice("", "")] + [SelectChoice(p.code, f"{p.code} {p.name}") for p in provinces]

    def validate(self, extra_validators=None):
        """Field rules, then the rules across fields (Optional() stops a field's own chain when it is empty)."""
        valid = super().validate(extra_validators)
        if not any(f.data for f in (self.given_name, self.family_name, self.given_name_km, self.family_name_km)):
            self.given_name.errors.append(_l("Give a name in Latin letters or in Khmer."))
            valid = False
        consent = self.consent_data_use.data or self.consent_follow_up.data or self.consent_photos.data
        if consent and not self.consent_on.data and not self.consent_on.errors:
            self.consent_on.errors.append(_l("Give the date the consent was recorded."))
            valid = False
        return valid

    def validate_date_of_birth(self, field):
        """Not in the future, not more than 100 years back."""
        if field.data:
            _check_birth_year(field.data.year, field.data)

    def validate_birth_year(self, field):
        """An estimated year in a plausible range; not both a date and a year."""
        if field.data is None:
            return
        if self.date_of_birth.data and field.data != self.date_of_birth.data.year:
            raise ValidationError(_l("Give either a date of birth or an estimated year, not both."))
        _check_birth_year(field.data)

    def validate_phone(self, field):
        """A Cambodian or international number; stored as +855..."""
        try:
            field.data = normalize_phone(field.data)
        except ValueError:
            raise ValidationError(_l("Not a phone number. Write it as 012 345 678 or +855 12 345 678.")) from None

    def validate_id_document_number(self, field):
        """A number needs its document type."""
        if field.data and not self.id_document_type.data:
            raise ValidationError(_l("Choose the type of ID document for this number."))

    def validate_return_date(self, field):
        """Not in the future, and only for returned migrants."""
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date of return cannot be in the future."))

    def validate_baseline_income_currency(self, field):
        """An amount needs its currency."""
        if self.baseline_monthly_income.data is not None and not field.data:
            raise ValidationError(_l("Choose the currency of the income."))

    def validate_consent_on(self, field):
        """The date of consent is not in the future."""
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date of consent cannot be in the future."))

    def validate_registered_on(self, field):
        """Registration cannot be dated in the future."""
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date of registration cannot be in the future."))

    def record_data(self):
        """The validated values as the services take them (model field names)."""
        data = {name: field.data for name, field in self._fields.items() if name not in ("submit", "csrf_token")}
        for name, field in self._fields.items():
            if isinstance(field, StringField) and data.get(name) is None:
                data[name] = ""  # a field absent from the input (an import, the API) is empty text
        for name in ("regular_migration", "disability", "idpoor"):
            data[name] = YES_NO.get(data[name])
        for name in ("id_document_type", "return_mode", "education_level", "baseline_employment",
                     "baseline_income_currency", "province"):
            data[name] = data[name] or None
        if data["category"] != "returned_migrant":
            data.update(destination_country="", sector_abroad="", return_date=None, return_mode=None,
                        regular_migration=None)
        data["registered_on"] = data["registered_on"] or date.today()
        return data


def new_record_defaults(user):
    """What a new registration starts with: consent recorded today, and the user's province when they cover one.

    Only the page's empty form takes them: the import and the API never fill in a value nobody gave.
    """
    defaults = {"consent_on": date.today()}
    codes = user.province_codes()
    if codes is not None and len(codes) == 1:
        defaults["province"] = next(iter(codes))
    return defaults


def _check_birth_year(year, born=None):
    today = date.today()
    if (born and born > today) or year > today.year:
        raise ValidationError(_l("The birth date cannot be in the future."))
    if year < today.year - OLDEST_AGE:
        raise ValidationError(_l("The birth date cannot be more than 100 years ago."))


def form_values(beneficiary):
    """An existing record as form input strings (what a browser would post), for editing or import."""
    values = {}
    for name in BeneficiaryForm.field_names():
        value = getattr(beneficiary, name + "_id" if name == "province" else name)
        if value is None or value is False or value == "":
            continue
        if name in ("regular_migration", "disability", "idpoor"):
            value = "yes" if value else "no"
        elif value is True:
            value = "y"
        values[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return values
