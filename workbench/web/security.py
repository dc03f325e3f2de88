"""Security headers on every response, and the settings for running behind an HTTPS proxy.

The Content-Security-Policy allows scripts only from this site's static files (htmx is served
locally; no inline scripts, handlers or eval: htmx is configured with allowEval false in base.html)
and styles from static files plus inline style attributes (progress bars set widths). The app may
not be framed (frame-ancestors 'none', X-Frame-Options DENY).
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
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
}


def init_app(app: Flask) -> None:
    """Add the headers to every response; with HTTPS_BEHIND_PROXY, trust one proxy's X-Forwarded-*
    headers, send cookies only over HTTPS and ask browsers to keep to HTTPS."""
    behind_proxy = bool(app.config.get("HTTPS_BEHIND_PROXY"))
    if behind_proxy:
        app.config.update(SESSION_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)

    @app.after_request
    def security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if behind_proxy:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Signed-in pages hold unpublished articles: no browser or shared cache keeps them (after
        # a logout, on a shared newsroom computer). Static files stay cacheable.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
