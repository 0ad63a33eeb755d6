"""Training delivery: programs, cohorts, sessions, enrollment and attendance."""

# Importing the package registers training's merge step and profile section with participants.
from registry.programs import merge_step, profile_section  # noqa: E402,F401
