"""The API's own schema: each field's JSON type, checked on input and published in the OpenAPI document.

The rules (lengths, ranges, dates that make sense, fields that go together) stay in the WTForms
forms that the pages and the import use; this layer only makes sure that JSON values have the
right type, and turns them into the strings a form reads.
"""
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from registry.web.errors import ApiError

# C0 control characters but tab and line breaks, and DEL: no name or note needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Field:
    """One JSON field: its type ("string", "integer", "number", "boolean", "date", "datetime", "array"), limits
    and values."""

    kind: str
    max_length: int | None = None
    enum: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = True
    # How a form reads a boolean: "checkbox" (y or nothing) or "yes_no" (a select: yes, no or unknown).
    form_style: str = "checkbox"
    description: str = ""

    def openapi(self):
        """The field as an OpenAPI 3.0 schema."""
        schema = {"date": {"type": "string", "format": "date"}, "datetime": {"type": "string", "format": "date-time"},
                  "array": {"type": "array", "items": {"type": "string"}}}.get(self.kind, {"type": self.kind})
        for key, value in (("maxLength", self.max_length), ("minimum", self.minimum), ("maximum", self.maximum)):
            if value is not None:
                schema[key] = value
        if self.enum:
            schema["enum"] = list(self.enum) + ([None] if self.nullable else [])
        if self.nullable:
            schema["nullable"] = True
        if self.description:
            schema["description"] = self.description
        return schema

    def problem(self, value):
        """What is wrong with a JSON value's type, or None."""
        if value is None:
            return None if self.nullable else _("Give a value.")
        if self.enum and value not in self.enum:
            return _("Give one of: %(values)s.", values=", ".join(str(v) for v in self.enum))
        if self.kind in ("string", "date", "datetime"):
            if not isinstance(value, str):
                return {"date": _("Give a date as YYYY-MM-DD."),
                        "datetime": _("Give a time as ISO 8601 with its offset, like 2026-03-02T08:30:00+07:00."),
                        }.get(self.kind, _("Give a text."))
            if _CONTROL.search(value):
                return _("Remove the control characters.")
        elif self.kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
            return _("Give a whole number.")
        elif self.kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return _("Give a number.")
        elif self.kind == "boolean" and not isinstance(value, bool):
            return _("Give true or false.")
        elif self.kind == "array":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return _("Give a list of texts.")
            if any(_CONTROL.search(v) for v in value):
                return _("Remove the control characters.")
        if self.kind in ("integer", "number") and not self._in_range(value):
            if self.minimum is None or self.maximum is None:
                return _("The number is out of range.")
            return _("Give a number from %(low)s to %(high)s.", low=self.minimum, high=self.maximum)
        return None

    def _in_range(self, value):
        return ((self.minimum is None or value >= self.minimum) and (self.maximum is None or value <= self.maximum)
                and abs(value) < 10**15)  # JSON allows any size; no field of ours needs more

    def form_value(self, value):
        """The value as a browser would post it, or None to leave the field out."""
        if value is None:
            return "" if self.form_style == "yes_no" else None  # a yes/no select's "unknown" is ""
        if self.kind == "boolean":
            if self.form_style == "yes_no":
                return "yes" if value else "no"
            return "y" if value else None
        return str(value)


def checked(body, fields, required=()):
    """The body's values for the known fields, type-checked; 422 naming each wrong or unknown field."""
    problems = {name: _("Unknown field.") for name in body if name not in fields}
    for name in required:
        if body.get(name) is None:
            problems[name] = _("This field is required.")
    for name, field in fields.items():
        if name in body and name not in problems:
            problem = field.problem(body[name])
            if problem:
                problems[name] = problem
    if problems:
        raise ApiError(422, _("Some fields are not valid: %(fields)s.", fields=", ".join(sorted(problems))),
                       problems)
    return {name: body[name] for name in fields if name in body}


def formdata_for(values, fields, base=None):
    """Formdata as a browser would post it: the base (a stored record's values) with the JSON values over it.

    A null (or a false checkbox) leaves the field out, so that it is cleared; a list gives several values.
    """
    formdata = MultiDict(base or {})
    for name, value in values.items():
        formdata.pop(name, None)
        for item in value if isinstance(value, list) else [value]:
            text = fields[name].form_value(item)
            if text is not None:
                formdata.add(name, text)
    return formdata


def object_schema(fields, required=(), read_only=()):
    """An OpenAPI object schema from fields (extra read-only properties may be given as schemas)."""
    properties = {name: field.openapi() for name, field in fields.items()}
    for name, schema in dict(read_only).items():
        properties[name] = {**schema, "readOnly": True}
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema
