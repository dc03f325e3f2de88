"""Glossary pages: browse and search the termbase; admins edit concepts, import and export files."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from workbench.services import glossary as glossary_service
from workbench.services.actor import Actor
from workbench.data import termbase as store_terms
from workbench.core.terms.files import EXPORT_FORMATS, write_glossary
from workbench.core.hygiene import TextRefused
from workbench.core.terms.model import DOMAINS, Concept, GlossaryError
from workbench.core.terms.search import matches
from workbench.core.terms.tabular import SEPARATOR, parse_cell
from workbench.data.users import can
from workbench.web.common import download, partial_or_page, required_upload
from workbench.services.imports import reading
from workbench.web.auth import require

bp = Blueprint("glossary", __name__, url_prefix="/glossary")
EDIT_LANGS = ("en", "az", "tr", "ru")
MEDIA = {"csv": "text/csv", "tsv": "text/tab-separated-values", "tbx": "application/x-tbx+xml"}


@bp.get("/")
def index():
    """Concepts, searchable by a term in any language and filtered by domain and glossary."""
    query, domain, name = (request.args.get(k, "").strip() for k in ("q", "domain", "glossary"))
    concepts = [c for c in store_terms.load_concepts(g.db, name or None)
                if matches(c, query) and (not domain or c.domain == domain)]
    return partial_or_page("glossary/_results.html", "glossary/index.html", concepts=concepts[:500],
                           total=len(concepts), query=query, domain=domain, glossary=name,
                           domains=DOMAINS, glossaries=store_terms.glossaries(g.db), langs=EDIT_LANGS,
                           separator=SEPARATOR)


def _cell(concept: Concept | None, lang: str) -> str:
    if concept is None:
        return ""
    terms = concept.terms_in(lang, "preferred") + concept.terms_in(lang, "admitted") + concept.terms_in(lang, "forbidden")
    return SEPARATOR.join(("!" if t.status == "forbidden" else "") + t.text for t in terms)


def _form_concept() -> Concept:
    # No default domain: a form sent without one is refused, not filed under "other" unseen.
    concept = Concept(id=request.form.get("id", "").strip(), domain=request.form.get("domain", "").strip(),
                      note=request.form.get("note", "").strip() or None,
                      source=request.form.get("source", "").strip() or None)
    for lang in EDIT_LANGS:
        concept.terms.extend(parse_cell(request.form.get(f"terms_{lang}", ""), lang))
    return concept


@bp.route("/<glossary>/concepts/new", methods=["GET", "POST"], defaults={"concept_id": None})
@bp.route("/<glossary>/concepts/<concept_id>", methods=["GET", "POST"])
def concept(glossary: str, concept_id: str | None):
    """View a concept and its history; admins edit it (same validation as an import)."""
    existing = store_terms.get_concept(g.db, glossary, concept_id) if concept_id else None
    error = None
    if request.method == "POST":
        if not can(g.user, "admin"):
            abort(403, "Only admins change glossaries.")
        edited = _form_concept()
        try:
            glossary_service.save_concept(g.db, Actor.person(g.user), glossary, edited, original_id=concept_id)
            flash(f"Saved concept {edited.id}.")
            return redirect(url_for("glossary.concept", glossary=glossary, concept_id=edited.id))
        except (GlossaryError, TextRefused) as err:  # the form again, with what was typed and why not
            error, existing = str(err), edited
    cells = {lang: (request.form.get(f"terms_{lang}") if error else _cell(existing, lang)) or ""
             for lang in EDIT_LANGS}
    history = store_terms.concept_history(g.db, glossary, concept_id) if concept_id else []
    return render_template("glossary/concept.html", glossary=glossary, concept=existing, cells=cells,
                           domains=DOMAINS, langs=EDIT_LANGS, history=history, error=error,
                           is_new=concept_id is None,
                           form_action=url_for("glossary.concept", glossary=glossary, concept_id=concept_id)), \
        (400 if error else 200)


@bp.post("/<glossary>/concepts/<concept_id>/delete")
@require("admin")
def delete(glossary: str, concept_id: str):
    """Delete a concept (kept in the history)."""
    glossary_service.delete_concept(g.db, Actor.person(g.user), glossary, concept_id)
    flash(f"Deleted concept {concept_id}.")
    return redirect(url_for("glossary.index", glossary=glossary))


@bp.post("/import")
@require("admin")
def import_file():
    """Import an uploaded CSV, TSV or TBX file in one transaction; with "Skip invalid entries" the
    valid entries of a file with invalid ones are imported and the others listed."""
    upload = required_upload("a .csv, .tsv or .tbx file to import")
    name = request.form.get("glossary", "").strip() or upload.filename.rsplit(".", 1)[0]
    with reading(upload.filename, "a glossary (.csv, .tsv or .tbx)"):
        counts = glossary_service.import_file(g.db, Actor.person(g.user), upload.read(), upload.filename,
                                              glossary=name, replace=bool(request.form.get("replace")),
                                              skip_invalid=bool(request.form.get("skip_invalid")))
    flash(glossary_service.import_summary(counts) + ".")
    return redirect(url_for("glossary.index", glossary=name))


@bp.get("/export")
def export():
    """Download the termbase (or one glossary) as CSV, TSV or TBX."""
    fmt = request.args.get("format", "tbx")
    if fmt not in EXPORT_FORMATS:
        fmt = "tbx"
    name = request.args.get("glossary") or None
    body = write_glossary(store_terms.load_concepts(g.db, name), fmt)
    return download(body, MEDIA[fmt], f"{name or 'termbase'}.{fmt}")
