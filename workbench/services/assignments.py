"""The newsroom as a team: who translates and reviews each article's language, by when, where the
work stands, and archiving. One rule for the web, the API and the CLI.

* Reviewers and admins assign and reassign (translator, reviewer, due); a translator may take an
  unassigned language ("Take") and nothing else.
* When a language has a translator, only that translator, its reviewer, other reviewers and admins
  change its targets (services/translations.save asks `check_write`); MT jobs and story updates
  are not people and are not held back.
* Each article × language has a state: translating → (Send to review) in review → (Send back, with
  a reason) sent back → … ; "approved" when every segment is approved (services/events). Every
  change of state is a webhook event: language.submitted, language.sent_back, language.approved.
* Reviewers and admins archive an article (hidden from lists, kept in the TM and search,
  restorable); admins delete one (its approved units stay in the TM unless asked otherwise).
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlite_utils

from workbench.core import hygiene
from workbench.core.errors import Forbidden, UserError
from workbench.core.langs import TARGET_LANGS
from workbench.data import assignments as stored, comments as stored_comments, store, tm, users
from workbench.data.db import transaction
from workbench.services import events, notifications
from workbench.services.actor import require_capability

STATES = ("translating", "in review", "sent back", "approved")
UNSET = object()


class StateError(UserError):
    status = 409


class NoSuchLanguage(UserError):
    status = 404


class Unprocessable(UserError):
    """A well-formed request naming what does not exist (an account, a segment number)."""

    status = 422


def _lang(lang: str) -> str:
    if lang not in TARGET_LANGS:
        raise NoSuchLanguage(f"no language {lang[:20]!r}; use one of {', '.join(TARGET_LANGS)}")
    return lang


def view(db: sqlite_utils.Database, article_id: int, lang: str) -> dict:
    """{"article", "lang", "translator", "reviewer", "due", "state", "reason"} (nobody assigned yet:
    nulls and "translating")."""
    store.get_article(db, article_id)
    row = stored.get(db, article_id, _lang(lang)) or {}
    return {"article": article_id, "lang": lang, "translator": row.get("translator"),
            "reviewer": row.get("reviewer"), "due": row.get("due"), "state": row.get("state") or "translating",
            "reason": row.get("reason")}


def _person(actor) -> str:
    return actor.user or actor.name


def _due(value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.isoformat()
    try:
        when = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"due: {str(value)[:40]!r} is not an ISO 8601 time; write e.g. 2026-12-03T18:00:00Z") from None
    if when.tzinfo is None:
        raise UserError("due: give the time zone, e.g. 2026-12-03T18:00:00Z or 2026-12-03T22:00:00+04:00")
    return when.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _account(db, name, field: str, right: str) -> str | None:
    if name in (None, ""):
        return None
    name = hygiene.clean(str(name).strip(), field, multiline=False)
    user = users.get_user(db, name)
    if user is None or user.get("disabled_at"):
        raise Unprocessable(f"{field}: no active account {name!r}; `workbench users list` shows them")
    if right not in users.RIGHTS.get(user["role"], set()):
        raise UserError(f"{field}: {user['name']} is a {user['role']}; a {field} needs the "
                        f"{'reviewer' if right == 'approve' else 'translator'} role or higher")
    return user["name"]


def assign(db: sqlite_utils.Database, actor, article_id: int, lang: str, *, translator=UNSET, reviewer=UNSET,
           due=UNSET) -> dict:
    """Set who translates and reviews the language and by when (a field left UNSET stays as it is;
    None clears it). Reviewers and admins only, except a translator taking an unassigned language."""
    _lang(lang)
    values = {}
    with transaction(db):
        current = view(db, article_id, lang)
        taking = (translator is not UNSET and translator == _person(actor) and reviewer is UNSET
                  and due is UNSET and current["translator"] in (None, _person(actor)))
        if not (actor.may("edit") and taking):  # Take: anyone who edits, for a language nobody has
            require_capability(db, actor, "assign")
        if translator is not UNSET:
            values["translator"] = _account(db, translator, "translator", "edit")
        if reviewer is not UNSET:
            values["reviewer"] = _account(db, reviewer, "reviewer", "approve")
        if due is not UNSET:
            values["due"] = _due(due)
        stored.put(db, article_id, lang, values, at=store.now(), by=actor.name)
        notifications.assigned(db, actor, article_id, lang, current, view(db, article_id, lang))
    events.send_pending(db)
    return view(db, article_id, lang)


def take(db: sqlite_utils.Database, actor, article_id: int, lang: str) -> dict:
    return assign(db, actor, article_id, lang, translator=_person(actor))


def write_refusal(db: sqlite_utils.Database, actor, article_id: int, lang: str) -> str | None:
    """Why the actor may not change the language's targets ("assigned to tom"), or None."""
    if actor.kind in ("job", "story") or actor.may("approve"):
        return None
    row = stored.get(db, article_id, lang)
    if not row or not row["translator"]:
        return None
    person = _person(actor)
    if person in (row["translator"], row["reviewer"]):
        return None
    return f"assigned to {row['translator']}"


