"""The installable app shell: the web app manifest, the service worker and the offline page.

The service worker keeps a copy of the shell only (styles, scripts, the Khmer font, the icons and the
offline page), never a page with people's data; see docs/offline.md. All three are public: a browser
fetches the manifest without cookies, and the offline page must open for anyone with no connection.
"""
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from registry.auth.guard import public

bp = Blueprint("shell", __name__)

THEME_COLOUR = "#0d6efd"  # Bootstrap's primary: the navbar's blue (bg-primary)
# The worker loads these itself, to send the queue on a Background Sync.
WORKER_SCRIPTS = ("js/offline-store.js", "js/offline-send.js")
# Under the app's static folder: the files every page loads, and the icons.
STATIC_SHELL = ("css/registry.css", "js/app-shell.js", "js/offline-store.js", "js/offline-send.js",
                "js/offline-page.js", "js/offline-attendance.js", "js/offline-followups.js",
                "js/offline-followup-form.js", "js/form-errors.js", "favicon.svg", "icons/icon-192.png",
                "icons/icon-512.png", "icons/icon-maskable-512.png")
BOOTSTRAP_SHELL = ("css/bootstrap.min.css", "umd/popper.min.js", "js/bootstrap.min.js")
ICONS = (("icons/icon-192.png", "192x192", "any"), ("icons/icon-512.png", "512x512", "any"),
         ("icons/icon-maskable-512.png", "512x512", "maskable"))


def shell_urls():
    """The URLs the service worker keeps: the shell's files and the offline page, nothing else."""
    return ([url_for("static", filename=name) for name in STATIC_SHELL]
            + [url_for("bootstrap.static", filename=name) for name in BOOTSTRAP_SHELL]
            + [url_for("files.khmer_font"), url_for("shell.offline")])


@lru_cache(maxsize=1)
def _files_digest(folder, names):
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + Path(folder, name).read_bytes())
    return digest.hexdigest()[:12]


def shell_version():
    """The cache's version: changes whenever a file of the shell or the worker itself changes."""
    folder = current_app.static_folder
    names = STATIC_SHELL + ("fonts/noto-sans-khmer.woff2",)
    worker = Path(current_app.template_folder, "shell", "sw.js").read_bytes()
    return _files_digest(folder, names) + hashlib.sha256(worker).hexdigest()[:6]


def manifest_for(language):
    """The web app manifest in one of the app's languages (English when the language is unknown)."""
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        return {
            "name": str(_l("Beneficiary registry")),
            "short_name": str(_l("Registry")),
            "description": str(_l("Participants, training and follow-ups of the livelihood programs.")),
            "lang": language,
            "start_url": url_for("main.home"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": "#ffffff",
            "icons": [{"src": url_for("static", filename=src), "sizes": sizes, "type": "image/png",
                       "purpose": purpose} for src, sizes, purpose in ICONS],
        }


@bp.get("/manifest.webmanifest")
@public
def manifest():
    """The manifest in the language the page asked for (?lang=): a browser fetches it without cookies."""
    body = json.dumps(manifest_for(request.args.get("lang", "")), ensure_ascii=False)
    return body, 200, {"Content-Type": "application/manifest+json; charset=utf-8"}


@bp.get("/sw.js")
@public
def service_worker():
    """The service worker, at the root so that its scope covers every page."""
    body = render_template("shell/sw.js", version=shell_version(), shell=shell_urls(),
                           offline=url_for("shell.offline"),
                           scripts=[url_for("static", filename=name) for name in WORKER_SCRIPTS])
    return body, 200, {"Content-Type": "text/javascript; charset=utf-8"}


@bp.get("/offline")
@public
def offline():
    """The page shown in place of a page that cannot be fetched: no connection, in both languages."""
    first = str(get_locale() or "en")
    languages = [first] + [code for code in current_app.config["LANGUAGES"] if code != first]
    return render_template("shell/offline.html", texts=[_offline_texts(code) for code in languages],
                           attendance=[_offline_attendance_texts(code) for code in languages],
                           follow_ups=[_offline_follow_up_section(code) for code in languages])


def _offline_texts(language):
    """The offline page's words in one language: the page shows them in each, the user's own first."""
    with force_locale(language):
        return {"lang": language, "heading": gettext("No connection"),
                "body": gettext("This page cannot open: the phone has no connection to the registry. "
                                "Pages with people's details are never kept on the phone."),
                "retry": gettext("Try again"),
                "signed_out": gettext("You are signed out on this phone: the work and the sessions it kept are "
                                      "erased. The registry ends your session when the connection returns.")}


def _offline_attendance_texts(language):
    """The words of attendance taken offline in one language: offline-attendance.js builds the form in the
    language the user last chose, which may not be the one the worker installed the page in."""
    from registry.programs.display import mark_label
    from registry.programs.models import MARKS

    with force_locale(language):
        return {
            "lang": language, "heading": gettext("Take attendance offline"), "take": gettext("Take attendance offline"),
            "none": gettext("No sessions are kept on this phone. Open the home page while online to keep "
                            "your sessions of the next 14 days."),
            "save": gettext("Save"), "all_present": gettext("Mark all present"),
            "kept": gettext("Kept on this phone, waiting to be sent. They are sent when the connection returns "
                            "and you open a page of the registry."),
            "nothing": gettext("No mark was taken: nothing to save."),
            "future": gettext("This session has not taken place yet: attendance can be taken on the day."),
            "waiting": gettext("waiting"),
            "marks": json.dumps([[m, str(mark_label(m))] for m in MARKS], ensure_ascii=False)}


def _offline_follow_up_section(language):
    """Follow-up calls offline in one language: the page holds each, offline-followups.js keeps the one shown first."""
    with force_locale(language):
        return Markup(render_template("outcomes/_offline_section.html", follow_up_form=_offline_follow_up_form(),
                                      lang=language))


def _offline_follow_up_form():
    """The follow-up form, blank, for follow-up calls offline: offline-followups.js fills it from IndexedDB."""
    from wtforms.fields.choices import SelectChoice

    from registry.outcomes.forms import FollowUpForm

    form = FollowUpForm(formdata=None, meta={"csrf": False})
    form.enrollment.choices = [SelectChoice("", gettext("The latest completed by the date"))]
    return form
