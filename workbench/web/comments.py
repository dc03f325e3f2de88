"""Segment comments in the editor's side panel: list, add, resolve / reopen."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for

from workbench.data import comments
from workbench.core.errors import UserError
from workbench.core.langs import TARGET_LANGS
from workbench.services import comments as comment_service
from workbench.services.actor import Actor
from workbench.web.common import partial_or_page

bp = Blueprint("comments", __name__, url_prefix="/articles/<int:article_id>/<lang>")


@bp.url_value_preprocessor
def check_lang(endpoint, values):
    if values and values.get("lang") not in TARGET_LANGS:
        abort(404, f"No editor for language {values.get('lang')!r}.")


@bp.app_template_global()
def comment_tally(segment_id: int, lang: str) -> dict[str, int]:
    """Open and total comments of one segment (a single segment rendered after a save)."""
    return comments.segment_counts(g.db, segment_id, lang)


def _segment(article_id: int, segment_id: int) -> dict:
    segment = comments.segment_in_article(g.db, article_id, segment_id)
    if segment is None:
        abort(404, f"Segment {segment_id} is not in article {article_id}.")
    return segment


def _render(article_id: int, lang: str, segment: dict, *, error: str | None = None, status: int = 200):
    if not request.headers.get("HX-Request") and request.method == "POST" and error is None:
        return redirect(url_for("editor.page", article_id=article_id, lang=lang, _anchor=f"seg-{segment['id']}"))
    found = comments.for_segment(g.db, segment["id"], lang)
    actor = Actor.person(g.user)
    for comment in found:
        comment["may_resolve"] = comment_service.may_resolve(actor, comment)
    return partial_or_page("editor/_comments.html", "editor/comments_page.html", article_id=article_id,
                           lang=lang, segment=segment, comments=found, error=error,
                           tally=comments.segment_counts(g.db, segment["id"], lang),
                           oob=request.method == "POST"), status


@bp.get("/segments/<int:segment_id>/comments")
def index(article_id: int, lang: str, segment_id: int):
    """The comments on one segment's translation, with a form to add one."""
    return _render(article_id, lang, _segment(article_id, segment_id))


@bp.post("/segments/<int:segment_id>/comments")
def add(article_id: int, lang: str, segment_id: int):
    """Add a comment (anyone signed in)."""
    segment = _segment(article_id, segment_id)
    try:
        comment_service.add(g.db, Actor.person(g.user), segment_id, lang, request.form.get("body", ""))
    except UserError as err:
        return _render(article_id, lang, segment, error=str(err), status=422)
    return _render(article_id, lang, segment)


@bp.post("/comments/<int:comment_id>/resolve")
def resolve(article_id: int, lang: str, comment_id: int):
    """Resolve or reopen a comment: its author or a reviewer."""
    comment = comments.get(g.db, comment_id)
    segment = _segment(article_id, comment["segment_id"])
    if comment["lang"] != lang:
        abort(404, f"Comment {comment_id} is not on the {lang} translation.")
    comment_service.set_resolved(g.db, Actor.person(g.user), comment_id,
                                 resolved=request.form.get("resolved", "1") == "1")
    return _render(article_id, lang, segment)
