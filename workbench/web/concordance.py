"""Concordance search in the translation memory (Ctrl+K in the editor)."""

from __future__ import annotations

from flask import Blueprint, abort, g, request

from workbench.data import concordance
from workbench.core.langs import TARGET_LANGS
from workbench.web.common import partial_or_page

bp = Blueprint("concordance", __name__)


@bp.get("/memory/concordance")
def search():
    """TM units containing the words (?q=...&lang=az), the words marked."""
    lang = request.args.get("lang", "")
    if lang not in TARGET_LANGS:
        abort(404, f"No translation memory for language {lang!r}.")
    query = request.args.get("q", "")[:500]
    return partial_or_page("memory/_concordance.html", "memory/concordance.html", query=query, lang=lang,
                           units=concordance.search(g.db, query, lang) if query.strip() else [])
