"""Parts that other features add to participants' work (merge steps, profile sections), kept per app.

The app factory declares them in a written order; nothing depends on which module was imported first.
"""
from flask import current_app


def declare(app, key, parts):
    """Keep the parts, in the order given, under key in app.extensions; their names must differ."""
    parts = tuple(parts)
    names = [part.name for part in parts]
    if len(set(names)) != len(names):
        raise ValueError(f"Two parts declared under {key} share a name: {names}.")
    app.extensions[key] = parts


def declared(key):
    """The current app's parts under key, in their declared order."""
    return current_app.extensions[key]
