"""Locking a submitted period: the report is kept as it was; later changes show as differences."""
import json
from datetime import date, datetime

from flask_babel import gettext as _
from peewee import IntegrityError

from registry.audit.services import record_event
from registry.db import database
from registry.reports.models import ReportSubmission


class LockError(ValueError):
    """The period cannot be locked (it already is); the message says why."""


def selection_key(period, programs, provinces):
    """The period and filters a submission is for, as one comparable string."""
    return json.dumps({"start": period.start.isoformat(), "end": period.end.isoformat(),
                       "programs": sorted(programs or []), "provinces": sorted(provinces) if provinces is not None
                       else "all"}, sort_keys=True)


def submission_for(period, programs, provinces):
    """The submission of this period and filters, or None."""
    return ReportSubmission.get_or_none(ReportSubmission.key == selection_key(period, programs, provinces))


def _encode(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def lock(period, programs, provinces, document, user):
    """Keep the document as submitted for this period and filters; audited.

    :raise LockError: it was locked already.
    """
    try:
        with database.atomic():
            submission = ReportSubmission.create(key=selection_key(period, programs, provinces),
                                                 period_label=period.label, submitted_by=user,
                                                 document=json.dumps(document, default=_encode, ensure_ascii=False))
            record_event("report.lock", obj=submission, user=user, detail={"period": period.label})
    except IntegrityError:
        raise LockError(_("This period is already locked as submitted.")) from None
    return submission


def submitted_document(submission):
    """The document kept at submission, with its dates back as dates."""
    document = json.loads(submission.document)
    document["start"], document["end"] = (date.fromisoformat(document[k]) for k in ("start", "end"))
    document["generated_at"] = datetime.fromisoformat(document["generated_at"])
    return document


def changes_since(submitted, current):
    """Per indicator, the figures that differ now: [(code, title, [(what, then, now)])]."""
    now = {i["code"]: i for i in current["indicators"]}
    changes = []
    for then in submitted["indicators"]:
        latest = now.get(then["code"], {})
        rows = [(key, then[key], latest.get(key)) for key in ("numerator", "denominator", "value")
                if then[key] != latest.get(key)]
        before = {(d["by"], d["category"]): d for d in then["disaggregations"]}
        after = {(d["by"], d["category"]): d for d in latest.get("disaggregations", [])}
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key, {}), after.get(key, {})
            if (old.get("numerator"), old.get("denominator")) != (new.get("numerator"), new.get("denominator")):
                rows.append((f"{key[0]}: {key[1]}", old.get("numerator"), new.get("numerator")))
        if rows:
            changes.append((then["code"], then["title"], rows))
    return changes
