"""Each audited action as a sentence in the user's language: "Dara Sok viewed the record of BR-000004".

One sentence per action the code writes (tests/audit/test_sentences.py collects them from the source, so a
new action without a sentence fails). The stored events never change: this is only how they read.
"""
import json
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

SENTENCES = {
    # Signing in and out, passwords, API tokens
    "auth.login": _l("%(actor)s signed in."),
    "auth.logout": _l("%(actor)s signed out."),
    "auth.login_failed": _l("A sign-in as %(username)s was refused: %(reason)s."),
    "auth.login_throttled": _l("Sign-in as %(username)s was locked for %(minutes)s minutes after repeated failures."),
    "auth.password_changed": _l("%(actor)s changed their password."),
    "auth.password_change_failed": _l("%(actor)s tried to change their password: %(reason)s."),
    "token.create": _l("%(actor)s created the API token “%(name)s” for %(account)s."),
    "token.revoke": _l("%(actor)s revoked the API token “%(name)s” of %(account)s."),
    "api.replay": _l("%(actor)s sent again an API request already answered (%(path)s)."),
    # Accounts
    "user.create": _l("%(actor)s created the account of %(subject)s."),
    "user.update": _l("%(actor)s changed the account of %(subject)s."),
    "user.activate": _l("%(actor)s reactivated the account of %(subject)s."),
    "user.deactivate": _l("%(actor)s deactivated the account of %(subject)s."),
    "user.password_reset": _l("%(actor)s reset the password of %(subject)s."),
    # Participants
    "beneficiary.create": _l("%(actor)s registered %(subject)s."),
    "beneficiary.view": _l("%(actor)s viewed the record of %(subject)s."),
    "beneficiary.update": _l("%(actor)s changed the record of %(subject)s."),
    "beneficiary.archive": _l("%(actor)s archived the record of %(subject)s."),
    "beneficiary.restore": _l("%(actor)s restored the record of %(subject)s."),
    "beneficiary.list": _l("%(actor)s saw a list of participants (%(count)s shown)."),
    "beneficiary.duplicate_override": _l("%(actor)s registered %(subject)s despite likely duplicates (%(matches)s)."),
    "beneficiary.merge": _l("%(actor)s merged %(duplicate)s into %(subject)s."),
    "beneficiary.merged_into": _l("%(actor)s merged %(subject)s into %(survivor)s."),
    "beneficiary.merge_undone": _l("%(actor)s undid the merge of %(duplicate)s into %(survivor)s."),
    "beneficiary.consent_given": _l("%(actor)s recorded the consent of %(subject)s."),
    "beneficiary.consent_withdrawn": _l("%(actor)s recorded that %(subject)s withdrew consent."),
    "beneficiary.import_upload": _l("%(actor)s uploaded the spreadsheet “%(file)s” to import participants."),
    "beneficiary.import": _l("%(actor)s imported “%(file)s”: %(created)s participants registered, "
                             "%(updated)s updated."),
    "beneficiary.export": _l("%(actor)s exported a list of %(rows)s participants."),
    "beneficiary.export_refused": _l("%(actor)s asked for an export of participants that is not allowed."),
    # Training
    "program.create": _l("%(actor)s created the program %(subject)s."),
    "program.update": _l("%(actor)s changed the program %(subject)s."),
    "cohort.create": _l("%(actor)s created the cohort %(subject)s."),
    "cohort.update": _l("%(actor)s changed the cohort %(subject)s."),
    "cohort.schedule": _l("%(actor)s added %(count)s sessions to the cohort %(subject)s."),
    "session.add": _l("%(actor)s added %(subject)s."),
    "session.move": _l("%(actor)s moved %(subject)s."),
    "session.cancel": _l("%(actor)s cancelled %(subject)s."),
    "session.restore": _l("%(actor)s restored %(subject)s."),
    "enrollment.create": _l("%(actor)s created %(subject)s."),
    "enrollment.status": _l("%(actor)s changed the status of %(subject)s."),
    "enrollment.assessment": _l("%(actor)s recorded the final assessment of %(subject)s."),
    "attendance.record": _l("%(actor)s took the attendance of %(subject)s (%(count)s marks)."),
    "attendance.sync": _l("%(actor)s sent the attendance of %(subject)s taken offline."),
    "attendance.signin_sheet": _l("%(actor)s printed a sign-in sheet of the cohort %(subject)s."),
    "attendance.signin_upload": _l("%(actor)s entered a sign-in sheet of the cohort %(subject)s (%(count)s marks)."),
    # Follow-ups and money
    "follow_up.create": _l("%(actor)s recorded a follow-up of %(subject)s."),
    "follow_up.update": _l("%(actor)s corrected a follow-up of %(subject)s: %(reason)s."),
    "follow_up.delete": _l("%(actor)s deleted a follow-up of %(subject)s: %(reason)s."),
    "follow_up.form": _l("%(actor)s opened the follow-up form of %(subject)s."),
    "follow_up.due_list": _l("%(actor)s saw the follow-ups due (%(count)s shown)."),
    "follow_up.offline_copy": _l("%(actor)s took the follow-ups due offline on a phone (%(count)s people)."),
    "exchange_rate.set": _l("%(actor)s set the exchange rate of %(month)s."),
    "exchange_rate.default": _l("%(actor)s changed the default exchange rate."),
    # Reports and indicators
    "indicator.create": _l("%(actor)s created the indicator %(subject)s."),
    "indicator.update": _l("%(actor)s changed the indicator %(subject)s."),
    "indicator.target": _l("%(actor)s set a target of the indicator %(subject)s (%(fiscal_year)s, quarter "
                           "%(quarter)s)."),
    "setting.update": _l("%(actor)s changed a setting."),
    "report.export": _l("%(actor)s exported the report of %(period)s."),
    "report.lock": _l("%(actor)s locked the report of %(period)s as submitted."),
    "report.people": _l("%(actor)s listed the %(count)s people behind the indicator %(indicator)s (%(period)s)."),
    # The log itself, the database, demo data
    "audit.view": _l("%(actor)s viewed the audit log (events of %(count)s participants shown)."),
    "audit.export": _l("%(actor)s exported %(rows)s events of the audit log."),
    "database.backup": _l("%(actor)s backed up the database."),
    "database.restore": _l("%(actor)s restored the database from a backup."),
    "data.corrected": _l("%(actor)s corrected stored data."),
    "demo.seed": _l("%(actor)s loaded the demonstration data."),
    "synthetic.generate": _l("%(actor)s generated %(count)s synthetic participants."),
}
FAMILIES = {"auth": _l("Signing in"), "token": _l("API tokens"), "api": _l("API"), "user": _l("Accounts"),
            "beneficiary": _l("Participants"), "program": _l("Programs"), "cohort": _l("Cohorts"),
            "session": _l("Sessions"), "enrollment": _l("Enrollments"), "attendance": _l("Attendance"),
            "follow_up": _l("Follow-ups"), "exchange_rate": _l("Exchange rates"), "indicator": _l("Indicators"),
            "setting": _l("Settings"), "report": _l("Reports"), "audit": _l("Audit log"),
            "database": _l("Database"), "data": _l("Data corrections"), "demo": _l("Demonstration data"),
            "synthetic": _l("Synthetic data")}
