"""Concept suggestions in the browser: translators propose, admins accept or reject."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from workbench.services import suggestions
from workbench.services.actor import Actor
from workbench.data import termbase as store_terms
from workbench.core.terms.model import DOMAINS, GlossaryError
from workbench.web.auth import require
from workbench.web.glossary import EDIT_LANGS, _cell, _form_concept

bp = Blueprint("suggestions", __name__, url_prefix="/glossary/suggestions")


@bp.get("/")
def index():
    """Open suggestions first, then the decided ones (the history)."""
    return render_template("glossary/suggestions.html", rows=suggestions.listing(g.db), langs=EDIT_LANGS)


@bp.route("/new", methods=["GET", "POST"])
@require("edit")
def new():
    """Propose a new concept (?glossary=G) or a change of one (?glossary=G&concept=ID)."""
    glossary = request.values.get("glossary", "").strip()
    concept_id = request.values.get("concept", "").strip() or None
    existing = store_terms.get_concept(g.db, glossary, concept_id) if concept_id else None
    error, status = None, 200
    if request.method == "POST":
        proposed = _form_concept()
        try:
            number = suggestions.suggest(g.db, glossary, proposed, user=Actor.person(g.user), original_id=concept_id,
                                         comment=request.form.get("comment", "").strip())
            flash(f"Suggestion {number} sent; an admin will accept or reject it.")
            return redirect(url_for("suggestions.index"))
        except GlossaryError as err:
            error, status, existing = str(err), 400, proposed
    cells = {lang: (request.form.get(f"terms_{lang}") if error else _cell(existing, lang)) or ""
             for lang in EDIT_LANGS}
    return render_template("glossary/suggest.html", glossary=glossary, concept_id=concept_id, concept=existing,
                           cells=cells, domains=DOMAINS, langs=EDIT_LANGS, error=error,
                           glossaries=store_terms.glossaries(g.db)), status


@bp.post("/<int:suggestion_id>/<any(accept, reject):decision>")
@require("admin")
def decide(suggestion_id: int, decision: str):
    """Accept (the concept is saved as proposed) or reject, with an optional note."""
    row = suggestions.decide(g.db, suggestion_id, decision == "accept", user=Actor.person(g.user),
                             note=request.form.get("note", "").strip())
    flash(f"Suggestion {suggestion_id} {row['status']}.")
    return redirect(url_for("suggestions.index"))
