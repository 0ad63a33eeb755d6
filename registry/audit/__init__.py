"""The append-only audit trail: who saw and changed what, when and from where, chained by hash."""


def init_app(app):
    """The audit page, the sealing of new events when a request or command ends, `flask verify-audit`."""
    from registry.audit.cli import verify_audit_command
    from registry.audit.sentences import actor_of, sentence
    from registry.audit.services import seal_after
    from registry.audit.views import bp

    app.register_blueprint(bp)
    # Other pages that list events (a profile's history, the admin's home page) name them the same way.
    app.add_template_global(actor_of, "audit_actor")
    app.add_template_global(sentence, "audit_sentence")
    # Both: the request hook seals on the request's own connection; the app context one covers
    # commands and worker threads. The first to run takes the pending flag, so it seals once.
    app.teardown_request(seal_after)
    app.teardown_appcontext(seal_after)
    app.cli.add_command(verify_audit_command)
