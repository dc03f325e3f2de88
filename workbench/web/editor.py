"""The post-editing view: one article, one target language, segment by segment."""

from __future__ import annotations

import json
import zlib

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from workbench.core import chips, codes
from workbench.core.highlight import word_diff
from workbench.services import findings, live, repetitions, story_versions, translations
from workbench.services.actor import Actor
from workbench.data import (counters as article_counts, comments, consistency, live as live_data, store,
                            termbase as store_terms, tm)
from workbench.data.db import transaction
from workbench.data.editor_pages import editor_page
from workbench.core.langs import TARGET_LANGS
from workbench.data.users import can
from workbench.web import editor_filters
from workbench.web.common import partial_or_page
from workbench.web.auth import require

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


def _marks(article_id: int, segment: dict) -> dict:
    """The inline codes {n: mark} of the segment's paragraph ({} for a text without codes)."""
    if not codes.has_codes(segment["text"]) or segment.get("paragraph_idx") is None:
        return {}
    return store.paragraph_codes(g.db, article_id, [segment["paragraph_idx"]]).get(segment["paragraph_idx"], {})


def _chip_fields(segment: dict, text: str, marks: dict, translation: dict | None) -> dict:
    """What the editor needs to show a segment's codes as chips: nothing for a segment whose
    source and translation have none (it keeps the plain text box)."""
    if not codes.has_codes(segment["text"]) and not codes.has_codes(text):
        return {"marks": marks, "chips": None}
    alternatives = [a.get("text", "") for a in (translation or {}).get("alternatives") or []]
    return {"marks": marks, "chips": json.dumps(chips.chip_map([segment["text"], text, *alternatives], marks)),
            "source_codes": "".join(m.group() for m in codes.CODE.finditer(segment["text"]))}


def _segment_view(segment: dict, lang: str, translation: dict | None, term_findings: list[dict],
                  qa_findings: list[dict] = (), flags: dict | None = None, reopened: bool = False,
                  marks: dict | None = None):
    source_html, hits = highlight(segment["text"], lang)
    marks = marks or {}
    source_html = chips.in_html(source_html, marks)
    flags = flags or {}
    text = translation["text"] if translation else ""
    return {**_chip_fields(segment, text, marks, translation), "need_reason": None, "qa": list(qa_findings), "segment": segment, "number": segment["idx"] + 1, "translation": translation,
            "status": translation["status"] if translation else "untranslated",
            "version": translation["version"] if translation else 0,
            "text": translation["text"] if translation else "", "source_html": source_html,
            "hits": hits, "findings": [f for f in term_findings if f["status"] != "ok"],
            # a source edited by a new article version: the old -> new word diff, shown above the draft
            "source_diff": chips.in_html(word_diff(segment["previous_text"], segment["text"]), marks)
            if translation and translation["status"] == "source_changed" and segment.get("previous_text") else None,
            "follows": flags.get("follows"), "inconsistent": flags.get("inconsistent", []),
            "reopened": reopened, "propagation": None, "oob": False}


def _load(article_id: int, lang: str, segment_id: int):
    segment = store.get_segment(g.db, article_id, segment_id)
    translation = store.get_translation(g.db, segment_id, lang)
    if translation is None:
        return segment, None, [], []
    ids = [translation["id"]]
    return (segment, translation, store_terms.findings_for(g.db, ids)[ids[0]],
            store.qa_findings(g.db, ids)[ids[0]])


def _full_view(article_id: int, lang: str, segment_id: int) -> dict:
    """One segment as stored now, with its findings and repetition flags."""
    segment, translation, term_findings, qa_found = _load(article_id, lang, segment_id)
    flags = repetitions.flags_for(g.db, article_id, lang, [segment_id])
    reopened = bool(translation) and segment_id in store.changed_after_approval(g.db, article_id, lang, [segment_id])
    return _segment_view(segment, lang, translation, term_findings, qa_found, flags.get(segment_id), reopened,
                         _marks(article_id, segment))


