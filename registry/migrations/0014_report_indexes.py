"""Indexes for the indicator report: a period's enrollments are found by their dates, not by reading them all.

The report reads the enrollments enrolled in the period (enrolled_on) and those that ended in it as
completed, dropped out or withdrawn (status, then ended_on: one range per status, where the index
on status alone gave SQLite every ended enrollment of every year). Follow-ups already have theirs
(followed_on).
"""
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(
        migrator.add_index("enrollment", ("enrolled_on",), name="enrollment_enrolled_on"),
        migrator.add_index("enrollment", ("status", "ended_on"), name="enrollment_status_ended_on"),
    )


def down(migrator, db):
    migrate(
        migrator.drop_index("enrollment", "enrollment_status_ended_on"),
        migrator.drop_index("enrollment", "enrollment_enrolled_on"),
    )
