"""An event's detail as people read it: the before/after table of a change, and the raw lines of any detail."""
import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Actions whose detail maps each changed field to [old, new] (registry.audit.services.changed_fields).
# Elsewhere a two-item list is a plain list (dates added to a schedule, provinces of a report).
CHANGE_ACTION_ENDINGS = (".update", ".create", ".assessment", ".move", ".target", ".set", ".default",
                         ".consent_given", ".consent_withdrawn")
SHOWN_MAX = 300  # characters of one value on the page; the export has the whole detail


@dataclass
class DetailLine:
    """One field of an event's detail: a value, or a change from old to new."""

    key: str
    value: str = None
    old: str = None
    new: str = None

    @property
    def is_change(self):
        """Tell whether the line shows a change (old → new) rather than a value."""
        return self.value is None


def _short(value):
    """A JSON value as text cut to SHOWN_MAX characters; None stays None (shown as empty)."""
    text = _text(value)
    return text if text is None or len(text) <= SHOWN_MAX else text[:SHOWN_MAX - 1] + "…"


def _text(value):
    """A JSON value as text: lists joined with commas, objects as key: value pairs."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join("" if v is None else _text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {'' if v is None else _text(v)}" for k, v in value.items())
    return str(value)


def detail_lines(action, detail):
    """The lines of an event's detail (its stored JSON text); text that is not a JSON object is one line."""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return [DetailLine("", value=_short(detail))]
    if not isinstance(data, dict):
        return [DetailLine("", value=_short(data) or "")]
    changes = action.endswith(CHANGE_ACTION_ENDINGS)
    lines = []
    for key, value in data.items():
        if changes and isinstance(value, list) and len(value) == 2:
            lines.append(DetailLine(key, old=_short(value[0]), new=_short(value[1])))
        else:
            lines.append(DetailLine(key, value=_short(value) if value is not None else ""))
    return lines


@dataclass
class ChangeRow:
    """One changed field as the before/after table shows it: its label, the value before and after."""

    label: str
    before: str
    after: str


# The account's snapshot at creation: every value is new.
SNAPSHOT_ACTIONS = ("user.create",)
# Fields that several kinds of record share, for records whose feature gives no labels of its own.
COMMON_FIELDS = {
    "name": _l("Name"), "full_name": _l("Full name"), "role": _l("Role"), "language": _l("Language"),
    "active": _l("Active"), "provinces": _l("Provinces"), "status": _l("Status"), "on": _l("Date"),
    "hours": _l("Hours"), "target": _l("Target"), "khr_per_usd": _l("Riel per US dollar"),
    "trainers": _l("Trainers"), "capacity": _l("Capacity"), "start_on": _l("Start date"), "end_on": _l("End date"),
    "province": _l("Province"), "program": _l("Program"), "code": _l("Code"), "description": _l("Description"),
}


class Labels:
    """How the fields of one kind of record read: a label per field, a label per coded value.

    The features know their labels; the audit view gathers them (registry.audit imports no feature).
    """

    def __init__(self, fields=None, values=None, field_label=None, value_label=None):
        self.fields = {**COMMON_FIELDS, **(fields or {})}
        self.values = values or {}
        self._field_label, self._value_label = field_label, value_label

    def field(self, name):
        """The label of a field, translated; the field's own name when nobody gave one."""
        if self._field_label:
            label = self._field_label(name)
            if label != name:
                return str(label)
        return str(self.fields.get(name, name.replace("_", " ").capitalize()))

    def value(self, name, value):
        """A stored value as people read it: codes as their labels, yes/no, empty as a dash."""
        if self._value_label:
            try:
                return str(self._value_label(name, value))
            except Exception:  # an old event may hold a value today's rules cannot read: show it as kept
                return _short(value)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return str(_l("Yes") if value else _l("No"))
        coded = self.values.get(name)
        parts = str(value).split(",")  # an account's provinces are kept as "02,17"
        if coded and all(part in coded for part in parts):
            return ", ".join(str(coded[part]) for part in parts)
        return _short(value)


PLAIN = Labels()


def changed_values(action, detail):
    """{field: (before, after)} of an event's stored detail (JSON text); empty for events that change nothing."""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    if action in SNAPSHOT_ACTIONS:
        return {key: (None, value) for key, value in data.items()}
    if isinstance(data.get("changes"), dict):  # a corrected follow-up nests its changes
        data = data["changes"]
    elif not (action.endswith(CHANGE_ACTION_ENDINGS) or action.endswith(".status")):
        return {}
    return {key: (value[0], value[1]) for key, value in data.items() if isinstance(value, list) and len(value) == 2}


def change_rows(action, detail, labels=PLAIN):
    """The before/after table of an event: one row per changed field, labels and values in the user's language."""
    return [ChangeRow(labels.field(key), labels.value(key, before), labels.value(key, after))
            for key, (before, after) in changed_values(action, detail).items()]
