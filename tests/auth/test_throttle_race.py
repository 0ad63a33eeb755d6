"""The sign-in throttle holds under concurrency: N workers guessing at once check at most the limit.

Each thread has its own test client and its own database connection (peewee's are per thread), as
workers would. The password check is replaced by one that counts, then waits until every attempt has
either reached a check or been answered: so every attempt that the throttle lets through is inside
its check at the same time, the widest race there can be, without any sleep.
"""
import threading

import pytest

from registry.auth import services
from registry.auth.throttle import LoginFailure
from registry.db import database
from tests.conftest import PASSWORD

ATTEMPTS = 12


class CheckCounter:
    """Stands in for the password check: counts the checks, and holds each until every attempt has settled."""

    def __init__(self, attempts):
        self.attempts = attempts
        self.checks = 0
        self.settled = 0
        self._state = threading.Condition()
        self._local = threading.local()

    def settle(self):
        """This thread's attempt is in its check, or answered without one."""
        with self._state:
            self.settled += 1
            self._state.notify_all()

    def start(self):
        """A thread's attempt begins."""
        self._local.checked = False

    def finish(self):
        """A thread's attempt was answered; it settles now unless it did in its check."""
        if not self._local.checked:
            self.settle()

    def verify(self, *args):
        """A wrong password, checked once every attempt has counted."""
        self._local.checked = True
        with self._state:
            self.checks += 1
        self.settle()
        with self._state:
            assert self._state.wait_for(lambda: self.settled >= self.attempts, timeout=30)
        return False


def _guess_at_once(app, username, counter):
    """ATTEMPTS threads post a wrong password for the username at the same moment; return their statuses."""
    barrier, statuses = threading.Barrier(ATTEMPTS), []

    def guess():
        client = app.test_client()
        counter.start()
        barrier.wait()
        try:
            statuses.append(client.post("/login", data={"username": username, "password": "a wrong guess"})
                            .status_code)
        finally:
            counter.finish()
            database.close()

    threads = [threading.Thread(target=guess) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


@pytest.mark.parametrize("known", [True, False], ids=["known username", "unknown username"])
def test_concurrent_wrong_passwords_are_checked_at_most_the_limit(app, create_user, monkeypatch, known):
    create_user("officer", username="dara")
    counter = CheckCounter(ATTEMPTS)
    if known:
        monkeypatch.setattr(services, "verify_password", counter.verify)
    else:
        monkeypatch.setattr(services, "dummy_verify", counter.verify)
    username = "dara" if known else "nobody"

    statuses = _guess_at_once(app, username, counter)

    limit = app.config["LOGIN_MAX_FAILURES_PER_USER"]
    assert len(statuses) == ATTEMPTS and set(statuses) <= {200, 429}
    assert counter.checks <= limit  # may be fewer: attempts refused together are all withdrawn
    assert statuses.count(200) == counter.checks  # every other attempt was refused without a check
    database.connect(reuse_if_open=True)
    assert LoginFailure.select().where(LoginFailure.username == username).count() == counter.checks
    monkeypatch.undo()
    client = app.test_client()
    for _ in range(limit - counter.checks):
        assert client.post("/login", data={"username": username, "password": "a wrong guess"}).status_code == 200
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 429
