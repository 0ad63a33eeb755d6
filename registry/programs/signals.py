"""The signals training sends, so that the features following its enrollments need no import from it back.

Blinker signals, as Flask's own: receivers connect for one app (`connect(receiver, app)`) in that
feature's init_app, and run inside the sender's transaction, so an error in one undoes the whole change.
"""
from blinker import Namespace

_signals = Namespace()

#: Sent by change_status, inside its transaction, with the app as sender and `enrollment` and `user`.
enrollment_status_changed = _signals.signal("enrollment-status-changed")
