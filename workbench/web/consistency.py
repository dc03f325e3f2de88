"""The consistency page: sources rendered differently across the archive's approved segments."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from workbench.data import consistency
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
    segment_ids = {}
    if wanted:
        articles = sorted({a for a, _ in wanted})
        for row in g.db.query("SELECT id, article_id, idx FROM segments WHERE article_id IN "
                              f"({','.join('?' * len(articles))})", articles):
            segment_ids[(row["article_id"], row["idx"] + 1)] = row["id"]
    return render_template("consistency/index.html", found=found, lang=lang, langs=TARGET_LANGS,
                           segment_ids=segment_ids)
