"""The rule of the due windows, kept pure so that the services and migration 0018 apply the same one.

A window (3, 6 or 12 months after a completion) is closed once a live reached follow-up of the
enrollment answers it or a later window: someone found at 6 months needs no 3-month call any more.
An attempt that did not reach the person leaves it open; the due list says when it was last tried.
"""
from collections import namedtuple

# What the rule reads of a follow-up: its id, the window it answers, its date and whether it reached the person.
Contact = namedtuple("Contact", "id window_months followed_on reached")


def window_state(window, contacts):
    """(the id of the follow-up that closes the window or None, the last day tried without reaching or None).

    The closing follow-up is the reached one of the nearest window at or after this one, the
    earliest by date, then by id; `contacts` are the enrollment's live follow-ups.
    """
    closing = [(c.window_months, c.followed_on, c.id) for c in contacts
               if c.reached and c.window_months is not None and c.window_months >= window]
    tried = [c.followed_on for c in contacts if not c.reached and c.window_months == window]
    return (min(closing)[2] if closing else None), (max(tried) if tried else None)
