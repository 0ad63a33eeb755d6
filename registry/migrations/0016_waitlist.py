"""Waitlists: an enrollment keeps the day it was asked for (requested_on); enrolled_on is the day it got a seat.

enrolled_on becomes nullable: NULL while the person waits, and for good when they leave the
waitlist without being admitted, so that every figure that reads enrolled_on (the indicators, the
dashboard, attendance rates) leaves them out by itself. Existing rows are set from their history
(enrollment_change), the only record of when someone was admitted:
- requested_on is the old enrolled_on, which was always the day asked for;
- admitted from the waitlist (a change waitlisted -> enrolled): enrolled_on is that change's day;
- still waitlisted, or withdrawn without ever being admitted: enrolled_on is NULL.

On SQLite, setting and dropping NOT NULL rebuilds the table (SQLite before 3.53 has no ALTER
COLUMN); peewee's migrator copies the rows, re-creates the table's indexes and runs with foreign
keys off, so the rows that point to enrollments (marks, changes, follow-ups) stay as they are.

`down` puts back the old meaning, enrolled_on = the day asked for, for every row: what `up` derived
is still in the history, so going down and up again gives the same dates.
"""
from peewee import CharField, DateField, ForeignKeyField, Model, fn
from playhouse.migrate import migrate

from registry.audit.migration_note import note_correction


def up(migrator, db):
    migrate(migrator.add_column("enrollment", "requested_on", DateField(null=True)))
    enrollment, change = _frozen(db)
    enrollment.update(requested_on=enrollment.enrolled_on).execute()
    migrate(migrator.add_not_null("enrollment", "requested_on"),
            migrator.drop_not_null("enrollment", "enrolled_on"))
    admitted, never_admitted = _fill(enrollment, change)
    if admitted or never_admitted:  # past figures may move: the audit log says why (a locked period shows it)
        note_correction(db, "0016_waitlist", {
            "admitted_from_a_waitlist": admitted, "never_admitted": never_admitted,
            "why": "enrolled_on is now the day a waitlisted person was admitted, and empty for people never "
                   "admitted, who count in no indicator (docs/domain.md#waitlists)"})


def _frozen(db):
    """The enrollment table and its history as this migration knows them."""

    class Enrollment(Model):
        requested_on = DateField(null=True)
        enrolled_on = DateField(null=True)
        status = CharField(max_length=12)

        class Meta:
            database = db
            table_name = "enrollment"

    class EnrollmentChange(Model):
        enrollment = ForeignKeyField(Enrollment)
        from_status = CharField(max_length=12)
        to_status = CharField(max_length=12)
        changed_on = DateField()

        class Meta:
            database = db
            table_name = "enrollment_change"

    return Enrollment, EnrollmentChange


def _fill(enrollment, change):
    """enrolled_on from the history: the day of admission, or NULL for those never admitted; return both counts."""
    admission = (change.from_status == "waitlisted") & (change.to_status == "enrolled")
    admitted = change.select(change.enrollment).where(admission)
    first_admission = change.select(fn.MIN(change.changed_on)).where((change.enrollment == enrollment.id) & admission)
    dated = enrollment.update(enrolled_on=first_admission).where(enrollment.id.in_(admitted)).execute()
    waited = change.select(change.enrollment).where(change.to_status == "waitlisted")
    left_waiting = (enrollment.status == "withdrawn") & enrollment.id.in_(waited) & enrollment.id.not_in(admitted)
    emptied = enrollment.update(enrolled_on=None).where((enrollment.status == "waitlisted") | left_waiting).execute()
    return dated, emptied


def down(migrator, db):
    enrollment, _change = _frozen(db)
    enrollment.update(enrolled_on=enrollment.requested_on).execute()
    migrate(migrator.add_not_null("enrollment", "enrolled_on"),
            migrator.drop_column("enrollment", "requested_on"))
