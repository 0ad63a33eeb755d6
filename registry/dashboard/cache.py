"""Dashboard figures kept while nothing in the registry changes.

Every change to the registry is audited, and the audit trail is a hash chain (registry/audit/chain.py)
sealed after each request: the hash of the last sealed event, with the newest event id, names the
state of the data. A worker keeps what it computed under (what, scope, day, language, that state)
and computes it again as soon as any worker or app server records a change, or a backup is restored.
Nothing here has to be seen by another worker: a worker without the figures computes them itself.
"""
import threading
from collections import OrderedDict

from flask import current_app, g
from flask_babel import get_locale

from registry.audit.models import AuditEvent

SIZE = 256  # kept results per worker, the least recently used dropped first


def data_state():
    """(hash of the last sealed audit event, newest event id): changes with every change to the registry."""
    last = AuditEvent.select(AuditEvent.hash).where(AuditEvent.seq.is_null(False)).order_by(AuditEvent.seq.desc())
    newest = AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc())
    return last.limit(1).scalar(), newest.limit(1).scalar()


class Kept:
    """A small least-recently-used store of computed results, one per app (so one per worker)."""

    def __init__(self, size=SIZE):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key, compute):
        """The result kept under key, or compute() kept under it."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def kept(key, compute):
    """compute() for key in the current language and state of the data, computed once per worker."""
    store = current_app.extensions.setdefault("registry.dashboard", Kept())
    if "data_state" not in g:  # read once per request
        g.data_state = data_state()
    return store.get((*key, str(get_locale()), g.data_state), compute)
