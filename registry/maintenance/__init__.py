"""Maintenance commands: `flask backup PATH` and `flask restore PATH`."""


def init_app(app):
    """Add the backup and restore commands to the app's command line."""
    from registry.maintenance.cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
