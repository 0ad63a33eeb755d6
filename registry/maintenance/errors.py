"""The error of a backup or a restore that cannot be done."""


class BackupError(Exception):
    """A backup or a restore refused or failed; the message says why, in one line."""
