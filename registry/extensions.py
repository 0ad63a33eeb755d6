"""Flask extensions, created unbound and bound to the app in create_app."""
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_compress import Compress
from flask_login import LoginManager
from flask_wtf import CSRFProtect

# Only the static assets' text types are compressed, never pages or JSON: those carry the CSRF token and
# personal data beside text an attacker can put in a link or a form, and compressing both in one answer
# lets someone who sees only the lengths of HTTPS answers guess the secret a byte at a time (BREACH).
# No view answers with these types: they come from the static folders only.
STATIC_TEXT_TYPES = ["text/css", "text/javascript", "application/javascript", "image/svg+xml"]
COMPRESS_DEFAULTS = {
    "COMPRESS_MIMETYPES": STATIC_TEXT_TYPES,
    # Assets are compressed once per browser per week (they are cached), so spend a little more time on
    # them: Bootstrap's CSS is 27 KB at these levels, 33 KB at the library's defaults (gzip: 31 KB).
    "COMPRESS_BR_LEVEL": 6,
    "COMPRESS_ZSTD_LEVEL": 9,
    # Files are streamed; answer a revalidation of a compressed file (its ETag ends in ":br") with 304.
    "COMPRESS_STREAMING_ENDPOINT_CONDITIONAL": ["static", "bootstrap.static"],
}


class StaticAssetCompress(Compress):
    """Flask-Compress with the registry's defaults: the static assets' text types only."""

    def init_app(self, app):
        """Bind to the app; settings in the app's configuration win over COMPRESS_DEFAULTS."""
        for key, value in COMPRESS_DEFAULTS.items():
            app.config.setdefault(key, value)
        super().init_app(app)


babel = Babel()
bootstrap = Bootstrap5()
compress = StaticAssetCompress()
csrf = CSRFProtect()
login_manager = LoginManager()
