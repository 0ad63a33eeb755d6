"""Participant import: a sheet is checked row by row, then its good rows are imported in one transaction.

Both phases run as a job whose state is a database row (ImportJob), so the page survives a
reload and any worker can report progress. The work itself runs in a thread of the worker
that received the request; a worker that dies leaves a stale job, which the page offers to
run again (the import phase is one transaction, so an interrupted import wrote nothing).
"""
import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from exports.reading import UploadError, read_rows
from registry.audit.services import record_event
from registry.beneficiaries.duplicate_index import DuplicateIndex
from registry.beneficiaries.forms import BeneficiaryForm, form_values
from registry.beneficiaries.import_columns import (HEADERS, REQUIRED, CellError, bilingual_header, form_value,
                                                   header_aliases)
from registry.beneficiaries.models import Beneficiary, ImportJob
from registry.beneficiaries.services import Registration, register_checked, update_beneficiary
from registry.beneficiaries.upload_errors import upload_message
from registry.db import database
from registry.timeutil import utcnow
from registry.web.scope import provinces_in_scope

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
PROGRESS_EVERY = 250
STALE_AFTER = timedelta(minutes=2)


@dataclass
class RowResult:
    """One sheet row after checking: its data, or why it cannot be saved, and its likely duplicates."""

    number: int
    data: dict = None
    existing: Beneficiary = None
    errors: list = field(default_factory=list)  # [(column header, message)]
    duplicates: list = field(default_factory=list)  # [(code or "row N", [reason codes])]


def create_job(user, filename, content):
    """Keep an uploaded sheet as a queued job; raise UploadError for a file too large to take."""
    if len(content) > MAX_FILE_BYTES:
        raise UploadError("too_large", limit=MAX_FILE_BYTES)
    # The name is only a label: what cannot be shown goes (PostgreSQL refuses NUL in text).
    filename = "".join(ch for ch in filename or "" if ch.isprintable())[:255] or "upload.xlsx"
    with database.atomic():
        job = ImportJob.create(created_by=user, filename=filename, content=content)
        record_event("beneficiary.import_upload", obj=job, user=user, detail={"file": job.filename,
                                                                               "bytes": len(content)})
    return job


def _provinces(user):
    return list(provinces_in_scope(user))


def _read(job):
    """The sheet's rows as (row number, {field: value}); raise UploadError."""
    aliases = header_aliases()
    headers, rows = read_rows(bytes(job.content), required_headers=[], known_headers=list(aliases),
                              max_rows=MAX_ROWS)
    present = {aliases[h] for h in headers if h in aliases}
    missing = [HEADERS[f] for f in REQUIRED if f not in present]
    if missing:
        raise UploadError("missing_columns", columns=missing)
    return [(number, {aliases[h]: v for h, v in row.items() if h in aliases and v is not None})
            for number, row in rows]


def _examine(number, cells, user, provinces, by_code):
    """Check one row with the participant form; return its RowResult."""
    result = RowResult(number)
    known = {p.code: (p.name_en, p.name_km, f"{p.code} {p.name_en}") for p in provinces}
    code = str(cells.pop("code", "") or "").strip().upper()
    if code:
        result.existing = by_code.get(code)
        if result.existing is None:
            result.errors.append((bilingual_header("code"), _("No participant with this code in your provinces.")))
            return result
    values = MultiDict(form_values(result.existing) if result.existing else {})
    unreadable = set()
    for name, value in cells.items():
        try:
            values[name] = form_value(name, value, known)
        except CellError as error:
            unreadable.add(name)
            result.errors.append((bilingual_header(name), str(error)))
    form = BeneficiaryForm(formdata=values, meta={"csrf": False}, provinces=provinces)
    if not form.validate():
        # A cell that could not be read already has its message; the form would only add "required".
        result.errors.extend((bilingual_header(name), str(messages[0]))
                             for name, messages in form.errors.items() if name not in unreadable)
    if not result.errors:
        result.data = form.record_data()
    return result


def examine_rows(job, user, progress=None):
    """Check every row of a job's sheet: form rules, then duplicates in the file and in the registry."""
    provinces = _provinces(user)
    rows = _read(job)
    codes = {str(c.get("code") or "").strip().upper() for _n, c in rows} - {""}
    in_scope = {p.code for p in provinces}
    by_code = {b.code: b for b in Beneficiary.listed().where(Beneficiary.code.in_(sorted(codes) or [""]))
               if b.province_id in in_scope}
    index = DuplicateIndex.from_registry()
    results = []
    for position, (number, cells) in enumerate(rows, start=1):
        result = _examine(number, dict(cells), user, provinces, by_code)
        if result.data is not None and result.existing is None:
            result.duplicates = index.find(result.data)
            index.add(_("row %(n)d", n=number), DuplicateIndex.values_of(result.data))
        results.append(result)
        if progress and position % PROGRESS_EVERY == 0:
            progress(position, len(rows))
    return results


