"""Employment outcomes: follow-ups after training, their due list, and money in two currencies."""

from registry.outcomes import hooks  # noqa: E402,F401  (registers with programs and beneficiaries)
