"""Account administration forms."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from registry.auth.forms import LANGUAGE_CHOICES, NewPasswordMixin
from registry.auth.models import ROLES
from registry.reference.models import Province
from registry.web.forms import FlaskForm

ROLE_LABELS = {"admin": _l("Admin"), "officer": _l("Program officer"), "trainer": _l("Trainer"),
               "manager": _l("Manager (M&E)")}


class CheckboxListField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(FlaskForm):
    """An account's name, role, language and province scope."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    # No role is chosen for the admin: least privilege by default, an account gets the role someone picked.
    role = SelectField(_l("Role"), choices=[SelectChoice("", _l("Choose a role"))] + [
        SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], validators=[DataRequired(message=_l("Choose a role."))])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    all_provinces = BooleanField(_l("All provinces"), description=_l(
        "When this is ticked, the account sees every province, and the list below is ignored."))
    provinces = CheckboxListField(_l("Provinces"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.provinces.choices = [SelectChoice(p.code, f"{p.code} {p.name}") for p in Province.listed()]

    def validate_provinces(self, field):
        """A user sees all provinces or at least one."""
        if not self.all_provinces.data and not field.data:
            raise ValidationError(_l("Choose at least one province, or all provinces."))

    def province_codes(self):
        """The scope as the services take it: None for all provinces."""
        return None if self.all_provinces.data else set(self.provinces.data)


class NewUserForm(NewPasswordMixin, UserForm):
    """A new account with a first password."""

    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=3, max=64),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, dots, dashes and underscores only.")),
    ])
    new_password = PasswordField(_l("Temporary password"), validators=[DataRequired(), Length(max=256)],
                                 description=_l("The person chooses their own at their first sign-in."))
    field_order = ("username",)

    def validate_new_password(self, field):
        """The policy, knowing the username being created."""
        self.username_for_policy = self.username.data or ""
        super().validate_new_password(field)


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    """An admin sets a new password for a user."""

    new_password = PasswordField(_l("Temporary password"), validators=[DataRequired(), Length(max=256)],
                                 description=_l("The person chooses their own at their next sign-in."))
    submit = SubmitField(_l("Reset password"))