@bp.get("/")
def page(article_id: int, lang: str):
    """Source and target side by side, with filters and pages for long articles."""
    article = store.get_article(g.db, article_id)
    filters = editor_filters.Filters.from_args(request.args)
    reopened = store.changed_after_approval(g.db, article_id, lang)
    only_ids = reopened if filters.only == "reopened" else None
    extra = editor_filters.matching_ids(g.db, article, lang, filters)
    if extra is not None:
        only_ids = extra if only_ids is None else only_ids & extra
    shown = editor_page(g.db, article, lang, "" if filters.only == "reopened" else filters.only,
                        request.args.get("page", 1, type=int), current_app.config["EDITOR_PAGE_SIZE"],
                        only_ids=only_ids)
    flags = repetitions.flags_for(g.db, article_id, lang, [row.segment["id"] for row in shown.rows])
    tallies = comments.counts(g.db, article_id, lang)
    marks = store.paragraph_codes(g.db, article_id, sorted({row.segment["paragraph_idx"] for row in shown.rows
                                                            if codes.has_codes(row.segment["text"])}))
    views = [_segment_view(row.segment, lang, row.translation, row.term_findings, row.qa_findings,
                           flags.get(row.segment["id"]), row.segment["id"] in reopened,
                           marks.get(row.segment["paragraph_idx"])) for row in shown.rows]
    for view in views:
        view["comments"] = tallies.get(view["segment"]["id"], {"total": 0, "open": 0})
    counters = _counters(article_id, lang)
    return render_template("editor/page.html", article=article, lang=lang, langs=TARGET_LANGS,
                           views=views, page=shown.number, pages=shown.pages, filters=filters,
                           shown=shown.shown, total=counters["counts"]["total"],
                           removed=story_versions.removed_segments(g.db, article_id),
                           live_counter=live_data.counter(g.db, article_id), **counters)


def _counters(article_id: int, lang: str) -> dict:
    """What the counters region shows (every save updates it): segments per status, the
    article's word counts and whether exports are final yet."""
    return article_counts.counters(g.db, article_id, lang)


@bp.get("/story")
def story_news(article_id: int, lang: str):
    """Polled by an open editor (every few seconds): 204 while the story is at the version the page
    shows (`?since=N`), else a banner saying what changed, with the segment ids the page marks."""
    news = story_versions.news_since(g.db, article_id, request.args.get("since", 0, type=int))
    if news is None:
        return "", 204
    return render_template("editor/_story_news.html", news=news, article_id=article_id, lang=lang)


# At most this many changed segments come back in one poll; beyond it the page offers a reload.
LIVE_SEGMENTS_MAX = 60


@bp.get("/live")
def live_news(article_id: int, lang: str):
    """Polled by an open editor every 3 s (workbench.js): a heartbeat for presence, then 304 while
    nothing it shows changed (the ETag names the article's change counter and who else is here),
    else JSON with the segments colleagues changed since `?since=N` (rendered, for the page to put
    in where nobody is typing), the team bar, the counters, a new story version's banner, who else
    is in the article and on which segment, and a takeover of this person's segment."""
    since = request.args.get("since", type=int)
    actor = Actor.person(g.user) if g.user else None
    state = live.poll(g.db, actor, article_id, lang, request.args.get("seg", type=int),
                      request.args.get("typing") == "1") if actor else {"counter": 0, "taken": None, "others": []}
    counter = state["counter"]
    if since is None:  # no counter (the page gives the one it was drawn at): from now on
        since = counter
    who = json.dumps([state["others"], state["taken"]], sort_keys=True)
    etag = f'"{since}.{counter}.{zlib.crc32(who.encode()):x}"'
    if etag in (request.headers.get("If-None-Match") or ""):
        return "", 304, {"ETag": etag, "Cache-Control": "no-cache"}
    answer = {"counter": counter, "others": state["others"], "taken": state["taken"], "segments": {},
              "more": 0, "team": None, "counters": None, "story": None}
    changes = live_data.changes_since(g.db, article_id, since) if counter > since else []
    if since and changes and live_data.oldest_kept(g.db, article_id) > since + 1:
        answer["more"] = -1  # too far behind: the log was pruned; the page offers a reload
    ours = [c for c in changes if c["lang"] in (lang, None)]
    segment_ids = list(dict.fromkeys(c["segment_id"] for c in ours if c["kind"] in ("segment", "comment")))
    if segment_ids:
        tallies = comments.counts(g.db, article_id, lang)
        for segment_id in segment_ids[:LIVE_SEGMENTS_MAX]:
            if not store.segment_exists(g.db, segment_id):
                continue
            view = _full_view(article_id, lang, segment_id)
            view["comments"] = tallies.get(segment_id, {"total": 0, "open": 0})
            answer["segments"][segment_id] = {
                "version": view["version"], "by": (view["translation"] or {}).get("updated_by"),
                "html": render_template("editor/_segment.html", view=view, article_id=article_id, lang=lang)}
        answer["more"] = answer["more"] or max(0, len(segment_ids) - LIVE_SEGMENTS_MAX)
    if any(c["kind"] in ("segment", "assignment", "story") for c in ours):
        article = store.get_article(g.db, article_id)
        answer["counters"] = render_template("editor/_counters.html", **_counters(article_id, lang))
        answer["team"] = render_template("editor/_team.html", article=article, lang=lang)
    if any(c["kind"] == "story" for c in ours):
        news = story_versions.news_since(g.db, article_id, request.args.get("version", 0, type=int))
        if news:
            answer["story"] = render_template("editor/_story_news.html", news=news, article_id=article_id,
                                              lang=lang)
    response = jsonify(answer)
    response.headers["ETag"] = f'"{counter}.{counter}.{zlib.crc32(who.encode()):x}"'
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/live/take-over/<int:segment_id>")
@require("edit")
def take_over(article_id: int, lang: str, segment_id: int):
    """Take over a segment a colleague is typing in (they are told on their next poll)."""
    taken_from = live.take_over(g.db, Actor.person(g.user), article_id, lang, segment_id)
    return jsonify({"taken_from": taken_from})


