"""The audit log page (admins only): browse and filter the events, export them to Excel."""
import tempfile
from collections import defaultdict
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.core import UnboundField

from exports import XLSX_MIMETYPE
from exports.lists import SECONDS_FORMAT, write_list
from registry.audit import queries
from registry.audit.display import Labels, change_rows, detail_lines
from registry.audit.forms import AuditFilterForm
from registry.audit.sentences import Subject, sentence
from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, User
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.display import field_label, value_label
from registry.beneficiaries.queries import codes_by_id, ids_with_code
from registry.programs.choices import STATUS_LABELS
from registry.programs.forms import AssessmentForm, CohortForm, ProgramForm, SessionForm
from registry.programs.models import Cohort, Enrollment, Program, TrainingSession
from registry.reference.models import Province
from registry.timeutil import office_zone
from registry.users.forms import ROLE_LABELS, UserForm
from registry.web.paging import paginated

PER_PAGE = 50
bp = guard_blueprint(Blueprint("audit", __name__, url_prefix="/audit"), ADMIN)


def _filter_form():
    """The filter form on the query string, offering the actions and record types in the log."""
    return AuditFilterForm(request.args, actions=queries.actions_present(),
                           object_types=queries.object_types_present())


def _zone():
    return office_zone(current_app.config["OFFICE_TIMEZONE"])


def _filter_args():
    """The query string without the page number, for the export link and the way back to the page."""
    return {key: value for key, value in request.args.items() if key != "page" and value}


@bp.get("/")
def index():
    """The events newest first, filtered; invalid filters show their errors and no events."""
    form = _filter_form()
    if not form.validate():
        return render_template("audit/index.html", form=form, pages=None, events=[], codes={})
    query = queries.search_events(**form.filters(), ids_with_code=ids_with_code, zone=_zone())
    pages = paginated(query, PER_PAGE)
    events = list(pages.get_object_list())
    codes = queries.participant_codes(events, codes_by_id)
    if codes:  # the changes shown may hold their phones, ID numbers and birth dates
        record_event("audit.view", user=current_user._get_current_object(),
                     detail={"filters": _filter_args(), "shown": sorted(set(codes.values()))})
    return render_template("audit/index.html", form=form, pages=pages, events=_readable(events, codes),
                           export_args=_filter_args())


@bp.get("/export.xlsx")
def export():
    """The filtered events as a spreadsheet; the export itself is audited with its filters."""
    form = _filter_form()
    if not form.validate():
        flash(_("Correct the filters before exporting."), "danger")
        return redirect(url_for("audit.index", **_filter_args()))
    headers = [_("Event"), _("Chain position"), _("Time (UTC)"), _("User"), _("Action"), _("Record type"),
               _("Record"), _("Participant code"), _("IP address"), _("Browser"), _("Detail")]
    out = tempfile.TemporaryFile()  # on disk, so a long log does not sit in memory
    query = queries.search_events(**form.filters(), ids_with_code=ids_with_code, zone=_zone())
    rows = queries.export_rows(query, codes_by_id)
    count = write_list(out, _("Audit log"), headers, rows,
                       column_widths=(9, 9, 20, 16, 24, 14, 10, 14, 16, 30, 80), datetime_format=SECONDS_FORMAT)
    record_event("audit.export", user=current_user._get_current_object(),
                 detail={"rows": count, "filters": {k: v for k, v in form.filters().items() if v}})
    out.seek(0)
    return send_file(out, mimetype=XLSX_MIMETYPE, as_attachment=True, max_age=0,
                     download_name=f"audit-log-{date.today().isoformat()}.xlsx")


def _form_labels(*forms):
    """{field name: label} of form classes, as their fields are declared."""
    return {name: field.args[0] for form in forms for name in dir(form)
            if isinstance(field := getattr(form, name), UnboundField) and field.args}


