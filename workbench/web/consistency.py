"""The consistency page: sources rendered differently across the archive's approved segments."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from workbench.data import consistency, store
from workbench.core.langs import TARGET_LANGS

bp = Blueprint("consistency", __name__)


@bp.get("/consistency")
def index():
    """Inconsistencies in all languages or one, each rendering with links to its segments."""
    lang = request.args.get("lang", "")
    if lang not in TARGET_LANGS:
        lang = ""
    found = consistency.inconsistencies(g.db, lang or None)
    wanted = {(s["article"], s["segment"] - 1) for i in found for r in i["renderings"] for s in r["segments"]}
    segment_ids = store.segment_ids_by_number(g.db, sorted({a for a, _ in wanted}))
    return render_template("consistency/index.html", found=found, lang=lang, langs=TARGET_LANGS,
                           segment_ids=segment_ids)
