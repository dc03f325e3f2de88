"""My work: each person's assigned languages (as translator or reviewer) with progress, state, due
time and what needs attention (open comments, the reason of a send-back); for reviewers and admins
also everyone's, by person and by deadline. One rule for the web page and the API."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlite_utils

from workbench.core.errors import Forbidden, UserError
from workbench.core.langs import TARGET_LANGS
from workbench.data import assignments as stored, store
from workbench.services.assignments import STATES

DUE_SOON = timedelta(hours=24)  # "due soon": within a working day


def _person(actor) -> str:
    return actor.user or actor.name


def _item(db, row: dict, person: str | None, now: datetime) -> dict:
    due = datetime.fromisoformat(row["due"].replace("Z", "+00:00")) if row["due"] else None
    open_work = row["state"] != "approved"
    roles = [role for role in ("translator", "reviewer") if person and row[role] == person]
    return {"article": row["article_id"], "title": row["title"], "lang": row["lang"],
            "roles": roles, "translator": row["translator"], "reviewer": row["reviewer"],
            "due": row["due"], "state": row["state"], "reason": row["reason"] if row["state"] == "sent back" else None,
            "overdue": bool(due and open_work and due < now),
            "due_soon": bool(due and open_work and now <= due <= now + DUE_SOON),
            "progress": store.progress(db, row["article_id"], row["lang"]),
            "open_comments": stored.open_comments(db, row["article_id"], row["lang"])}


def _filters(state: str | None, lang: str | None) -> None:
    if state and state not in STATES:
        raise UserError(f"state: no state {state[:20]!r}; use one of {', '.join(STATES)}")
    if lang and lang not in TARGET_LANGS:
        raise UserError(f"lang: no language {lang[:20]!r}; use one of {', '.join(TARGET_LANGS)}")


def _keep(item: dict, state, lang, overdue: bool) -> bool:
    return ((not state or item["state"] == state) and (not lang or item["lang"] == lang)
            and (not overdue or item["overdue"]))


def mine(db: sqlite_utils.Database, actor, *, state: str | None = None, lang: str | None = None,
         overdue: bool = False, now: datetime | None = None) -> list[dict]:
    """The actor's assignments, sorted by due time (none last), filtered by state, language, overdue."""
    _filters(state, lang)
    now, person = now or datetime.now(timezone.utc), _person(actor)
    items = [_item(db, row, person, now) for row in stored.for_person(db, person)]
    return [item for item in items if _keep(item, state, lang, overdue)]


def has_work(db: sqlite_utils.Database, actor) -> bool:
    """Whether the actor has assigned languages not approved yet (My work is then their start page)."""
    return any(row["state"] != "approved" for row in stored.for_person(db, _person(actor)))


def everyone(db: sqlite_utils.Database, actor, *, state: str | None = None, lang: str | None = None,
             overdue: bool = False, now: datetime | None = None) -> dict:
    """Reviewers and admins: {"by_deadline": [items], "by_person": {name: [items]}}."""
    if not actor.may("approve"):
        raise Forbidden(f"{actor.name} sees their own work only (reviewers and admins see everyone's)")
    _filters(state, lang)
    now = now or datetime.now(timezone.utc)
    items = [item for item in (_item(db, row, None, now) for row in stored.every(db))
             if _keep(item, state, lang, overdue)]
    by_person: dict[str, list[dict]] = {}
    for item in items:
        for person in dict.fromkeys(p for p in (item["translator"], item["reviewer"]) if p):
            by_person.setdefault(person, []).append(item)
    return {"by_deadline": items, "by_person": dict(sorted(by_person.items()))}
