"""The coded values of training, with their labels for people."""
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

STATUS_LABELS = {"waitlisted": _l("Waitlisted"), "enrolled": _l("Enrolled"), "active": _l("Active"),
                 "completed": _l("Completed"), "dropped_out": _l("Dropped out"), "withdrawn": _l("Withdrawn")}
MARK_LABELS = {"present": _l("Present"), "late": _l("Late"), "excused": _l("Excused"), "absent": _l("Absent")}
WEEKDAYS = [SelectChoice(n, day) for n, day in enumerate(
    [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday")])]
