"""Sign-in and own-account forms."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from registry.auth.passwords import password_problem
from registry.web.forms import FlaskForm

LANGUAGE_CHOICES = [SelectChoice("en", "English", {"lang": "en"}), SelectChoice("km", "ខ្មែរ", {"lang": "km"})]


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    submit = SubmitField(_l("Sign in"))


class NewPasswordMixin:
    """Validates a new password against the policy; the form supplies `username_for_policy`."""

    username_for_policy = ""

    def password_replaced(self):
        """The password the new one replaces, when the form asks for it (a user changing their own)."""
        return None

    def validate_new_password(self, field):
        """Apply the password policy."""
        problem = password_problem(field.data or "", self.username_for_policy, self.password_replaced())
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    """A user changes their own password."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))

    def password_replaced(self):
        """The current password as typed: the new one must not be it."""
        return self.current_password.data or None


class LanguageForm(FlaskForm):
    """The language switch in the navigation."""

    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
