"""Backups on PostgreSQL: pg_dump's custom format, put back with pg_restore."""
import os
import re
import shutil
import subprocess
from pathlib import Path

from registry.maintenance.errors import BackupError

NAME = "PostgreSQL"
KIND = "pg_dump archive"
MAGIC = b"PGDMP"
# "215; 1259 16390 TABLE public app_user postgres" in pg_restore --list; not "TABLE DATA" lines.
TABLE_LINE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+)(?: |$)", re.MULTILINE)


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


def load(db, path):
    """Replace the live database's tables with the archive's: pg_restore runs in one transaction."""
    options, env = _connection(db)
    _drop_tables_not_in(db, {name for schema, name in _archive_tables(path) if schema == "public"})
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          *options, str(path)], env)


def _drop_tables_not_in(db, kept):
    # A table made by a migration newer than the backup is not in the archive, so --clean leaves
    # it, and its foreign keys stop pg_restore from dropping the tables it points to. The restore
    # replaces everything: such a table goes, and the migrations run afterwards make it again.
    extra = [name for name in db.get_tables() if name not in kept]
    with db.atomic():
        for name in extra:
            db.execute_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')


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
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        # pg_restore follows an error with the SQL it ran ("Command was: ..."): show the error itself.
        tool = Path(args[0]).name + ":"
        said = [line for line in lines if line.startswith(tool)] or lines
        raise BackupError(f"{Path(args[0]).name} failed: {said[-1] if said else f'exit status {result.returncode}'}")
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
