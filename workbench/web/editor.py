"""The post-editing view: one article, one target language, segment by segment."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from .. import approval, consistency, findings, store, store_terms, tm
from ..instance import TARGET_LANGS
from ..users import can
from . import partial_or_page
from .auth import require

bp = Blueprint("editor", __name__, url_prefix="/articles/<int:article_id>/<lang>")


@bp.url_value_preprocessor
def check_lang(endpoint, values):
    if values and values.get("lang") not in TARGET_LANGS:
        abort(404, f"No editor for language {values.get('lang')!r}.")


def highlight(source: str, lang: str) -> tuple[Markup, list[dict]]:
    """The source with glossary hits marked, and the hits with their target terms."""
    checker = findings.checker(g.db)
    out, hits, position = [], [], 0
    for match in checker.matcher.find(source):
        concept = checker.concepts[match.concept]
        targets = [t.text for t in concept.terms_in(lang, "preferred", "admitted")]
        forbidden = [t.text for t in concept.terms_in(lang, "forbidden")]
        out.append(escape(source[position:match.start]))
        title = f"{concept.id}: {', '.join(targets) or 'no ' + lang + ' term'}"
        out.append(Markup('<mark class="term" title="{}" data-term="{}">{}</mark>').format(
            title, targets[0] if targets else "", match.text))
        hits.append({"concept": concept.id, "source": match.text, "targets": targets,
                     "forbidden": forbidden, "note": concept.note})
        position = match.end
    out.append(escape(source[position:]))
    return Markup("").join(out), hits


def blocking_errors(source: str, text: str, lang: str) -> list[str]:
    """The QA and term errors that need a stated reason before a reviewer approves."""
    return approval.blocking_errors(g.db, source, text, lang)


def _segment_view(segment: dict, lang: str, translation: dict | None, term_findings: list[dict],
                  qa_findings: list[dict] = ()):
    source_html, hits = highlight(segment["text"], lang)
    return {"need_reason": None, "qa": list(qa_findings), "segment": segment, "number": segment["idx"] + 1, "translation": translation,
            "status": translation["status"] if translation else "untranslated",
            "version": translation["version"] if translation else 0,
            "text": translation["text"] if translation else "", "source_html": source_html,
            "hits": hits, "findings": [f for f in term_findings if f["status"] != "ok"],
            # a source edited by a new article version: the old -> new word diff, shown above the draft
            "source_diff": tm.word_diff(segment["previous_text"], segment["text"])
            if translation and translation["status"] == "source_changed" and segment.get("previous_text") else None}


def _load(article_id: int, lang: str, segment_id: int):
    segment = next((s for s in store.segments(g.db, article_id) if s["id"] == segment_id), None)
    if segment is None:
        abort(404, f"Segment {segment_id} is not in article {article_id}.")
    translation = store.get_translation(g.db, segment_id, lang)
    if translation is None:
        return segment, None, [], []
    ids = [translation["id"]]
    return (segment, translation, store_terms.findings_for(g.db, ids)[ids[0]],
            store.qa_findings(g.db, ids)[ids[0]])


@bp.get("/")
def page(article_id: int, lang: str):
    """Source and target side by side, with filters and pages for long articles."""
    article = store.get_article(g.db, article_id)
    translations = store.article_translations(g.db, article_id, lang)
    ids = [t["id"] for t in translations.values()]
    all_findings, all_qa = store_terms.findings_for(g.db, ids), store.qa_findings(g.db, ids)
    views = []
    for segment in store.segments(g.db, article_id):
        translation = translations.get(segment["id"])
        views.append(_segment_view(segment, lang, translation,
                                   all_findings.get(translation["id"], []) if translation else [],
                                   all_qa.get(translation["id"], []) if translation else []))
    only = request.args.get("only", "")
    if only == "findings":
        views = [v for v in views if v["findings"] or v["qa"]]
    elif only == "unapproved":
        views = [v for v in views if v["status"] != "approved"]
    elif only == "changed":  # changed or added by the article's latest version
        views = [v for v in views if v["segment"].get("changed_in") == article["version"]]
    size = current_app.config["EDITOR_PAGE_SIZE"]
    pages = max(1, -(-len(views) // size))
    page_number = min(max(1, request.args.get("page", 1, type=int)), pages)
    return render_template("editor/page.html", article=article, lang=lang, langs=TARGET_LANGS,
                           views=views[(page_number - 1) * size:page_number * size],
                           page=page_number, pages=pages, only=only,
                           counts=store.progress(g.db, article_id, lang))


@bp.post("/segments/<int:segment_id>")
@require("edit")
def save(article_id: int, lang: str, segment_id: int):
    """Save (or approve) one segment; 409 with both texts when someone saved it meanwhile."""
    segment, translation, _, _ = _load(article_id, lang, segment_id)
    action = request.form.get("action", "save")
    if action == "approve" and not can(g.user, "approve"):
        abort(403, "Only reviewers approve segments.")
    text = request.form.get("text", "")
    status = "approved" if action == "approve" else ("edited" if text.strip() else "untranslated")
    reason = request.form.get("reason", "").strip()
    if action == "approve" and not reason:
        errors = blocking_errors(segment["text"], text, lang)
        if errors:
            view = _segment_view(segment, lang, translation, [])
            view.update(text=text, need_reason=errors)
            return partial_or_page("editor/_segment.html", "editor/segment_page.html", view=view,
                                   article_id=article_id, lang=lang), 422
    try:
        store.save_translation(g.db, segment_id, lang, text, user=g.user["name"], status=status,
                               base_version=request.form.get("base_version", type=int),
                               note=f"approved despite errors: {reason}" if reason else None)
    except store.VersionConflict as conflict:
        view = _segment_view(segment, lang, translation, [])
        return partial_or_page("editor/_conflict.html", "editor/conflict_page.html", view=view, mine=text,
                               theirs=conflict.current, article_id=article_id, lang=lang), 409
    return _segment_response(article_id, lang, segment_id)


def _segment_response(article_id: int, lang: str, segment_id: int):
    """The saved segment with out-of-band counters for htmx; without htmx, back to the editor."""
    if not request.headers.get("HX-Request"):
        return redirect(url_for("editor.page", article_id=article_id, lang=lang, _anchor=f"seg-{segment_id}"))

    segment, translation, term_findings, qa_found = _load(article_id, lang, segment_id)
    return render_template("editor/_saved.html", view=_segment_view(segment, lang, translation, term_findings, qa_found),
                           article_id=article_id, lang=lang, counts=store.progress(g.db, article_id, lang))


@bp.get("/segments/<int:segment_id>")
def segment(article_id: int, lang: str, segment_id: int):
    """One segment as stored now (used by "take theirs")."""
    seg, translation, term_findings, qa_found = _load(article_id, lang, segment_id)
    return partial_or_page("editor/_segment.html", "editor/segment_page.html",
                           view=_segment_view(seg, lang, translation, term_findings, qa_found),
                           article_id=article_id, lang=lang)


@bp.get("/segments/<int:segment_id>/details")
def details(article_id: int, lang: str, segment_id: int):
    """The side panel of the active segment: MT alternatives, glossary, findings, history."""
    seg, translation, term_findings, qa_found = _load(article_id, lang, segment_id)
    return partial_or_page("editor/_details.html", "editor/details_page.html",
                           view=_segment_view(seg, lang, translation, term_findings, qa_found),
                           all_findings=term_findings, history=store.history(g.db, segment_id, lang),
                           matches=tm.fuzzy(g.db, seg["text"], lang),
                           inconsistencies=consistency.for_translation(g.db, translation["id"])
                           if translation else [],
                           article_id=article_id, lang=lang)


@bp.post("/segments/<int:segment_id>/restore/<int:version>")
@require("edit")
def restore(article_id: int, lang: str, segment_id: int, version: int):
    """Bring back the text of an earlier version, as a new version."""
    _, translation, _, _ = _load(article_id, lang, segment_id)
    old = next((h for h in store.history(g.db, segment_id, lang) if h["version"] == version), None)
    if old is None or translation is None:
        abort(404, f"No version {version} of this segment.")
    store.save_translation(g.db, segment_id, lang, old["after_text"], user=g.user["name"],
                           base_version=translation["version"], status="edited",
                           note=f"restored version {version}")
    return _segment_response(article_id, lang, segment_id)
