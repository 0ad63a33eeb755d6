"""Employment outcomes: follow-ups after training, their due list, and money in two currencies."""


def init_app(app):
    """Connect outcomes to the signals of the features it follows, for this app."""
    from registry.outcomes.hooks import on_status_changed
    from registry.programs.signals import enrollment_status_changed

    enrollment_status_changed.connect(on_status_changed, app)
