"""Term candidates page: names no glossary holds, with their renderings; an admin adds one as a
concept in one click (prefilled id, visible domain guess, validated like any concept)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from workbench.services import candidate_cache, glossary as glossary_service
from workbench.services.actor import Actor
from workbench.data import termbase as store_terms
from workbench.services.candidates import guess_domain, suggested_id
from workbench.core.langs import TARGET_LANGS
from workbench.core.terms.model import DOMAINS, Concept, GlossaryError, Term
from workbench.web.auth import require

bp = Blueprint("candidates", __name__, url_prefix="/glossary/candidates")


def _page(error: str | None = None, status: int = 200):
    article = request.values.get("article", type=int)
    found = candidate_cache.candidates(g.db, article)[:300]  # seconds of work: once per change
    # The glossary preselected for a domain is the one that holds most concepts of it (shown).
    home = store_terms.domain_homes(g.db)
    rows = []
    for c in found:
        domain = guess_domain(c["source"])
        rows.append({**c, "domain": domain, "id": suggested_id(c["source"], domain), "glossary": home.get(domain)})
    glossaries = store_terms.glossaries(g.db)
    return render_template("glossary/candidates.html", rows=rows, domains=DOMAINS, langs=TARGET_LANGS,
                           glossaries=glossaries, error=error, article=article), status


@bp.get("/")
def index():
    """Candidates of the archive (or ?article=ID), most frequent first."""
    return _page()


@bp.post("/add")
@require("admin")
def add():
    """Add one candidate as a concept: its English source and the chosen renderings."""
    form = request.form
    glossary = form.get("glossary", "").strip()
    if not glossary:
        return _page("Choose the glossary the concept goes into.", 400)
    if form.get("domain") not in DOMAINS:
        return _page(f"Choose a domain: one of {', '.join(DOMAINS)}.", 400)
    concept = Concept(id=form.get("id", "").strip(), domain=form["domain"],
                      note=form.get("note", "").strip() or "Added from the term candidates.")
    english = form.get("en", "").strip()
    if english:
        concept.terms.append(Term("en", english))
    for lang in TARGET_LANGS:
        text = form.get(f"term_{lang}", "").strip()
        if text:
            concept.terms.append(Term(lang, text))
    try:
        glossary_service.save_concept(g.db, Actor.person(g.user), glossary, concept)
    except GlossaryError as err:
        return _page(str(err), 400)
    flash(f"Added concept {concept.id} to {glossary}.")
    return redirect(url_for("candidates.index"))
