"""The beneficiary registry: the application factory."""
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from registry import api, audit, config, db, maintenance
from registry.web import routing, security_headers
from registry.extensions import babel, bootstrap, compress, csrf, login_manager

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Create the app: configuration, extensions, blueprints, commands."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.from_mapping(config.DEFAULTS)
    if test_config is None:
        app.config.from_mapping(config.from_environment(app.instance_path))
    else:
        app.config.from_mapping(test_config)
    app.config.setdefault("AUDIT_WITNESS_FILE", config.witness_file(app.instance_path))
    config.apply_office_timezone(app.config)

    if app.config["PROXY_COUNT"]:
        # Trust X-Forwarded-For only from the configured number of proxies.
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    routing.init_app(app)  # before any route is added
    db.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    _connect_features(app)
    _register_commands(app)
    api.init_app(app)
    audit.init_app(app)
    maintenance.init_app(app)
    security_headers.init_app(app)
    return app


def _init_extensions(app):
    from registry.auth.guard import require_login
    from registry.auth.session_rules import end_idle_session, require_own_password
    from registry.web.input_guard import refuse_nul
    from registry.auth.services import load_user
    from registry.i18n import select_locale
    from registry.main import context
    from registry.web import errors

    from flask_babel import lazy_gettext as _l

    csrf.init_app(app)
    bootstrap.init_app(app)
    compress.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    app.before_request(refuse_nul)
    # Registered after flask-login's own hooks: every route needs a login unless marked @public.
    app.before_request(require_login)
    app.before_request(end_idle_session)
    app.before_request(require_own_password)
    errors.init_app(app)
    context.init_app(app)


def _register_blueprints(app):
    from registry.auth.views import bp as auth_bp
    from registry.beneficiaries import consent_views  # noqa: F401  (adds the consent page to beneficiaries_bp)
    from registry.beneficiaries.export_views import bp as beneficiary_exports_bp
    from registry.beneficiaries.import_views import bp as beneficiary_imports_bp
    from registry.beneficiaries.merge_views import bp as beneficiary_merges_bp
    from registry.beneficiaries.views import bp as beneficiaries_bp
    from registry.main.app_shell import bp as shell_bp
    from registry.main.health import bp as health_bp
    from registry.main.views import bp as main_bp
    from registry.outcomes.views import bp as outcomes_bp
    from registry.reports.admin_views import bp as indicators_bp
    from registry.reports.views import bp as reports_bp
    from registry.programs.attendance_views import bp as attendance_bp
    from registry.programs.cohort_views import bp as cohorts_bp
    from registry.programs.enrollment_views import bp as enrollments_bp
    from registry.programs.program_views import bp as programs_bp
    from registry.programs.signin_views import bp as signin_bp
    from registry.main.static_files import bp as files_bp
    from registry.users.views import bp as users_bp

    for bp in (auth_bp, health_bp, main_bp, files_bp, shell_bp, users_bp, beneficiaries_bp, beneficiary_merges_bp,
               beneficiary_imports_bp, beneficiary_exports_bp, programs_bp, cohorts_bp, enrollments_bp,
               attendance_bp, signin_bp, outcomes_bp, reports_bp, indicators_bp):
        app.register_blueprint(bp)


def _connect_features(app):
    """Let features take part in others' work, in an order written here rather than left to import lines."""
    from registry import outcomes
    from registry.beneficiaries import merging, profile_sections
    from registry.outcomes.hooks import FOLLOW_UPS, TIMELINE
    from registry.programs.merge_step import ENROLLMENTS
    from registry.programs.profile_section import TRAINING

    # Follow-ups follow their enrollments: on a merge and on its undo, enrollments move first.
    merging.init_app(app, steps=(ENROLLMENTS, FOLLOW_UPS))
    profile_sections.init_app(app, sections=(TRAINING, TIMELINE))
    outcomes.init_app(app)


def _register_commands(app):
    from registry import synthetic
    from registry.synthetic.demo import seed_demo_command
    from registry.users.cli import create_user_command

    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    synthetic.init_app(app)
