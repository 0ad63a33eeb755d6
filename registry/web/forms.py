"""Forms every feature shares."""
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """An empty form: a button whose POST carries the CSRF token."""

    submit = SubmitField()
