"""Backups on PostgreSQL: pg_dump's custom format, put back with pg_restore."""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from registry.maintenance.errors import BackupError

NAME = "PostgreSQL"
KIND = "pg_dump archive"
MAGIC = b"PGDMP"
# "215; 1259 16390 TABLE public app_user postgres" in pg_restore --list; not "TABLE DATA" lines.
TABLE_LINE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+)(?: |$)", re.MULTILINE)
# "3210; 2606 16500 FK CONSTRAINT public follow_up follow_up_enrollment_id_fkey postgres"
FK_LINE = re.compile(r"^\d+; \d+ \d+ FK CONSTRAINT public (\S+) (\S+)(?: |$)", re.MULTILINE)


def live_file(db):
    """None: a PostgreSQL database is no file that a backup could overwrite."""
    return None


def dump(db, target):
    """Dump the live database into target with pg_dump; return the number of tables in the archive."""
    options, env = _connection(db)
    # pg_dump reads in one transaction: the archive is a consistent snapshot while the app writes.
    _run([_tool("pg_dump"), "--format=custom", "--file", str(target), *options], env)
    return len(_archive_tables(target))  # reading the archive back is its check


def inspect(db, path):
    """Check that path is a readable pg_dump archive; return (its tables, its migration names or None)."""
    tables = _archive_tables(path)
    if ("public", "schema_migration") not in tables:
        return len(tables), None
    script = _run([_tool("pg_restore"), "--data-only", "--table=schema_migration", "--file=-", str(path)])
    return len(tables), _copied_values(script, "name")


def carried_lines(path):
    """The audit witness lines the archive carries (table backup_checkpoint), oldest first; [] if none."""
    if ("public", "backup_checkpoint") not in _archive_tables(path):
        return []
    script = _run([_tool("pg_restore"), "--data-only", "--table=backup_checkpoint", "--file=-", str(path)])
    rows = zip(_copied_values(script, "id"), _copied_values(script, "line"))
    return [line for _id, line in sorted(rows, key=lambda row: int(row[0]))]


def load(db, path):
    """Replace the live database's tables with the archive's, in one transaction: a failure changes nothing.

    pg_restore turns the archive into SQL that drops what it restores, then makes it again; psql runs
    it after a prelude that removes what the archive does not know of and would stop its drops (see
    _prelude). It all runs in one transaction, committed only once pg_restore has read the whole
    archive: a damaged or cut archive, or any error, leaves the database as it was. The migrations
    run after the restore make again what the prelude removed.
    """
    options, env = _connection(db)
    listing = _run([_tool("pg_restore"), "--list", str(path)])
    kept = {name for schema, name in TABLE_LINE.findall(listing) if schema == "public"}
    prelude = _prelude(db, kept, set(FK_LINE.findall(listing)))
    with tempfile.TemporaryFile() as psql_errors, tempfile.TemporaryFile() as restore_errors:
        psql = subprocess.Popen([_tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", *options],
                                env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors)
        restore = subprocess.Popen([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--file=-",
                                    str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=restore_errors)
        _relay(restore, psql, ("BEGIN;\n" + prelude).encode())
        _check("psql", psql.returncode, _read(psql_errors))  # its error, when it stopped, is the cause
        _check("pg_restore", restore.returncode, _read(restore_errors))


def _relay(restore, psql, prelude):
    """Feed psql the prelude, then pg_restore's SQL; COMMIT only when pg_restore finished well."""
    try:
        psql.stdin.write(prelude)
        shutil.copyfileobj(restore.stdout, psql.stdin)
        if restore.wait() == 0:
            psql.stdin.write(b"COMMIT;\n")
        psql.stdin.close()  # without COMMIT, psql's session ends and PostgreSQL rolls the transaction back
    except BrokenPipeError:  # psql stopped at an error: its transaction is rolled back
        restore.kill()
    finally:
        restore.stdout.close()
        restore.wait()
        psql.wait()


def _read(file):
    file.seek(0)
    return file.read().decode(errors="replace")


def _prelude(db, kept, archived_keys):
    """SQL removing what a restore of an older archive would trip on: newer tables, and newer foreign keys.

    A table made by a migration newer than the backup is not in the archive, so the restore's drops
    leave it, and its foreign keys stop them dropping the tables it points to. A foreign key that a
    newer migration added to an older table (follow_up.deleted_by_id) stops them the same way. The
    restore replaces everything: both go, in the restore's own transaction.
    """
    statements = [f'DROP TABLE IF EXISTS "{name}" CASCADE;' for name in db.get_tables() if name not in kept]
    for table, constraint in db.execute_sql(
            "SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c JOIN pg_namespace n "
            "ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public' ORDER BY 1, 2").fetchall():
        table = table.strip('"')
        if table in kept and (table, constraint) not in archived_keys:
            statements.append(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{constraint}";')
    return "\n".join(statements) + "\n"


def _check(tool, returncode, stderr):
    """Raise BackupError with the last line a tool said of its error, when it failed."""
    if returncode == 0:
        return
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    # pg_restore follows an error with the SQL it ran ("Command was: ..."): show the error itself.
    said = [line for line in lines if line.startswith(tool + ":")] or lines
    raise BackupError(f"{tool} failed: {said[-1] if said else f'exit status {returncode}'}")


def _tool(name):
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools of the server's "
                          "major version (on Debian or Ubuntu: apt install postgresql-client).")
    return found


def _connection(db):
    """The options and environment that reach db; the password goes in the environment only."""
    params = db.connect_params
    options = ["--dbname", db.database, "--no-password"]  # never wait for a password at a prompt
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            options += [option, str(params[key])]
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    if params.get("sslmode"):
        env["PGSSLMODE"] = str(params["sslmode"])
    return options, env


def _run(args, env=None):
    """Run a command; return its output, or raise BackupError with the last line of its errors."""
    result = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            errors="replace")
    _check(Path(args[0]).name, result.returncode, result.stderr)
    return result.stdout


def _archive_tables(path):
    listing = _run([_tool("pg_restore"), "--list", str(path)])
    return set(TABLE_LINE.findall(listing))


def _copied_values(script, column):
    """The values of one column in the COPY block of a pg_restore script (COPY's text format)."""
    values, position = [], None
    for line in script.splitlines():
        if position is None:
            match = re.match(r"COPY \S+ \((.*)\) FROM stdin;$", line)
            if match:
                position = [name.strip().strip('"') for name in match.group(1).split(",")].index(column)
        elif line == "\\.":
            break
        else:
            values.append(line.split("\t")[position])
    return values
