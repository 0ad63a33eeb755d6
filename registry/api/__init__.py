"""The JSON API, version 1: bearer tokens, JSON in and out, the same rules as the pages."""


def init_app(app):
    """Token sign-in without cookies, the API's blueprints (writes idempotent), tokens and commands."""
    from registry.api import (beneficiaries, docs, enrollments, follow_ups, idempotency, page_sync, programs,
                              reports, token_views)
    from registry.api.auth import ApiAwareSessionInterface, user_from_bearer_token
    from registry.api.cli import create_token_command
    from registry.extensions import login_manager

    app.session_interface = ApiAwareSessionInterface()
    login_manager.request_loader(user_from_bearer_token)
    for module in (beneficiaries, programs, enrollments, follow_ups, reports, docs, token_views, page_sync):
        app.register_blueprint(module.bp)
    idempotency.init_app(app)  # after the blueprints: it wraps their write endpoints
    app.cli.add_command(create_token_command)
