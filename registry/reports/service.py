"""The report for the signed-in user: their province scope applied to the filters asked for."""
from flask import abort
from flask_login import current_user

from registry.reports.indicators import indicator_report


def scoped_provinces(asked):
    """The provinces to report on: those asked, within the user's scope (None: all); 403 outside it."""
    scope = current_user.province_codes()
    if asked:
        if scope is not None and not set(asked) <= scope:
            abort(403)
        return set(asked)
    return scope


def report_for_user(period, programs=(), provinces=()):
    """The indicator report of a period for the signed-in user's scope."""
    return indicator_report(period, programs=list(programs), provinces=scoped_provinces(provinces))
