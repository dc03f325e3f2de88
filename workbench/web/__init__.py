"""The Flask app: factory, per-request database, login, CSRF, htmx, errors."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sqlite3
import threading
from pathlib import Path

from flask import Flask, current_app, g, redirect, render_template, request, send_file, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from htmx_flask import Htmx
from jinja2 import StrictUndefined
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import IntegerConverter

from workbench.data import users
from workbench.core.errors import UserError
from workbench.data.instance import PACKAGE_DIR, TEMPLATES_DIR, Instance, default_instance_path
from workbench.web import security

csrf = CSRFProtect()
htmx = Htmx()


class SQLiteInteger(IntegerConverter):
    """`<int:...>` limited to what SQLite stores: a larger id is simply not found (404), not a 500.

    NotFound rather than werkzeug's ValidationError: a failed conversion lets the matcher answer
    405 when a rule with the same shape exists for another method.
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > 2 ** 63 - 1:
            raise NotFound(f"No such item: {value[:40]} is larger than any id.")
        return number


def create_app(test_config: dict | None = None, instance_path: str | os.PathLike | None = None) -> Flask:
    """Build the app for an instance folder (argument, WORKBENCH_INSTANCE, or ./instance)."""
    instance = Instance(Path(instance_path or (test_config or {}).get("INSTANCE") or default_instance_path()))
    instance.init()
    app = Flask(__name__, instance_path=str(instance.path), instance_relative_config=True,
                template_folder=str(TEMPLATES_DIR), static_folder=str(PACKAGE_DIR / "static"))
    app.config.from_mapping(
        SECRET_KEY=instance.secret_key(),
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,  # uploads: articles and glossaries are small
        MODEL_UPLOAD_MAX=1024 ** 3,  # real MT packages are 100+ MB (waitress's own body limit is 1 GiB)
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        EDITOR_PAGE_SIZE=200,
        LOGIN_LIMITS={},  # workbench.data.login_limits.Limits fields, e.g. {"account_free": 5}
    )
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.update(test_config)
    app.config["INSTANCE"] = instance
    app.jinja_env.undefined = StrictUndefined
    app.url_map.converters["int"] = SQLiteInteger  # before any blueprint adds its rules
    from workbench.web import editor_tools

    editor_tools.init_app(app)
    htmx.init_app(app)
    security.init_app(app)

    # One SQLite connection per server thread, kept across requests: opening one per request
    # (and closing it, which checkpoints the WAL when it is the last) cost more than a simple save.
    connections = threading.local()

    @app.before_request
    def open_database():
        db = getattr(connections, "db", None)
        if db is None:
            db = connections.db = instance.db()
        g.db = db

    @app.teardown_appcontext
    def end_database_use(_exc):
        database = g.pop("db", None)
        if database is not None and database.conn.in_transaction:
            database.conn.rollback()  # nothing a failed request began outlives it

    @app.after_request
    def vary_on_htmx(response):
        # Pages and their htmx partials share URLs: caches must tell them apart.
        response.vary.add("HX-Request")
        return response

    from workbench.web import (admin, articles, auth, candidates, comments, concordance, connect, consistency, editor, find_replace, glossary, memory, suggestions, versions)

    for module in (auth, articles, editor, find_replace, comments, concordance, glossary, candidates, suggestions,
                   memory, consistency, admin, connect, versions):
        app.register_blueprint(module.bp)
    if app.config.get("BENCH_ENDPOINTS"):  # bench/web_latency.py sets it in its own instance only
        from workbench.web import probe

        app.register_blueprint(probe.bp)
    # Browsers and feed readers ask for /favicon.ico whatever <link rel="icon"> says.
    app.add_url_rule("/favicon.ico", "favicon", lambda: redirect(url_for("static", filename="favicon.svg")))
    auth.init_app(app)
    from workbench import api
    from workbench.services import webhooks

    api.init_app(app, csrf)
    webhooks.init_app(app)

    @app.before_request
    def per_route_upload_limit():
        # CSRFProtect (registered next) parses the form, which applies the limit: a route's own
        # limit must be set before that, and only for a user allowed to use the route.
        if request.endpoint == "admin.install_model" and users.can(g.get("user"), "admin"):
            request.max_content_length = app.config["MODEL_UPLOAD_MAX"]

    csrf.init_app(app)  # after the login check and the limits above
    _register_errors(app)

    from workbench.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
    return app


def _register_errors(app: Flask) -> None:
    def page(title: str, message: str, status: int):
        if request.path.startswith("/api/"):  # no API route matched: still answer as the API does
            from workbench.api import problem

            return problem(status, title, message)
        template = "_error.html" if request.headers.get("HX-Request") else "error.html"
        return render_template(template, title=title, message=message, status=status), status

    @app.errorhandler(UserError)
    def user_error(err):
        return page("That did not work", str(err), getattr(err, "status", 400))

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return page("Form expired", "The form was stale or forged (CSRF check failed). "
                    "Reload the page and try again.", 400)

    @app.errorhandler(HTTPException)
    def http_error(err):
        return page(err.name, err.description or "", err.code or 500)

    @app.errorhandler(Exception)
    def server_error(err):
        app.logger.exception("unhandled error")
        return page("Something went wrong", "The error was logged. Your saved work is safe; "
                    "reload the page to continue.", 500)


def required_upload(what: str):
    """The uploaded file of the form's `file` field, or a UserError asking for `what`."""
    upload = request.files.get("file")
    if not upload or not upload.filename:
        raise UserError(f"choose {what}")
    return upload


def partial_or_page(partial: str, page: str, **context):
    """The partial alone for htmx requests (not history restores), the full page otherwise."""
    wants_partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    return render_template(partial if wants_partial else page, **context)


_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def download(body: bytes | str, mimetype: str, filename: str):
    """An attachment whose name may hold any characters (RFC 6266 `filename*=UTF-8''...`)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    name = _UNSAFE_IN_FILENAME.sub("-", filename).strip(" .") or "download"
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=name)


@contextlib.contextmanager
def reading(name: str, what: str):
    """Turn any failure while parsing an uploaded file into a 400 naming the file.

    The readers raise their own UserError for problems they know; anything else they raise on a
    hostile file (a parser's own exception, a recursion error) is still the file's fault. Database
    errors are the server's and stay 500s.
    """
    try:
        yield
    except (UserError, sqlite3.Error):
        raise
    except Exception as err:  # noqa: BLE001 - the upload, not the server, is broken
        current_app.logger.warning("unreadable upload %r: %r", name, err)
        raise UserError(f"{name}: could not be read as {what} ({type(err).__name__}); "
                        "check that the file is not damaged and export it again") from None
