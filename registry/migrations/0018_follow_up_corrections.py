"""Follow-ups that can be corrected, a job that started before the training, due windows that follow the person.

follow_up gains job_before_training (the form's "The job or business started before the training":
never new employment), updated_at/updated_by for an edit, and deleted_at/deleted_by/delete_reason
for a deletion: a deleted follow-up is kept and counts nowhere. NOT NULL columns are added with the
database's own default in one ALTER TABLE each, as 0013 does (no table rebuild on SQLite).

follow_up_due gains last_tried_on, and follow_up changes meaning: it was the first follow-up
recorded for the window, reached or not; it is now the live reached follow-up that closes the
window, of the window itself or of a later one (registry.outcomes.windows.window_state), and
last_tried_on the last attempt in the window that did not reach the person. Existing rows are
recomputed below with that rule written in SQL, in one statement over the table (a test holds it
equal to window_state). No follow-up is deleted yet when this runs, so every one is live.
"""
from peewee import SQL, BooleanField, DateField, DateTimeField, ForeignKeyField, Model, TextField
from playhouse.migrate import migrate

CLOSING = ("SELECT f.id FROM follow_up f WHERE f.enrollment_id = follow_up_due.enrollment_id AND f.reached"
           " AND f.deleted_at IS NULL AND f.window_months >= follow_up_due.window_months"
           " ORDER BY f.window_months, f.followed_on, f.id LIMIT 1")
LAST_TRIED = ("SELECT MAX(f.followed_on) FROM follow_up f WHERE f.enrollment_id = follow_up_due.enrollment_id"
              " AND NOT f.reached AND f.deleted_at IS NULL AND f.window_months = follow_up_due.window_months")
# Before 0018: the first follow-up recorded for the window, whatever it said.
FIRST_RECORDED = ("SELECT MIN(f.id) FROM follow_up f WHERE f.enrollment_id = follow_up_due.enrollment_id"
                  " AND f.window_months = follow_up_due.window_months")


def _user(db):
    class User(Model):
        class Meta:
            database = db
            table_name = "app_user"

    return User


def up(migrator, db):
    user = _user(db)

    def by_whom():  # no index: nothing looks follow-ups up by who corrected them
        return ForeignKeyField(user, field=user.id, null=True, on_delete="RESTRICT", index=False)

    migrate(
        migrator.add_column("follow_up", "job_before_training",
                            BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")]), allow_not_null=True),
        migrator.add_column("follow_up", "updated_at", DateTimeField(null=True)),
        migrator.add_column("follow_up", "updated_by_id", by_whom()),
        migrator.add_column("follow_up", "deleted_at", DateTimeField(null=True)),
        migrator.add_column("follow_up", "deleted_by_id", by_whom()),
        migrator.add_column("follow_up", "delete_reason", TextField(default="", constraints=[SQL("DEFAULT ''")]),
                            allow_not_null=True),
        migrator.add_column("follow_up_due", "last_tried_on", DateField(null=True)),
    )
    db.execute_sql(f"UPDATE follow_up_due SET follow_up_id = ({CLOSING}), last_tried_on = ({LAST_TRIED})")


def down(migrator, db):
    (deleted,) = db.execute_sql("SELECT COUNT(*) FROM follow_up WHERE deleted_at IS NOT NULL").fetchone()
    if deleted:
        # Without the column they would count again, silently: a figure must never change without a trace.
        raise RuntimeError(f"{deleted} follow-ups are deleted: going below 0018 would make them count again.")
    db.execute_sql(f"UPDATE follow_up_due SET follow_up_id = ({FIRST_RECORDED})")
    migrate(
        migrator.drop_column("follow_up_due", "last_tried_on"),
        migrator.drop_column("follow_up", "delete_reason"),
        migrator.drop_column("follow_up", "deleted_by_id"),
        migrator.drop_column("follow_up", "deleted_at"),
        migrator.drop_column("follow_up", "updated_by_id"),
        migrator.drop_column("follow_up", "updated_at"),
        migrator.drop_column("follow_up", "job_before_training"),
    )
