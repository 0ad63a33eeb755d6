"""Reading the audit log: the filtered list, the values the filters offer, participant codes.

The participants' codes belong to registry.beneficiaries, which writes to this log: the caller passes the
two look-ups this read side needs (ids_with_code, codes_by_id), so registry.audit imports no feature.
Nothing outside registry.audit imports it.
"""
import json
from datetime import timezone

from peewee import chunked, fn

from registry.audit.models import AuditEvent
from registry.timeutil import utc_bounds


def actions_present():
    """The distinct actions in the log, sorted."""
    query = AuditEvent.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return [action for (action,) in query.tuples()]


def object_types_present():
    """The distinct kinds of record the log names, sorted."""
    query = (AuditEvent.select(AuditEvent.object_type).where(AuditEvent.object_type != "")
             .distinct().order_by(AuditEvent.object_type))
    return [kind for (kind,) in query.tuples()]


def _no_participants(code):
    return []


def _record_matches(record, ids_with_code):
    """The record's primary key, a participant code, or an event whose detail names that code.

    A detail names a code as a value of its own, '"code": "BR-000001"', or in a list of the people a
    page showed, '"shown": ["BR-000001", ...]': both hold the code in quotes.
    """
    condition = AuditEvent.object_id == record
    ids = ids_with_code(record)
    if ids:
        condition |= (AuditEvent.object_type == "beneficiary") & AuditEvent.object_id.in_(ids)
    if not record.isdigit():
        condition |= AuditEvent.detail.contains(json.dumps(record.upper(), ensure_ascii=False))
    return condition


def search_events(user="", action="", object_type="", record="", date_from=None, date_to=None,
                  ids_with_code=_no_participants, zone=timezone.utc):
    """The events matching the filters, newest first: a query, to paginate or to stream.

    `record` matches a participant's events too when `ids_with_code(code)` gives their ids as text.

    `action` ending with a dot ("beneficiary.") matches every action of that family; the dates are
    days in `zone` (the office's), both included, turned into UTC bounds for the stored times.
    """
    query = AuditEvent.select()
    if user:
        query = query.where(fn.LOWER(AuditEvent.username) == user.lower())
    if action:
        query = query.where(AuditEvent.action.startswith(action) if action.endswith(".")
                            else AuditEvent.action == action)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if record:
        query = query.where(_record_matches(record, ids_with_code))
    start, end = utc_bounds(date_from, date_to, zone)
    if start:
        query = query.where(AuditEvent.at >= start)
    if end:
        query = query.where(AuditEvent.at < end)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def participant_codes(events, codes_by_id):
    """{object_id: code} for the participants that a list of events names, in one `codes_by_id(ids)` call."""
    ids = {int(e.object_id) for e in events if e.object_type == "beneficiary" and e.object_id.isdecimal()
           and e.object_id.isascii()}
    if not ids:
        return {}
    return codes_by_id(sorted(ids))


def export_rows(query, codes_by_id, batch=1000):
    """The rows of the export, streamed in batches with one code lookup per batch."""
    for events in chunked(query.iterator(), batch):
        codes = participant_codes(events, codes_by_id)
        for e in events:
            yield (e.id, e.seq, e.at, e.username, e.action, e.object_type, e.object_id,
                   codes.get(e.object_id, "") if e.object_type == "beneficiary" else "", e.ip, e.user_agent,
                   e.detail)