@bp.post("/segments/<int:segment_id>")
@require("edit")
def save(article_id: int, lang: str, segment_id: int):
    """Save (or approve) one segment; 409 with both texts when someone saved it meanwhile, and 409
    saying where the text is kept when a story update removed the segment."""
    action = request.form.get("action", "save")
    text = request.form.get("text", "")
    if not store.segment_exists(g.db, segment_id):
        try:
            translations.save(g.db, Actor.person(g.user), segment_id, lang, text, base_version=None,
                              article_id=article_id)
        except translations.SegmentRemoved as removed:
            return partial_or_page("editor/_removed_save.html", "editor/removed_save_page.html", message=str(removed),
                                   removed=removed.removed, text=text, segment_id=segment_id,
                                   article_id=article_id, lang=lang, announce=str(removed)), 409
    segment, translation, _, _ = _load(article_id, lang, segment_id)
    if action == "approve" and not can(g.user, "approve"):
        abort(403, "Only reviewers approve segments.")
    return _write(segment, translation, text, article_id, lang, lambda: translations.save(
        g.db, Actor.person(g.user), segment_id, lang, text, approve=action == "approve",
        reason=request.form.get("reason", ""), base_version=request.form.get("base_version", type=int),
        article_id=article_id))


# Writers that are not a person (services/actor.py names them): "changed by", not "saved".
MACHINE_WRITERS = ("MT job ", "story version ", "import of ")


def _wrote(who: str | None) -> str:
    """"tina saved it", "story version 3, uploaded by elnara changed it": what wrote a segment."""
    who = who or "someone"
    return f"{who} changed it" if who.startswith(MACHINE_WRITERS) else f"{who} saved it"


