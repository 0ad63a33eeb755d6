"""`flask backup PATH` and `flask restore PATH`: the whole database to a file and back."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from peewee import PeeweeException

from registry.audit.witness import current_witness
from registry.db import database
from registry.maintenance.backup import backup_database, restore_database
from registry.maintenance.errors import BackupError


def file_size(size):
    """Turn a number of bytes into words such as 840 KB or 12.5 MB."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024


def _failed(error):
    """A one-line error for the command line: ours as it is, the database driver's first line."""
    if isinstance(error, BackupError):
        return click.ClickException(str(error))
    return click.ClickException("The database failed: " + (str(error).splitlines() or [type(error).__name__])[0])


def _ask(path, tables):
    click.confirm(f"This replaces everything in the database with the backup {path} ({tables} tables). "
                  "Continue?", abort=True)


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace the file at PATH if there is one.")
def backup_command(path, force):
    """Copy the whole database to the file PATH; safe while the app runs."""
    try:
        done = backup_database(database.obj, path, force=force, witness=current_witness())
    except (BackupError, PeeweeException) as error:
        raise _failed(error) from None
    click.echo(f"Backed up the database to {done.path} ({file_size(done.size)}, {done.tables} tables) "
               f"in {done.seconds:.2f} s.")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace the database without confirmation.")
def restore_command(path, yes):
    """Replace everything in the database with the backup PATH, then bring it up to date."""
    try:
        done = restore_database(database.obj, path, confirm=None if yes else _ask, witness=current_witness())
    except (BackupError, PeeweeException) as error:
        raise _failed(error) from None
    click.echo(f"Restored the database from {done.path} ({file_size(done.size)}, {done.tables} tables) "
               f"in {done.seconds:.2f} s.")
    if done.migrations:
        click.echo("Applied migrations: " + ", ".join(done.migrations))
    for warning in done.warnings:
        click.echo("Warning: " + warning, err=True)
