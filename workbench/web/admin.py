"""Admin pages: accounts and installed MT packages."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from .. import users
from ..errors import UserError
from ..mt import packages
from . import required_upload
from .auth import require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@require("admin")
def index():
    """Accounts and MT packages."""
    models_dir = current_app.config["INSTANCE"].models_dir
    return render_template("admin/index.html", users=users.list_users(g.db), roles=users.ROLES,
                           models=packages.installed(models_dir))


@bp.post("/users")
@require("admin")
def add_user():
    """Create an account."""
    user = users.add_user(g.db, request.form.get("name", ""), request.form.get("password", ""),
                          request.form.get("role", "translator"))
    flash(f"Added {user['name']} ({user['role']}).")
    return redirect(url_for("admin.index"))


@bp.post("/models")
@require("admin")
def install_model():
    """Install an uploaded .argosmodel file."""
    request.max_content_length = 2 * 1024 ** 3  # real packages are 100+ MB; other uploads stay small
    upload = required_upload("an .argosmodel file to install")
    if not upload.filename.endswith(".argosmodel"):
        raise UserError(f"{upload.filename}: not an .argosmodel package")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.filename).name
        upload.save(path)
        package = packages.install(path, current_app.config["INSTANCE"].models_dir)
    flash(f"Installed {package.name}.")
    return redirect(url_for("admin.index"))
