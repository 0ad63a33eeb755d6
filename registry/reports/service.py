"""The report for a user: their province scope applied to the filters asked for."""
from registry.reports.indicators import indicator_report


class OutsideScope(Exception):
    """A province asked for lies outside the user's provinces (the views answer 403)."""


def scoped_provinces(user, asked):
    """The provinces to report on: those asked, within the user's scope (None: all).

    :raise OutsideScope: when a province asked for is outside the user's provinces.
    """
    scope = user.province_codes()
    if asked:
        if scope is not None and not set(asked) <= scope:
            raise OutsideScope(sorted(set(asked) - scope))
        return set(asked)
    return scope


def report_for_user(user, period, programs=(), provinces=()):
    """The indicator report of a period within the user's scope."""
    return indicator_report(period, programs=list(programs), provinces=scoped_provinces(user, provinces))
