"""Sections that other features add to a participant's profile (training, follow-ups...).

beneficiaries never imports them: each feature offers a template and a function that gives that
template its values for one participant, and the app factory declares them in order (init_app).
"""
from dataclasses import dataclass
from typing import Callable

from registry.beneficiaries.declared import declare, declared

SECTIONS_KEY = "registry.profile_sections"  # where init_app keeps an app's sections, in app.extensions


@dataclass
class ProfileSection:
    """A part of the profile page: its template, and the values it needs for a participant."""

    name: str
    template: str
    values: Callable


def init_app(app, sections):
    """Declare the sections other features add to every participant's profile, in the order the page shows them."""
    declare(app, SECTIONS_KEY, sections)


def profile_sections(beneficiary):
    """[(template, values)] of the current app's sections for one participant."""
    return [(s.template, s.values(beneficiary)) for s in declared(SECTIONS_KEY)]