def check_write(db: sqlite_utils.Database, actor, article_id: int, lang: str) -> None:
    refusal = write_refusal(db, actor, article_id, lang)
    if refusal:
        raise Forbidden(f"This language of the article is {refusal}: only {refusal.removeprefix('assigned to ')}, "
                        "its reviewer, reviewers and admins change it.")


def _change_state(db, actor, article_id: int, lang: str, new: str, allowed_from: tuple[str, ...],
                  event: str, reason: str | None = None) -> dict:
    with transaction(db):
        current = view(db, article_id, lang)
        if current["state"] not in allowed_from:
            raise StateError(f"the {lang} translation is {current['state']}; it can't go to {new} from there")
        stored.put(db, article_id, lang, {"state": new, "reason": reason}, at=store.now(), by=actor.name)
        if new == "sent back":
            notifications.sent_back(db, actor, article_id, lang, current["translator"], reason or "")
        article = store.get_article(db, article_id)
        events.record(db, event, {"article": article_id, "external_id": article.get("external_id"), "lang": lang,
                                  "state": new, "by": actor.name, **({"reason": reason} if reason else {})})
    events.send_pending(db)
    return view(db, article_id, lang)


def submit(db: sqlite_utils.Database, actor, article_id: int, lang: str) -> dict:
    """A translator's Send to review: translating or sent back → in review (language.submitted)."""
    if not actor.may("edit"):
        raise Forbidden(f"{actor.name} may not send work to review")
    check_write(db, actor, article_id, _lang(lang))
    return _change_state(db, actor, article_id, lang, "in review", ("translating", "sent back"), "language.submitted")


def send_back(db: sqlite_utils.Database, actor, article_id: int, lang: str, reason: str,
              segments: dict[int, str] | None = None) -> dict:
    """A reviewer's Send back, with a reason (required): in review → sent back (language.sent_back).
    `segments` (segment number from 1 -> what to fix) become comments on those segments."""
    if not actor.may("approve"):
        raise Forbidden(f"{actor.name} may not send work back (reviewers and admins do)")
    reason = hygiene.clean((reason or "").strip(), "reason")
    if not reason:
        raise UserError("reason: say what needs fixing before sending the work back")
    _lang(lang)
    if segments:
        from_number = {s["idx"] + 1: s for s in store.segments(db, article_id)}
        missing = [n for n in segments if n not in from_number]
        if missing:
            raise Unprocessable(f"segments: the article has no segment {missing[0]}")
    result = _change_state(db, actor, article_id, lang, "sent back", ("in review", "approved"), "language.sent_back",
                           reason)
    if segments:
        for number, note in segments.items():
            stored_comments.add(db, from_number[number]["id"], lang, author=actor.name,
                                body=hygiene.clean(f"Sent back: {note or reason}", "comment"))
    return result


def archive(db: sqlite_utils.Database, actor, article_id: int, *, archived: bool = True) -> dict:
    """Archive (or restore) an article: hidden from lists, kept in the TM and in search."""
    if not actor.may("approve"):
        raise Forbidden(f"{actor.name} may not archive articles (reviewers and admins may)")
    with transaction(db):
        article = store.get_article(db, article_id)
        stored.set_archived(db, article_id, store.now() if archived else None, actor.name if archived else None)
        events.record(db, "article.archived" if archived else "article.restored",
                      {"article": article_id, "external_id": article.get("external_id"), "by": actor.name})
    events.send_pending(db)
    return {"article": article_id, "archived": archived}


def delete(db: sqlite_utils.Database, actor, article_id: int, *, keep_memory: bool = True) -> dict:
    """Delete an article for good (admins); its approved units stay in the TM unless keep_memory is False."""
    if not actor.may("admin"):
        raise Forbidden(f"{actor.name} may not delete articles (admins may; reviewers archive)")
    with transaction(db):
        article = store.get_article(db, article_id)
        dropped = 0 if keep_memory else tm.delete_for_article(db, article_id)
        stored.delete_article(db, article_id)
        events.record(db, "article.deleted", {"article": article_id, "external_id": article.get("external_id"),
                                              "by": actor.name, "memory_kept": keep_memory})
    events.send_pending(db)
    return {"article": article_id, "deleted": True, "memory_units_dropped": dropped}
