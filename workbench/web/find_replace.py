"""Find and replace across a whole article (every page), with a preview and one undo per run."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from workbench.services import find_replace
from workbench.services.actor import Actor
from workbench.data import store
from workbench.core.errors import UserError, id_version_pairs
from workbench.core.langs import TARGET_LANGS
from workbench.data.users import can
from workbench.web.auth import require

bp = Blueprint("find_replace", __name__, url_prefix="/articles/<int:article_id>/<lang>/find")


@bp.url_value_preprocessor
def check_lang(endpoint, values):
    if values and values.get("lang") not in TARGET_LANGS:
        abort(404, f"No editor for language {values.get('lang')!r}.")


def _query(form) -> find_replace.Query:
    return find_replace.Query(find=form.get("find", ""), replace=form.get("replace", ""),
                              scope=form.get("scope", "target"), case=bool(form.get("case")),
                              whole_word=bool(form.get("word")))


def _render(article_id: int, lang: str, form, *, error: str | None = None, status: int = 200):
    article = store.get_article(g.db, article_id)
    query, hits = None, []
    if form.get("find"):
        try:
            query = _query(form)
            hits = find_replace.search(g.db, article_id, lang, query)
        except UserError as err:
            error = error or str(err)
    size = current_app.config["EDITOR_PAGE_SIZE"]
    for hit in hits:  # where the segment lives in the paged editor
        hit["url"] = url_for("editor.page", article_id=article_id, lang=lang, page=hit["idx"] // size + 1,
                             _anchor=f"seg-{hit['segment_id']}")
    last = find_replace.last_batch(g.db, article_id, lang, g.user["name"]) if can(g.user, "edit") else None
    return render_template("editor/find.html", article=article, lang=lang, form=form, query=query,
                           hits=hits, error=error, last=last), status


@bp.get("/")
def page(article_id: int, lang: str):
    """Search the article's source or translations; for translations, preview each replacement."""
    return _render(article_id, lang, request.args)


@bp.post("/replace")
@require("edit")
def replace(article_id: int, lang: str):
    """Apply the ticked replacements; refused whole when a segment changed after the preview."""
    picks = dict(id_version_pairs(request.form.getlist("pick"), "change reference"))
    try:
        run = find_replace.replace(g.db, article_id, lang, _query(request.form), picks, actor=Actor.person(g.user))
    except find_replace.ReplaceConflict as conflict:
        return _render(article_id, lang, request.form, error=str(conflict), status=409)
    changed = run["changed"]
    flash(f"Replaced in {len(changed)} segment{'s' if len(changed) != 1 else ''}"
          + (f" ({', '.join(map(str, changed[:20]))}{'…' if len(changed) > 20 else ''})." if changed else "."))
    return redirect(url_for("find_replace.page", article_id=article_id, lang=lang, find=request.form.get("find"),
                            replace=request.form.get("replace"), scope="target",
                            case=request.form.get("case") or None, word=request.form.get("word") or None,
                            ran=1))  # what is left is shown unticked: the person chose not to change it


@bp.post("/undo/<int:batch_id>")
@require("edit")
def undo(article_id: int, lang: str, batch_id: int):
    """Undo one find-and-replace run (the person's own, or any for a reviewer)."""
    batch = find_replace.get_batch(g.db, batch_id)
    if batch["article_id"] != article_id or batch["lang"] != lang:
        abort(404, f"Run {batch_id} did not change this article in {lang}.")
    if batch["created_by"] != g.user["name"] and not can(g.user, "approve"):
        abort(403, "Only the person who ran a replace, or a reviewer, may undo it.")
    result = find_replace.undo(g.db, batch_id, actor=Actor.person(g.user))
    message = f"Undid the replace in {len(result['restored'])} segment{'s' if len(result['restored']) != 1 else ''}."
    if result["skipped"]:
        message += (f" Left alone, because they were saved again since: segment "
                    f"{', '.join(map(str, result['skipped']))}.")
    flash(message)
    return redirect(url_for("find_replace.page", article_id=article_id, lang=lang))