def _labels():
    """How the changed fields of each kind of record read, from the features' own forms and codes."""
    provinces = {p.code: p.name for p in Province.select()}
    languages = current_app.config["LANGUAGES"]
    return {
        "beneficiary": Labels(field_label=field_label, value_label=value_label),
        "user": Labels(_form_labels(UserForm), {"role": ROLE_LABELS, "language": languages,
                                                "provinces": {"all": _l("All provinces"), **provinces}}),
        "program": Labels(_form_labels(ProgramForm)),
        "cohort": Labels(_form_labels(CohortForm), {"province": provinces}),
        "trainingsession": Labels(_form_labels(SessionForm)),
        "enrollment": Labels(_form_labels(AssessmentForm), {"status": STATUS_LABELS}),
    }


def _users(ids):
    """Accounts by their display names, linked to their page."""
    for user in User.select(User.id, User.full_name, User.username).where(User.id.in_(ids)):
        yield user.id, Subject(user.full_name or user.username, url_for("users.edit", user_id=user.id))


def _programs(ids):
    """Programs by their names."""
    for program in Program.select(Program.id, Program.name).where(Program.id.in_(ids)):
        yield program.id, Subject(program.name, url_for("programs.edit", program_id=program.id))


def _cohorts(ids):
    """Cohorts by their names."""
    for cohort in Cohort.select(Cohort.id, Cohort.name).where(Cohort.id.in_(ids)):
        yield cohort.id, Subject(cohort.name, url_for("cohorts.detail", cohort_id=cohort.id))


def _sessions(ids):
    """Sessions by their day and cohort, linked to their attendance page."""
    for session in TrainingSession.select(TrainingSession, Cohort).join(Cohort).where(TrainingSession.id.in_(ids)):
        yield session.id, Subject(_("the session of %(date)s of the cohort %(cohort)s", cohort=session.cohort.name,
                                    date=format_date(session.held_on, "medium")),
                                  url_for("attendance.take", session_id=session.id))


def _enrollments(ids):
    """Enrollments by the participant's code and the cohort's name."""
    query = (Enrollment.select(Enrollment.id, Cohort.id, Cohort.name, Beneficiary.id, Beneficiary.code)
             .join(Cohort).switch(Enrollment).join(Beneficiary).where(Enrollment.id.in_(ids)))
    for e in query:
        label = _("the enrollment of %(code)s in %(cohort)s", code=e.beneficiary.code, cohort=e.cohort.name)
        yield e.id, Subject(label, url_for("enrollments.status", cohort_id=e.cohort.id, enrollment_id=e.id))


# The kinds of record the log names by name (object_type: loader of {id: Subject}); others by kind and number.
SUBJECTS = {"user": _users, "program": _programs, "cohort": _cohorts, "trainingsession": _sessions,
            "enrollment": _enrollments}


def _subjects(events, codes):
    """{(object_type, object_id): Subject} naming the events' records, with links; one query per kind of record."""
    ids = defaultdict(set)
    for event in events:
        if event.object_type in SUBJECTS and event.object_id.isdecimal() and event.object_id.isascii():
            ids[event.object_type].add(int(event.object_id))
    found = {("beneficiary", key): Subject(code, url_for("beneficiaries.profile", code=code), code=True)
             for key, code in codes.items()}
    for kind, wanted in ids.items():
        found.update(((kind, str(key)), subject) for key, subject in SUBJECTS[kind](sorted(wanted)))
    return found


def _actor_names(events):
    """{user id: display name} of the accounts that acted, in one query."""
    ids = {event.user_id for event in events if event.user_id}
    if not ids:
        return {}
    return {user.id: user.full_name or user.username
            for user in User.select(User.id, User.full_name, User.username).where(User.id.in_(ids))}


def _readable(events, codes):
    """Each event with its sentence, its before/after rows and its raw detail lines, for the page."""
    names, subjects, labels = _actor_names(events), _subjects(events, codes), _labels()
    return [{"event": event,
             "sentence": sentence(event, names.get(event.user_id), subjects.get((event.object_type, event.object_id))),
             "changes": change_rows(event.action, event.detail, labels.get(event.object_type, Labels())),
             "lines": detail_lines(event.action, event.detail)} for event in events]
