"""The dashboard of a user: the figures of their scope as count tiles and chart panels, in their language."""
from dataclasses import dataclass, field

from flask_babel import format_date, format_number, format_percent, get_locale
from flask_babel import gettext as _

from registry.auth.models import TRAINER
from registry.beneficiaries.choices import EMPLOYMENT_STATUS
from registry.dashboard import charts
from registry.dashboard.counts import Counts, follow_up_counts, in_training, people_by_province
from registry.dashboard.series import (COHORTS_SHOWN, MONTHS, NOT_REACHED, RECENT_DAYS, attendance_by_cohort,
                                       employment_at_six_months, monthly_flow)
from registry.dashboard.sql import Scope
from registry.dashboard.trainer import trainer_cohorts

MONTH_LABEL_WIDTH = 92
PROVINCE_LABEL_WIDTH = 130


@dataclass
class Tile:
    """One headline count: its label, its number as people read it, and what exactly it counts."""

    key: str
    label: str
    number: str
    hint: str


@dataclass
class Panel:
    """A chart with its title, description, note and the table that holds the same figures."""

    key: str
    title: str
    description: str
    chart: object  # a charts.Chart, or None when there is nothing to draw
    head: list
    rows: list = field(default_factory=list)
    note: str = ""
    empty: str = ""
    legend: list = field(default_factory=list)  # [(key, label, "fill" or "marker")]


def scope_of(user):
    """The records a user's dashboard counts: a trainer's cohorts, else the user's provinces."""
    if user.role == TRAINER:
        return Scope(trainer_id=user.id)
    codes = user.province_codes()
    return Scope(provinces=None if codes is None else frozenset(codes))


def dashboard_for(user, today):
    """{tiles, panels} for the user: a trainer gets their cohorts' counts and attendance; the others everything."""
    scope = scope_of(user)
    if user.role == TRAINER:
        rates, total = attendance_by_cohort(scope, today)
        return {"tiles": [], "cohorts": trainer_cohorts(rates, today), "recent_days": RECENT_DAYS,
                "panels": [attendance_panel(scope, today, own=True, found=(rates, total))]}
    provinces = people_by_province(scope)
    flow = monthly_flow(scope, today)
    start = flow.months[0].first_day
    counts = Counts(sum(p.people for p in provinces), in_training(scope, today), flow.enrolled, flow.completed,
                    *follow_up_counts(scope, start, today))
    return {"tiles": tile_groups(counts, start),
            "panels": [flow_panel(flow), attendance_panel(scope, today), employment_panel(scope, start, today),
                       province_panel(provinces)]}


def tile_groups(counts, since):
    """The six headline counts as two groups of tiles: as they stand today, and over the last months."""
    today = [
        Tile("registered", _("Registered"), format_number(counts.registered), _("participants in the registry")),
        Tile("in_training", _("In training now"), format_number(counts.in_training),
             _("in a cohort running today")),
    ]
    recent = [
        Tile("enrolled", _("Enrolled"), format_number(counts.enrolled), _("newly enrolled in a training")),
        Tile("completed", _("Completed"), format_number(counts.completed), _("completed a training")),
        Tile("followed_up", _("Followed up"), format_number(counts.followed_up),
             _("reached within a year of completing")),
        Tile("employed", _("Employed after training"), format_number(counts.employed),
             _("in a new job or business at their latest follow-up")),
    ]
    return [(_("Today"), today),
            (_("Last %(months)d months, since %(date)s", months=MONTHS, date=format_date(since, "long")), recent)]


def flow_panel(flow):
    """People enrolled and completing, month by month."""
    months = flow.months
    series = [("enrolled", _("Enrolled")), ("completed", _("Completed"))]
    labels = [format_date(m.first_day, "MMM y") for m in months]
    rows = [charts.Row(label, (m.enrolled, m.completed)) for label, m in zip(labels, months)]
    panel = Panel("flow", _("Enrollments and completions by month"),
                  _("People newly enrolled in a training, and people who completed one, in each of the last "
                    "%(months)d months.", months=len(months)), None,
                  [_("Month"), _("Enrolled"), _("Completed")],
                  [[label, format_number(m.enrolled), format_number(m.completed)] for label, m in zip(labels, months)],
                  empty=_("Nobody enrolled or completed a training in the last %(months)d months.", months=len(months)),
                  legend=[(key, label, "fill") for key, label in series])
    if any(m.enrolled or m.completed for m in months):
        panel.chart = charts.grouped_bars(rows, series, format_number, label_width=MONTH_LABEL_WIDTH)
    return panel


