"""Sections that other features add to a participant's profile (training, follow-ups...).

beneficiaries never imports them: each feature registers a template and a function that
gives that template its values for one participant.
"""
from dataclasses import dataclass
from typing import Callable

PROFILE_SECTIONS = []


@dataclass
class ProfileSection:
    """A part of the profile page: its template, and the values it needs for a participant."""

    name: str
    template: str
    values: Callable


def register_profile_section(section):
    """Add a section to every participant's profile."""
    if all(s.name != section.name for s in PROFILE_SECTIONS):
        PROFILE_SECTIONS.append(section)


def profile_sections(beneficiary):
    """[(template, values)] of the registered sections for one participant."""
    return [(s.template, s.values(beneficiary)) for s in PROFILE_SECTIONS]