UNKNOWN_ACTION = _l("%(actor)s: %(action)s.")
REASONS = {"inactive": _l("the account is deactivated"), "bad credentials": _l("wrong username or password"),
           "wrong current password": _l("the current password was wrong")}
# Detail keys that give an event's "how many": a number, or a list whose length it is.
COUNT_KEYS = ("marks", "people", "participants", "rows", "shown", "returned", "added")


@dataclass
class Subject:
    """The record an event is about, as the log names it; a link when the viewer may open it."""

    label: str
    url: str = None
    code: bool = False  # a participant code: kept on one line ("BR-" and its number never apart)

    def __html__(self):
        """The label, linked when there is a URL."""
        html = Markup('<a href="%s">%s</a>') % (self.url, self.label) if self.url else escape(self.label)
        return Markup('<span class="text-nowrap">%s</span>') % html if self.code else html


class _Params(dict):
    """The values a sentence fills in; a value the event lacks reads as a dash rather than failing."""

    def __missing__(self, key):
        return "—" if self.get("actor") != "…" else "…"


def actor_label(event, full_name=None):
    """Who did it: the account's display name, else what the log kept (a command, a migration), else Someone."""
    if full_name:
        return full_name
    name = event.username or ""
    if name.startswith("cli:"):
        return _("The command line (%(account)s)", account=name[4:])
    if name.startswith("migration:"):
        return _("The database update %(name)s", name=name[10:])
    return name or _("Someone")


def actor_of(event):
    """Who did it, for an event read with AuditEvent.with_actors(): the account's display name when it has one."""
    user = event.user if event.user_id else None
    return actor_label(event, (user.full_name or user.username) if user else None)


def subject_fallback(event):
    """A record the viewer cannot open or that no longer exists: its kind and number."""
    if not event.object_type:
        return _("a record")
    return _("%(kind)s no. %(id)s", kind=kind_label(event.object_type), id=event.object_id)


KINDS = {"beneficiary": _l("participant"), "user": _l("account"), "program": _l("program"), "cohort": _l("cohort"),
         "trainingsession": _l("session"), "enrollment": _l("enrollment"), "indicator": _l("indicator"),
         "importjob": _l("import"), "apitoken": _l("API token"), "reportsubmission": _l("submitted report"),
         "setting": _l("setting"), "followup": _l("follow-up")}


def kind_label(object_type):
    """A kind of record in the user's language."""
    return str(KINDS.get(object_type, object_type))


def _detail(event):
    try:
        data = json.loads(event.detail or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _count(detail):
    for key in COUNT_KEYS:
        value = detail.get(key)
        if isinstance(value, (list, dict)):
            return len(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return 0


def _params(event, detail, actor, subject):
    params = _Params({key: value for key, value in detail.items() if isinstance(value, (str, int, float))
                      and not isinstance(value, bool)})
    reason = detail.get("reason")
    params.update(actor=actor, subject=subject if subject is not None else subject_fallback(event),
                  username=event.username or _("an unknown name"), action=event.action, count=_count(detail),
                  reason=REASONS[reason] if reason in REASONS else reason or "—",
                  account=detail.get("user") or "—",
                  matches=", ".join(detail["matches"]) if isinstance(detail.get("matches"), (dict, list)) else "—")
    return params


def family_label(family):
    """A family of actions ("beneficiary") as the filter offers it ("Participants")."""
    return str(FAMILIES.get(family, family))


def action_label(action):
    """An action as the filter offers it: its sentence with blanks, "… viewed the record of …"."""
    if action not in SENTENCES:
        return action
    return str(SENTENCES[action]) % _Params(actor="…", subject="…", username="…", reason="…", count="…",
                                            account="…", matches="…", action=action)


def sentence(event, full_name=None, subject=None):
    """The event as one sentence (Markup) in the user's language: who did what to which record.

    :param full_name: the acting account's display name, when the event names an account.
    :param subject: a Subject for the record, when the caller could name it (a code, a name, a link).
    """
    template = SENTENCES.get(event.action, UNKNOWN_ACTION)
    params = _params(event, _detail(event), actor_label(event, full_name), subject)
    return escape(str(template)) % params
