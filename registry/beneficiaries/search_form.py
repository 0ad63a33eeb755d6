"""The search box and filters of the participant list."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from registry.beneficiaries import choices
from registry.web.forms import Form


def _options(mapping, blank):
    return [SelectChoice("", blank)] + [SelectChoice(code, label) for code, label in mapping.items()]


class SearchForm(Form):
    """GET parameters of the list: no CSRF, every value optional."""

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    province = SelectField(_l("Province"), validators=[Optional()])
    category = SelectField(_l("Category"), choices=_options(choices.CATEGORY, _l("All categories")),
                           validators=[Optional()])
    sex = SelectField(_l("Sex"), choices=_options(choices.SEX, _l("All")), validators=[Optional()])
    age_band = SelectField(_l("Age"), choices=_options(choices.AGE_BAND, _l("All ages")), validators=[Optional()])
    status = SelectField(_l("Status"), choices=_options({k: v for k, v in choices.STATUS.items() if k != "merged"},
                                                        _l("Active and archived")), validators=[Optional()])
    program = SelectField(_l("Program"), validators=[Optional()])

    def __init__(self, formdata, provinces=(), programs=()):
        """`programs`: (id, name) pairs; without them the program filter offers only "All programs"."""
        super().__init__(formdata)
        self.province.choices = [SelectChoice("", _l("All provinces"))] + [
            SelectChoice(p.code, f"{p.code} {p.name}") for p in provinces]
        self.program.choices = [SelectChoice("", _l("All programs"))] + [
            SelectChoice(str(program_id), name) for program_id, name in programs]

    def filters(self):
        """The keyword arguments of queries.search."""
        return {"text": self.q.data or "", "province": self.province.data or None,
                "category": self.category.data or None, "sex": self.sex.data or None,
                "age_band": self.age_band.data or None, "status": self.status.data or None,
                "program": int(self.program.data) if self.program.data else None}
