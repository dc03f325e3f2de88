"""Translation memory files and the post-editing statistics page."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from workbench.services import interchange
from workbench.data import reports, tm
from workbench.web.common import download, required_upload
from workbench.services.imports import reading
from workbench.web.auth import require

bp = Blueprint("memory", __name__)


@bp.get("/memory")
def index():
    """Memory size per language, TMX import and export."""
    counts = tm.units_per_language(g.db)
    return render_template("memory/index.html", counts=counts)


@bp.post("/memory/import")
@require("admin")
def import_tmx():
    """Import a TMX file in one transaction; with "Skip invalid entries" the valid units of a file
    with invalid ones are stored and the others listed."""
    upload = required_upload("a .tmx file to import")
    with reading(upload.filename, "TMX"):
        counts = interchange.import_tmx(g.db, upload.stream, upload.filename, user=g.user["name"],
                                        skip_invalid=bool(request.form.get("skip_invalid")))
    flash(interchange.tmx_summary(counts) + ".")
    return redirect(url_for("memory.index"))


@bp.get("/memory/export")
def export_tmx():
    """Download the memory (or one language) as TMX 1.4b."""
    lang = request.args.get("lang") or None
    return download(interchange.export_tmx(g.db, lang), "application/x-tmx+xml", f"memory-{lang or 'all'}.tmx")


@bp.get("/stats")
def stats():
    """How much MT survived post-editing, per language and MT package, with a chart."""
    return render_template("memory/stats.html", groups=reports.effort_stats(g.db)["groups"])
