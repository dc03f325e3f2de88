"""Admin pages: accounts and installed MT packages."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from workbench.core import settings_file
from workbench.data import users
from workbench.core.errors import UserError
from workbench.core.langs import TARGET_LANGS
from workbench.core.mt import families, packages
from workbench.core.mt.engine import engine_names
from workbench.web.common import required_upload
from workbench.web.auth import require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@require("admin")
def index():
    """Accounts and MT packages."""
    instance = current_app.config["INSTANCE"]
    models_dir = instance.models_dir
    served = engine_names(models_dir)
    choices = {lang: [name for name, pairs in served.items() if f"en-{lang}" in pairs] for lang in TARGET_LANGS}
    return render_template("admin/index.html", users=users.list_users(g.db), roles=users.ROLES,
                           models=packages.installed(models_dir), families=families.installed(models_dir),
                           choices=choices, chosen=instance.mt_engines(),
                           settings_version=settings_file.version(instance.settings_file))


@bp.post("/engines")
@require("admin")
def choose_engines():
    """Choose the MT engine per target language ([mt.engines] in workbench.toml)."""
    instance = current_app.config["INSTANCE"]
    served = engine_names(instance.models_dir)
    engines = {}
    for lang in TARGET_LANGS:
        name = request.form.get(f"engine_{lang}", "")
        if name and f"en-{lang}" not in served.get(name, []):
            raise UserError(f"{name!r} is not an installed engine for en-{lang}")
        engines[lang] = name or None
    settings_file.update_mt(instance.settings_file, engines=engines,
                            base_version=request.form.get("settings_version", ""))
    flash("Saved the MT engine choice.")
    return redirect(url_for("admin.index"))


@bp.post("/users")
@require("admin")
def add_user():
    """Create an account."""
    user = users.add_user(g.db, request.form.get("name", ""), request.form.get("password", ""),
                          request.form.get("role", "translator"))
    flash(f"Added {user['name']} ({user['role']}).")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>/access")
@require("admin")
def set_access(user_id: int):
    """Disable an account (every session of it ends) or enable it again."""
    user = users.get_user_by_id(g.db, user_id)
    if user is None:
        abort(404, f"No account {user_id}.")
    if user["id"] == g.user["id"]:
        raise UserError("you cannot disable your own account; ask another admin")
    disabled = request.form.get("disabled") == "1"
    users.set_disabled(g.db, user["name"], disabled)
    flash(f"{'Disabled' if disabled else 'Enabled'} {user['name']}" + ("; their sessions have ended." if disabled else "."))
    return redirect(url_for("admin.index"))


@bp.post("/models")
@require("admin")
def install_model():
    """Install an uploaded .argosmodel file."""
    # The size limit for this route is raised before the form is parsed (web/__init__.py); the
    # upload arrives as a temporary file, never in memory.
    upload = required_upload("an .argosmodel file to install")
    name = Path(upload.filename.replace("\\", "/")).name
    if not name.endswith(".argosmodel"):
        raise UserError(f"{name}: not an .argosmodel package")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.argosmodel"
        upload.save(path)
        instance = current_app.config["INSTANCE"]
        package = packages.install(path, instance.models_dir, name=name, limits=instance.archive_limits())
    flash(f"Installed {package.name}.")
    return redirect(url_for("admin.index"))
