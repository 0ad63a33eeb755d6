"""Helpers every template can call: navigation by role, labels, the current language."""
from flask import current_app, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry.auth.models import ADMIN, MANAGER, OFFICER, ROLES, TRAINER
from registry.reference.models import Province
from registry.timeutil import office_zone, utcnow, zone_label
from registry.users.forms import ROLE_LABELS

# (endpoint, label, roles allowed): later features add their entries here.
NAV = [
    ("main.home", _l("Home"), ROLES),
    ("beneficiaries.index", _l("Participants"), (ADMIN, OFFICER)),
    ("cohorts.index", _l("Training"), (ADMIN, OFFICER, TRAINER)),
    ("outcomes.due", _l("Follow-ups"), (ADMIN, OFFICER)),
    ("reports.index", _l("Reports"), (ADMIN, MANAGER, OFFICER)),
    ("programs.index", _l("Programs"), (ADMIN,)),
    ("indicators.index", _l("Indicators"), (ADMIN,)),
    ("users.index", _l("Users"), (ADMIN,)),
    ("audit.index", _l("Audit log"), (ADMIN,)),
]


def nav_items():
    """The navigation entries the signed-in user may open."""
    return [item for item in NAV if current_user.is_authenticated and current_user.role in item[2]]


def role_label(role):
    """A role's name in the user's language."""
    return ROLE_LABELS.get(role, role)


def scope_label(user):
    """A user's province scope as people read it."""
    codes = user.province_codes()
    if codes is None:
        return _l("All provinces")
    names = _province_names()
    return ", ".join(names.get(code, code) for code in sorted(codes))


def _province_names():
    """Province names by code, read once per request."""
    if "province_names" not in g:
        g.province_names = {p.code: p.name for p in Province.select()}
    return g.province_names


def current_locale():
    """The interface language code, 'en' or 'km'."""
    return str(get_locale() or "en")


def office_zone_label():
    """The office's time zone, in which every time on the pages is shown: "Asia/Phnom_Penh (UTC+07:00)"."""
    return zone_label(office_zone(current_app.config["OFFICE_TIMEZONE"]), utcnow())


def init_app(app):
    """Make the helpers available in templates."""
    app.jinja_env.globals.update(nav_items=nav_items, role_label=role_label, scope_label=scope_label,
                                 current_locale=current_locale, office_zone_label=office_zone_label)
