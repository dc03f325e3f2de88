"""The Flask app: factory, per-request database, login, CSRF, htmx, errors."""

from __future__ import annotations

import threading

from flask import Flask, current_app, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from htmx_flask import Htmx
from jinja2 import StrictUndefined
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import IntegerConverter

from workbench.data import db as db_module
from workbench.data import users
from workbench.web import (admin, articles, auth, candidates, comments, concordance, connect, consistency, editor,
                           editor_tools, find_replace, glossary, health, memory, probe, security, suggestions,
                           my_work, team, versions)
from workbench.core.errors import UserError
from workbench.core.hygiene import LIMITS
from workbench.data.instance import PACKAGE_DIR, TEMPLATES_DIR, Instance

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


def make_app(instance: Instance, secret_key: str, test_config: dict | None = None) -> Flask:
    """The Flask app with the web editor's blueprints, for an instance folder made ready by the
    caller. workbench/app.py adds the API and the job queue, then calls `finish`."""
    app = Flask(__name__, instance_path=str(instance.path), instance_relative_config=True,
                template_folder=str(TEMPLATES_DIR), static_folder=str(PACKAGE_DIR / "static"))
    app.config.from_mapping(
        SECRET_KEY=secret_key,
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
    app.jinja_env.globals["limits"] = LIMITS  # the forms' maxlength: the services' numbers
    app.url_map.converters["int"] = SQLiteInteger  # before any blueprint adds its rules
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
        if database is not None:
            db_module.rollback_open(database)  # nothing a failed request began outlives it

    @app.after_request
    def vary_on_htmx(response):
        # Pages and their htmx partials share URLs: caches must tell them apart.
        response.vary.add("HX-Request")
        return response


    for module in (auth, articles, editor, find_replace, comments, concordance, glossary, candidates, suggestions,
                   memory, consistency, admin, connect, versions, health, team, my_work):
        app.register_blueprint(module.bp)
    if app.config.get("BENCH_ENDPOINTS"):  # bench/web_latency.py sets it in its own instance only
        app.register_blueprint(probe.bp)
    # Browsers and feed readers ask for /favicon.ico whatever <link rel="icon"> says.
    app.add_url_rule("/favicon.ico", "favicon", lambda: redirect(url_for("static", filename="favicon.svg")))
    auth.init_app(app)
    return app


def finish(app: Flask) -> Flask:
    """What must come after every blueprint (the web's and the API's): upload limits, CSRF, error pages."""

    @app.before_request
    def per_route_upload_limit():
        # CSRFProtect (registered next) parses the form, which applies the limit: a route's own
        # limit must be set before that, and only for a user allowed to use the route.
        if request.endpoint == "admin.install_model" and users.can(g.get("user"), "admin"):
            request.max_content_length = app.config["MODEL_UPLOAD_MAX"]

    csrf.init_app(app)  # after the login check and the limits above
    _register_errors(app)
    return app


def _register_errors(app: Flask) -> None:
    def page(title: str, message: str, status: int, headers: dict | None = None):
        api_problem = current_app.extensions.get("workbench-problem")
        if api_problem and request.path.startswith("/api/"):  # no API route matched: answer as the API does
            return api_problem(status, title, message, headers)
        template = "_error.html" if request.headers.get("HX-Request") else "error.html"
        return render_template(template, title=title, message=message, status=status), status, headers or {}

    @app.errorhandler(UserError)
    def user_error(err):
        return page("That did not work", str(err), getattr(err, "status", 400))

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return page("Form expired", "The form was stale or forged (CSRF check failed). "
                    "Reload the page and try again.", 400)

    @app.errorhandler(HTTPException)
    def http_error(err):
        # the error's own headers (a 405's Allow, above all), not its HTML body's type
        headers = {key: value for key, value in err.get_headers() if key.lower() != "content-type"}
        return page(err.name, err.description or "", err.code or 500, headers)

    @app.errorhandler(Exception)
    def server_error(err):
        app.logger.exception("unhandled error")
        return page("Something went wrong", "The error was logged. Your saved work is safe; "
                    "reload the page to continue.", 500)
