"""The team in the browser: assignments on the dashboard, Take, Send to review / Send back in the
editor, read-only for those a language is not assigned to, archive and delete."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for

from workbench.core.errors import UserError
from workbench.data import users
from workbench.services import assignments
from workbench.services.actor import Actor
from workbench.web.auth import require

bp = Blueprint("team", __name__, url_prefix="/articles/<int:article_id>")


@bp.app_context_processor
def team_helpers():
    def assignment(article_id: int, lang: str) -> dict:
        return assignments.view(g.db, article_id, lang)

    def write_refusal(article_id: int, lang: str) -> str | None:
        """"assigned to tom" when the signed-in person may not change this language (cached per request)."""
        cache = g.setdefault("write_refusals", {})
        if (article_id, lang) not in cache and getattr(g, "user", None):
            cache[(article_id, lang)] = assignments.write_refusal(g.db, Actor.person(g.user), article_id, lang)
        return cache.get((article_id, lang))

    def team_accounts(right: str) -> list[str]:
        return [u["name"] for u in users.list_users(g.db) if not u.get("disabled_at")
                and right in users.RIGHTS.get(u["role"], set())]

    return {"assignment": assignment, "write_refusal": write_refusal, "team_accounts": team_accounts}


def _back(article_id: int, lang: str | None = None):
    target = request.form.get("next", "")
    if target == "editor" and lang:
        return redirect(url_for("editor.page", article_id=article_id, lang=lang))
    return redirect(url_for("articles.index", _anchor=f"article-{article_id}"))


def _run(action, article_id: int, lang: str | None, done: str):
    try:
        action()
    except UserError as err:
        flash(str(err), "error")
        return _back(article_id, lang)
    flash(done)
    return _back(article_id, lang)


@bp.post("/<lang>/assignment")
@require("edit")
def assign(article_id: int, lang: str):
    """Assign translator, reviewer and due (reviewers, admins), or Take (a translator)."""
    actor = Actor.person(g.user)
    if request.form.get("take"):
        return _run(lambda: assignments.take(g.db, actor, article_id, lang), article_id, lang,
                    f"You took the {lang} translation of article {article_id}.")
    fields = {key: request.form.get(key, "").strip() or None for key in ("translator", "reviewer", "due")
              if key in request.form}
    return _run(lambda: assignments.assign(g.db, actor, article_id, lang, **fields), article_id, lang,
                f"Assignment of the {lang} translation saved.")


@bp.post("/<lang>/submit")
@require("edit")
def submit(article_id: int, lang: str):
    return _run(lambda: assignments.submit(g.db, Actor.person(g.user), article_id, lang), article_id, lang,
                f"The {lang} translation was sent to review.")


@bp.post("/<lang>/send-back")
@require("approve")
def send_back(article_id: int, lang: str):
    return _run(lambda: assignments.send_back(g.db, Actor.person(g.user), article_id, lang,
                                              request.form.get("reason", "")),
                article_id, lang, f"The {lang} translation was sent back.")


@bp.post("/archive")
@require("approve")
def archive(article_id: int):
    restore = bool(request.form.get("restore"))
    return _run(lambda: assignments.archive(g.db, Actor.person(g.user), article_id, archived=not restore),
                article_id, None, f"Article {article_id} {'restored' if restore else 'archived'}.")


@bp.post("/delete")
@require("admin")
def delete(article_id: int):
    keep = not request.form.get("drop_memory")
    return _run(lambda: assignments.delete(g.db, Actor.person(g.user), article_id, keep_memory=keep),
                article_id, None, f"Article {article_id} deleted.")