def _report(results):
    from registry.beneficiaries.duplicates import REASONS

    return {
        "errors": [{"row": r.number, "column": c, "message": m} for r in results for c, m in r.errors],
        "duplicates": [{"row": r.number, "matches": [{"ref": ref, "reasons": ", ".join(str(REASONS[x]) for x in why)}
                                                      for ref, why in r.duplicates]}
                       for r in results if r.duplicates],
        "new": sum(1 for r in results if r.data is not None and r.existing is None and not r.duplicates),
        "updates": sum(1 for r in results if r.data is not None and r.existing is not None),
        "with_duplicates": sum(1 for r in results if r.duplicates and r.data is not None),
        "rows": len(results),
    }


def _set(job, **values):
    """Write job fields at once (their own short transaction), with a fresh heartbeat."""
    values.setdefault("heartbeat_at", utcnow())
    ImportJob.update(**values).where(ImportJob.id == job.id).execute()
    for name, value in values.items():
        setattr(job, name, value)


def _progress(job):
    return lambda done, total: _set(job, processed_rows=done, total_rows=total)


def check_job(job):
    """Phase 1: check every row and keep the report; nothing is imported."""
    user = job.created_by
    _set(job, status="checking", processed_rows=0)
    try:
        results = examine_rows(job, user, _progress(job))
    except UploadError as error:
        _set(job, status="failed", message=upload_message(error), finished_at=utcnow())
        return job
    report = _report(results)
    _set(job, status="checked", total_rows=len(results), processed_rows=len(results),
         good_rows=report["new"] + report["updates"] + report["with_duplicates"],
         report=json.dumps(report, ensure_ascii=False))
    return job


def import_job(job, include_duplicates=False):
    """Phase 2: import the good rows (and those with likely duplicates when asked) in one transaction."""
    user = job.created_by
    results = examine_rows(job, user, _progress(job))
    chosen = [r for r in results if r.data is not None and (include_duplicates or not r.duplicates or r.existing)]
    with database.atomic():
        # First write of the transaction: the job's row stays locked until the import commits or dies, so a
        # "take it up again" on a job that only looks stale waits for it instead of importing it twice.
        _set(job, status="importing")
        created = [b.code for b in register_checked([
            Registration(r.data, {ref: reasons for ref, reasons in r.duplicates}, {"import_job": job.id, "row": r.number})
            for r in chosen if r.existing is None], user)]
        updated = [r.existing.code for r in chosen if r.existing is not None]
        for result in (r for r in chosen if r.existing is not None):
            update_beneficiary(result.existing, result.data, user, keep_blank=True)
        record_event("beneficiary.import", obj=job, user=user,
                     detail={"created": len(created), "updated": len(updated), "file": job.filename})
        # The codes stay with the report, so the result page can list and link the people it wrote.
        report = {**json.loads(job.report or "{}"), "created": created, "updated": updated}
        _set(job, status="done", imported_rows=len(chosen), finished_at=utcnow(),
             report=json.dumps(report, ensure_ascii=False))
    return job


PHASES = {"check": check_job, "import": import_job}


def run_phase(job_id, phase, **options):
    """Run one phase of a job with its own connection, in the job owner's language; failures are recorded."""
    job = ImportJob.get_by_id(job_id)
    try:
        with force_locale(job.created_by.language):
            PHASES[phase](job, **options)
    except Exception:  # a job must end in a state the page can show, whatever happened
        log.exception("import job %s failed in phase %s", job_id, phase)
        _set(job, status="failed", message=_("The registry could not finish this file. Nothing was imported."),
             finished_at=utcnow())


def start(job, phase, **options):
    """Start a phase: in a thread of this worker, or inline when IMPORT_INLINE is set (tests)."""
    _set(job, status="checking" if phase == "check" else "importing")
    app = current_app._get_current_object()
    if app.config.get("IMPORT_INLINE"):
        run_phase(job.id, phase, **options)
        return

    def work():
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                run_phase(job.id, phase, **options)
            finally:
                database.close()

    threading.Thread(target=work, name=f"import-{job.id}-{phase}", daemon=True).start()


def claim_for_import(job):
    """Move a checked job to importing; False when another request got there first (or it is not checked)."""
    claimed = (ImportJob.update(status="importing", heartbeat_at=utcnow())
               .where((ImportJob.id == job.id) & (ImportJob.status == "checked")).execute())
    return claimed == 1


def resume(job):
    """After an interruption: a check starts again; an import goes back to its report to be confirmed again.

    The import's step is conditional: if the import was still running after all (its transaction holds the
    job's row), this waits for it and then finds the job done, and changes nothing.
    """
    if job.status == "checking":
        start(job, "check")
    else:
        (ImportJob.update(status="checked", heartbeat_at=utcnow())
         .where((ImportJob.id == job.id) & (ImportJob.status == "importing")).execute())


def is_stale(job):
    """A job said to be working whose heartbeat stopped: its worker died or restarted."""
    return job.status in ("checking", "importing") and utcnow() - job.heartbeat_at > STALE_AFTER


def shown_status(job):
    """The job's status as people should see it: "interrupted" when its worker died."""
    return "interrupted" if is_stale(job) else job.status


def job_state(job):
    """What the progress bar shows, as JSON-ready values."""
    total = job.total_rows or 0
    return {"status": shown_status(job), "processed": job.processed_rows,
            "total": total, "percent": int(100 * job.processed_rows / total) if total else 0}
