"""Training delivery: programs, cohorts, sessions, enrollment and attendance."""
