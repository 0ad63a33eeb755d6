"""The interface language: the account's choice, else the session's, else the browser's."""
from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale():
    """flask-babel's locale selector."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line, or a domain function called from a test
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def N_(text):
    """Mark a string for translation without translating it here (e.g. a header that is also a key)."""
    return text