def attendance_panel(scope, today, own=False, found=None):
    """The attendance rate of the cohorts under way or ended lately, against their program's rule.

    :param found: attendance_by_cohort(scope, today), when the caller has read it already.
    """
    rates, total = found or attendance_by_cohort(scope, today)
    rows = [charts.Row(r.name, (r.rate, r.unrecorded), marker=r.min_attendance) for r in rates]
    description = (_("Sessions attended over sessions held while each person was enrolled, in your cohorts under "
                     "way or ended in the last %(days)d days. Grey: sessions with no mark recorded. The line marks "
                     "the program's completion rule.", days=RECENT_DAYS) if own else
                   _("Sessions attended over sessions held while each person was enrolled, in cohorts under way "
                     "or ended in the last %(days)d days. Grey: sessions with no mark recorded. The line marks the "
                     "program's completion rule.", days=RECENT_DAYS))
    panel = Panel("attendance", _("Attendance rate by cohort"), description, None,
                  [_("Cohort"), _("Started"), _("Attendance rate"), _("Not recorded"), _("Completion rule")],
                  [[r.name, format_date(r.start_on, "medium"), _percent_or_dash(r.rate),
                    _percent_or_dash(r.unrecorded), format_percent(r.min_attendance)] for r in rates],
                  empty=_("No cohort under way or ended in the last %(days)d days.", days=RECENT_DAYS),
                  legend=[("rate", _("Attendance rate"), "fill"), ("not_recorded", _("Not recorded"), "fill"),
                          ("marker", _("Completion rule"), "marker")])
    if rates:
        panel.chart = charts.rate_bars(rows, [("rate", _("Attendance rate")), ("not_recorded", _("Not recorded"))],
                                       format_percent, _("no session held yet"), _("Completion rule"))
    if total > COHORTS_SHOWN:
        panel.note = _("The %(shown)d cohorts that started last, of %(total)s.", shown=len(rates),
                       total=format_number(total))
    return panel


def employment_panel(scope, start, end):
    """Each program's completers by their work at the 6-month follow-up, over a period."""
    programs = employment_at_six_months(scope, start, end)
    keys = [k for k in (*EMPLOYMENT_STATUS, "unknown", NOT_REACHED) if any(p.people.get(k) for p in programs)]
    names = {**{k: str(v) for k, v in EMPLOYMENT_STATUS.items()}, "unknown": _("No status recorded"),
             NOT_REACHED: _("Not reached")}
    series = [(k, names[k]) for k in keys]
    rows = [charts.Row(p.name, tuple(p.people.get(k, 0) for k in keys)) for p in programs]
    panel = Panel("employment", _("Work at the 6-month follow-up, by program"),
                  _("People who completed a training, by their work at the latest 6-month follow-up that reached "
                    "them; those the follow-up did not reach are shown apart."), None,
                  [_("Program"), *(names[k] for k in keys), _("Total")],
                  [[p.name, *(format_number(p.people.get(k, 0)) for k in keys), format_number(p.total)]
                   for p in programs],
                  empty=_("No 6-month follow-up recorded yet."), legend=[(k, label, "fill") for k, label in series])
    if programs:
        panel.chart = charts.share_bars(rows, series, format_number, format_percent)
    return panel


def province_panel(provinces):
    """People registered in each province of the scope."""
    khmer = str(get_locale()) == "km"
    names = [(p.name_km if khmer else p.name_en) or p.code or _("Unknown") for p in provinces]
    rows = [charts.Row(name, (p.people,)) for name, p in zip(names, provinces)]
    panel = Panel("provinces", _("Participants by province"), _("People registered, by the province they live in."),
                  None, [_("Province"), _("Participants")],
                  [[name, format_number(p.people)] for name, p in zip(names, provinces)],
                  empty=_("No participant registered yet."))
    if provinces:
        panel.chart = charts.grouped_bars(rows, [("people", _("Participants"))], format_number,
                                          label_width=PROVINCE_LABEL_WIDTH)
    return panel


def _percent_or_dash(value):
    return "–" if value is None else format_percent(value)
