"""Account administration use cases, each in one transaction with its audit event."""
from flask_babel import gettext as _
from peewee import IntegrityError

from registry.audit.services import changed_fields, record_event
from registry.auth.models import ROLES, User, UserProvince
from registry.auth.passwords import hash_password
from registry.auth.services import end_all_sessions
from registry.db import database
from registry.reference.models import Province


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def _snapshot(user):
    codes = user.province_codes()
    return {
        "full_name": user.full_name,
        "role": user.role,
        "language": user.language,
        "active": user.active,
        "provinces": "all" if codes is None else ",".join(sorted(codes)),
    }


def _check(role, province_codes):
    if role not in ROLES:
        raise UserError(_("Unknown role: %(role)s.", role=role))
    if province_codes is not None:
        known = {p.code for p in Province.select(Province.code).where(Province.code.in_(list(province_codes)))}
        unknown = sorted(set(province_codes) - known)
        if unknown:
            raise UserError(_("Unknown province code: %(codes)s.", codes=", ".join(unknown)))


def _set_scope(user, province_codes):
    user.all_provinces = province_codes is None
    UserProvince.delete().where(UserProvince.user == user).execute()
    if province_codes:
        UserProvince.insert_many([(user.id, code) for code in sorted(province_codes)],
                                 fields=[UserProvince.user, UserProvince.province]).execute()
    user.__dict__.pop("_province_codes", None)


def create_user(username, full_name, role, password, province_codes=None, language="en", temporary=False):
    """Create an account. province_codes None means all provinces.

    A temporary password (an admin chose it) must be changed by the user at their first sign-in.

    :raise UserError: unknown role or province, or the username is taken.
    """
    _check(role, province_codes)
    try:
        with database.atomic():
            user = User.create(username=username.strip(), full_name=full_name.strip(), role=role,
                               language=language, all_provinces=province_codes is None,
                               password_hash=hash_password(password), must_change_password=temporary)
            _set_scope(user, province_codes)
            record_event("user.create", obj=user, detail=_snapshot(user))
    except IntegrityError:
        raise UserError(_("The username %(username)s is taken.", username=username)) from None
    return user


def update_user(user, full_name, role, language, province_codes):
    """Change an account's name, role, language and scope; audit the changed fields."""
    _check(role, province_codes)
    before = _snapshot(user)
    with database.atomic():
        user.full_name, user.role, user.language = full_name.strip(), role, language
        _set_scope(user, province_codes)
        user.save()
        changes = changed_fields(before, _snapshot(user))
        if changes:
            record_event("user.update", obj=user, detail=changes)
    return user


def set_active(user, active):
    """Deactivate (ending every session) or reactivate an account."""
    if user.active == active:
        return user
    with database.atomic():
        user.active = active
        user.save()
        if not active:
            end_all_sessions(user, "deactivated")
        record_event("user.activate" if active else "user.deactivate", obj=user)
    return user


def reset_password(user, password):
    """Set a temporary password chosen by an admin; the user's sessions end, and they choose their own next."""
    with database.atomic():
        user.password_hash = hash_password(password)
        user.must_change_password = True
        user.save()
        end_all_sessions(user, "password_reset")
        record_event("user.password_reset", obj=user)
    return user
