"""The province scope: which provinces a user may see, queries limited to them, and loaders that check them.

A user with provinces (officers, managers, trainers) sees records of those provinces only; a user without
(admins) sees all. Every scope check in the registry goes through here.
"""
from operator import attrgetter

from flask import abort
from flask_login import current_user

from registry.reference.models import Province


def scoped(query, province_field, user=None):
    """Limit a query to a user's provinces (the signed-in user's unless given)."""
    codes = (user or current_user).province_codes()
    return query if codes is None else query.where(province_field.in_(sorted(codes)))


def provinces_in_scope(user=None):
    """The provinces a user (the signed-in one unless given) may register people in: a query."""
    return scoped(Province.listed(), Province.code, user)


def check_scope(province_code):
    """Answer 404 when a record's province is outside the signed-in user's scope.

    404, not 403: a scoped user should not learn that the record exists.
    """
    if not current_user.in_scope(province_code):
        abort(404)


def in_scope_or_404(record, province=attrgetter("province_id")):
    """The record when it exists and its province (read by `province`) is in the user's scope, else 404."""
    if record is None:
        abort(404)
    check_scope(province(record))
    return record
