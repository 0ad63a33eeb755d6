"""An event's detail as people read it: one line per field, changed fields as old → new."""
import json
from dataclasses import dataclass

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
