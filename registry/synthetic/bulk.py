"""Bulk inserts in batches, within a transaction, and what a database needs after a bulk load."""
import time
from itertools import chain

from peewee import fn

from registry.db import database, is_postgres

MAX_ROWS = 5000
# SQLite refuses statements with more than 32,766 parameters; stay well under it.
MAX_PARAMETERS = 30_000
PROGRESS_FROM = 50_000  # rows: smaller tables load in a moment


def next_id(model):
    """The id after the highest one in a table (1 when it is empty)."""
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


def chunks(rows, size):
    """rows (any iterable) in lists of at most size."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _statement(model, fields, count):
    """The multi-row INSERT of count rows that insert_many would write, with parameters for the values."""
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    row = "(" + ", ".join([database.param] * len(fields)) + ")"
    return f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ' + ", ".join([row] * count)


def bulk(model, fields, rows, total=None, echo=None):
    """Insert tuples of fields in batches of multi-row INSERTs, in one transaction; return how many.

    The statements are those of insert_many, but their text is built once per batch size: peewee
    builds it value by value (about 10 µs a value), which took four fifths of a load's time. The
    values go to the driver as they are, so rows must hold the fields' Python types (int, str, bool,
    date, datetime, Decimal or None), for which peewee's db_value changes nothing.
    :param total: the number of rows expected, to report progress through echo every tenth (from PROGRESS_FROM).
    """
    size = min(MAX_ROWS, MAX_PARAMETERS // len(fields))
    statements, count, step = {}, 0, max(1, (total or 0) // 10)
    echo = echo if total and total >= PROGRESS_FROM else None
    with database.atomic():
        for batch in chunks(rows, size):
            if len(batch) not in statements:
                statements[len(batch)] = _statement(model, fields, len(batch))
            database.execute_sql(statements[len(batch)], list(chain.from_iterable(batch)))
            if echo and (count + len(batch)) // step > count // step and count + len(batch) < total:
                echo(f"    {count + len(batch):,} / {total:,} {model._meta.table_name} rows")
            count += len(batch)
    return count


def move_sequences(models):
    """After rows with explicit ids: move PostgreSQL's id sequences past them, so that the app's next
    insert gets a fresh id (SQLite takes the highest id plus one by itself)."""
    if not is_postgres():
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"(SELECT MAX(id) FROM {table}))")


def finish_load(models):
    """After a load with explicit ids: move PostgreSQL's id sequences past them, and VACUUM ANALYZE.

    PostgreSQL's autovacuum would soon vacuum and analyze the new rows anyway; doing it now leaves
    the database as a registry in use would be (statistics, and a visibility map that lets a COUNT
    read an index alone). VACUUM cannot run inside a transaction: there, ANALYZE only. SQLite
    never analyzes on its own, and a registry filled by the app has no statistics, so SQLite is
    left as the app would leave it.
    """
    if not is_postgres():
        return
    move_sequences(models)
    database.execute_sql("ANALYZE" if database.in_transaction() else "VACUUM ANALYZE")


class Stopwatch:
    """Times the parts of a load and says how long each took."""

    def __init__(self, echo):
        self.echo, self.times = echo, {}

    def run(self, name, action):
        """Run action(), keep and report how long it took; return its result."""
        self.echo(f"  {name}…")
        started = time.perf_counter()
        result = action()
        self.times[name] = time.perf_counter() - started
        self.echo(f"  {name}: {self.times[name]:.1f} s")
        return result
