"""Login, logout, and the rule that every page needs a signed-in user with the right role."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for

from workbench.data import login_limits, users
from workbench.services import my_work
from workbench.services.actor import Actor
from workbench.data.instance import permissions_for
from workbench.core.errors import UserError

bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = {"auth.login", "static", "favicon", "health.healthz"}  # /healthz: for monitoring


def init_app(app):
    @app.before_request
    def load_user():
        if request.blueprint == "api" or request.path.startswith("/api/"):
            return None  # the API authenticates by bearer token alone and ignores the session cookie
        g.user = session_user()
        if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
            if request.headers.get("HX-Request"):
                return "", 401, {"HX-Redirect": url_for("auth.login")}
            return redirect(url_for("auth.login", next=request.full_path))
        return None

    @app.context_processor
    def roles():
        return {"current_user": g.get("user"), "can": lambda right: users.can(g.get("user"), right), "may": may}


def may(capability: str) -> bool:
    """Whether the signed-in user holds a [permissions] capability (core/permissions.py): the pages
    offer only what the services will allow."""
    user = g.get("user")
    if not user or user.get("disabled_at"):
        return False
    return user["role"] == "admin" or user["role"] in permissions_for(g.db)[capability]


def session_user() -> dict | None:
    """The signed-in user, if the session is still current; a revoked session is cleared.

    A session names the user's id and the session generation it was issued for: logout, a new
    password and disabling the account raise the generation, ending every copy of the cookie
    (and the CSRF token kept in it).
    """
    user_id = session.get("uid")
    user = users.get_user_by_id(g.db, user_id) if isinstance(user_id, int) else None
    if user and (user["disabled_at"] or session.get("gen") != user["session_generation"]):
        user = None
    if user is None and "uid" in session:
        session.clear()  # revoked: drop it (an anonymous session keeps its CSRF token for the login form)
    return user


def start_session(user: dict) -> None:
    session.clear()  # a fresh session: nothing (not even the CSRF token) carries over
    session["uid"], session["gen"] = user["id"], user["session_generation"]


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
    """Sign in with a username and password (failures are rate-limited per account and address)."""
    error, status, headers = None, 200, {}
    if request.method == "POST":
        name, address = request.form.get("username", ""), request.remote_addr or "-"
        limits = login_limits.Limits(**current_app.config["LOGIN_LIMITS"])
        wait, recorded = login_limits.begin_attempt(g.db, name, address, limits)
        if wait:
            error, status = f"Too many failed sign-ins. Try again in {wait} seconds.", 429
            headers["Retry-After"] = str(wait)
        else:
            user = users.authenticate(g.db, name, request.form.get("password", ""))
            if user:
                login_limits.attempt_succeeded(g.db, name, recorded)
                start_session(user)
                if not request.args.get("next") and my_work.has_work(g.db, Actor.person(user)):
                    return redirect(url_for("my_work.page"))  # people with assignments start at My work
                return redirect(safe_next(request.args.get("next")))
            error, status = "Wrong username or password.", 401
    return render_template("auth/login.html", error=error), status, headers


@bp.post("/logout")
def logout():
    """Sign out: every session of this user ends, on every device."""
    if g.user:
        users.end_sessions(g.db, g.user["id"])
    session.clear()
    flash("Signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Change your own password; your other sessions end, this one goes on."""
    error = None
    if request.method == "POST":
        if not users.authenticate(g.db, g.user["name"], request.form.get("current", "")):
            error = "The current password is wrong."
        elif request.form.get("new", "") != request.form.get("repeat", ""):
            error = "The new passwords differ."
        else:
            try:
                users.set_password(g.db, g.user["name"], request.form.get("new", ""))
            except UserError as err:
                error = f"{str(err)[0].upper()}{str(err)[1:]}."
            else:
                start_session(users.get_user_by_id(g.db, g.user["id"]))
                flash("Password changed; you were signed out everywhere else.")
                return redirect(url_for("articles.index"))
    return render_template("auth/password.html", error=error), (400 if error else 200)