def _write(segment: dict, translation: dict | None, text: str, article_id: int, lang: str, action):
    """Run one save (services/translations.py) and answer with what this request wrote: the
    response is read inside the same transaction, so a save landing just after it cannot show up in
    this person's box (they meet it as a conflict next time)."""
    segment_id = segment["id"]
    try:
        with transaction(g.db):
            saved = action()
            propagation = saved.propagation
            view = _full_view(article_id, lang, segment_id)
            if propagation and (propagation.changed or propagation.inconsistent):
                view["propagation"] = propagation
            copies = [dict(_full_view(article_id, lang, c["segment_id"]), oob=True)
                      for c in (propagation.changed if propagation else [])]
            counters = _counters(article_id, lang)
    except translations.NeedsReason as refused:
        marks = _marks(article_id, segment)
        view = _segment_view(segment, lang, translation, [], marks=marks)
        view.update(text=text, need_reason=refused.errors, **_chip_fields(segment, text, marks, translation))
        return partial_or_page("editor/_refused.html", "editor/segment_page.html", view=view,
                               article_id=article_id, lang=lang, announce=(
                                   f"Segment {view['number']} not approved: it has errors; give a reason.")), 422
    except store.VersionConflict as conflict:
        view = _segment_view(segment, lang, translation, [], marks=_marks(article_id, segment))
        return partial_or_page("editor/_conflict.html", "editor/conflict_page.html", view=view, mine=text,
                               machine_writers=MACHINE_WRITERS,
                               theirs=conflict.current, article_id=article_id, lang=lang, announce=(
                                   f"Segment {view['number']} not saved: "
                                   f"{_wrote(conflict.current.get('updated_by'))} meanwhile.")), 409
    if not request.headers.get("HX-Request"):
        return redirect(url_for("editor.page", article_id=article_id, lang=lang, _anchor=f"seg-{segment_id}"))
    return render_template("editor/_saved.html", view=view, copies=copies, article_id=article_id, lang=lang,
                           **counters)


@bp.get("/segments/<int:segment_id>")
def segment(article_id: int, lang: str, segment_id: int):
    """One segment as stored now (used by "take theirs")."""
    seg, translation, term_findings, qa_found = _load(article_id, lang, segment_id)
    return partial_or_page("editor/_segment.html", "editor/segment_page.html",
                           view=_segment_view(seg, lang, translation, term_findings, qa_found,
                                              marks=_marks(article_id, seg)),
                           article_id=article_id, lang=lang)


@bp.get("/segments/<int:segment_id>/details")
def details(article_id: int, lang: str, segment_id: int):
    """The side panel of the active segment: MT alternatives, glossary, findings, history."""
    seg, translation, term_findings, qa_found = _load(article_id, lang, segment_id)
    return partial_or_page("editor/_details.html", "editor/details_page.html",
                           view=_segment_view(seg, lang, translation, term_findings, qa_found,
                                              marks=_marks(article_id, seg)),
                           all_findings=term_findings, history=store.history(g.db, segment_id, lang),
                           matches=_matches(seg["text"], lang),
                           inconsistencies=consistency.for_translation(g.db, translation["id"])
                           if translation else [],
                           article_id=article_id, lang=lang)


def _matches(source: str, lang: str) -> list[dict]:
    """TM matches for the panel, each target's inline codes made this source's (tm.target_for)."""
    found = tm.fuzzy(g.db, source, lang)
    for match in found:
        match["target"] = tm.target_for(match, source)
    return found


@bp.post("/segments/<int:segment_id>/restore/<int:version>")
@require("edit")
def restore(article_id: int, lang: str, segment_id: int, version: int):
    """Bring back the text of an earlier version, as a new version (checked like a save)."""
    segment, translation, _, _ = _load(article_id, lang, segment_id)
    old = next((h for h in store.history(g.db, segment_id, lang) if h["version"] == version), None)
    if old is None or translation is None:
        abort(404, f"No version {version} of this segment.")
    return _write(segment, translation, old["after_text"], article_id, lang, lambda: translations.restore(
        g.db, Actor.person(g.user), segment_id, lang, version,
        base_version=request.form.get("base_version", type=int), article_id=article_id))


@bp.post("/segments/<int:segment_id>/propagation/undo")
@require("edit")
def undo_propagation(article_id: int, lang: str, segment_id: int):
    """Give the repetitions that took this segment's edit their earlier text back."""
    store.get_segment(g.db, article_id, segment_id)
    with transaction(g.db):
        undone, skipped = repetitions.undo(g.db, article_id, lang, request.form.get("copies", ""),
                                           Actor.person(g.user))
        copies = [dict(_full_view(article_id, lang, sid), oob=True) for sid in undone]
        counters = _counters(article_id, lang)
    if not request.headers.get("HX-Request"):
        return redirect(url_for("editor.page", article_id=article_id, lang=lang, _anchor=f"seg-{segment_id}"))
    return render_template("editor/_undone.html", copies=copies, skipped=len(skipped), segment_id=segment_id,
                           article_id=article_id, lang=lang, **counters)
