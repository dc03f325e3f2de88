"""Login, logout, and the rule that every page needs a signed-in user with the right role."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for

from .. import users

bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = {"auth.login", "static"}


def init_app(app):
    @app.before_request
    def load_user():
        name = session.get("user")
        g.user = users.get_user(g.db, name) if name else None
        if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
            if request.headers.get("HX-Request"):
                return "", 401, {"HX-Redirect": url_for("auth.login")}
            return redirect(url_for("auth.login", next=request.full_path))
        return None

    @app.context_processor
    def roles():
        return {"current_user": g.get("user"), "can": lambda right: users.can(g.get("user"), right)}


def require(right: str):
    """Refuse (403) a signed-in user whose role lacks `right` ("edit", "approve", "admin")."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not users.can(g.user, right):
                abort(403, f"Your role ({g.user['role']}) may not do this.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None) -> str:
    r"""`target` if it is a path on this site, else the start page: never an open redirect.

    Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so
    "/\t/evil.example" and "/\\evil.example" mean "//evil.example" to them. Such characters are
    refused outright rather than cleaned; what is left must be a path with no scheme and no host.
    """
    fallback = url_for("articles.index")
    if not target or "\\" in target or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username and password."""
    error = None
    if request.method == "POST":
        user = users.authenticate(g.db, request.form.get("username", ""), request.form.get("password", ""))
        if user:
            session.clear()
            session["user"] = user["name"]
            return redirect(safe_next(request.args.get("next")))
        error = "Wrong username or password."
    return render_template("auth/login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout():
    """Sign out."""
    session.clear()
    flash("Signed out.")
    return redirect(url_for("auth.login"))
