"""Response headers that keep pages from being framed, sniffed, leaked through referrers or cached.

The Content-Security-Policy allows scripts, styles, fonts and images from the app itself only: no
inline script, no inline style attribute, no outside host (field offices are offline anyway).
Pages and files may hold personal data, so nothing but the static assets may be stored by a browser
or a proxy; the assets are cached, so that a slow connection pays for them once.
"""
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
ASSET_MAX_AGE = 7 * 24 * 3600  # a week; asset names do not change between releases, so not "immutable"


def _is_asset(request):
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static") or endpoint in ("files.khmer_font", "shell.manifest")


def set_headers(response):
    """after_request: the security headers everywhere; no-store on all but the static assets."""
    from flask import request

    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if _is_asset(request) and response.status_code in (200, 304):
        response.cache_control.no_cache = None  # send_file's default: it would make browsers re-check every time
        response.cache_control.public = True
        response.cache_control.max_age = ASSET_MAX_AGE
    else:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app):
    """Add the headers to every response."""
    app.after_request(set_headers)
