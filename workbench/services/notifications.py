"""Notifications: what happened to a person's work, in the app (the bell, /notifications) and, when
[mail] is set in workbench.toml and the person chose the kind, by e-mail.

* Written in the transaction of the change that caused them (an outbox, like webhook events);
  their e-mails are handed to the job queue after the commit (`send_pending`, called by
  events.send_pending), never sent inside a transaction.
* Nobody is notified of their own action.
* "Due within the hour" is computed when the person's bell or list is rendered (`refresh`): one
  notification per assignment and due time, never twice.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

from workbench.core import hygiene
from workbench.core.errors import Forbidden, UserError
from workbench.data import assignments as stored_assignments, notifications as stored, store, users
from workbench.data.db import db_key, in_transaction, transaction
from workbench.services import runtime

KINDS = {
    "assigned": "Assigned to you",
    "sent_back": "Sent back",
    "mentioned": "Mentioned in a comment",
    "due_soon": "Due within the hour",
    "story_updated": "Story updated under your work",
    "approved": "Your language approved",
}
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.-]+)")
DUE_SOON = timedelta(hours=1)


def _person(actor) -> str:
    return actor.user or actor.name


def _mail_on() -> bool:
    instance = runtime.instance()
    try:
        return bool(instance is not None and instance.mail_settings())
    except UserError:
        return False


def settings(db: sqlite_utils.Database, person: str) -> dict:
    """{"person", "email", "kinds"}: without saved settings, no address and every kind."""
    return stored.settings(db, person) or {"person": person, "email": None, "kinds": list(KINDS)}


def notify(db: sqlite_utils.Database, person: str | None, kind: str, *, article_id: int | None, lang: str | None,
           title: str, body: str = "", by: str | None = None, key: str | None = None) -> int | None:
    """One notification for `person` (none for nobody, for an unknown account or for the one who
    acted), e-mailed when mail is set up and the person chose the kind."""
    if not person or person == by or users.get_user(db, person) is None:
        return None
    chosen = settings(db, person)
    mail = bool(chosen["email"]) and kind in chosen["kinds"] and _mail_on()
    return stored.add(db, {"person": person, "kind": kind, "article_id": article_id, "lang": lang, "title": title,
                           "body": body, "by": by, "key": key, "created_at": store.now()}, mail=mail)


def _article_title(db, article_id: int) -> str:
    return store.get_article(db, article_id)["title"]


# --- what causes them (called by the services that make the change, in their transaction) ------

def assigned(db, actor, article_id: int, lang: str, before: dict, after: dict) -> None:
    title = _article_title(db, article_id)
    for role in ("translator", "reviewer"):
        if after.get(role) and after[role] != before.get(role):
            due = f", due {after['due']}" if after.get("due") else ""
            notify(db, after[role], "assigned", article_id=article_id, lang=lang, by=actor.name,
                   title=f"{title} ({lang}): you are its {role}",
                   body=f"{actor.name} made you the {role} of the {lang} translation of “{title}”{due}.")


def sent_back(db, actor, article_id: int, lang: str, translator: str | None, reason: str) -> None:
    title = _article_title(db, article_id)
    notify(db, translator, "sent_back", article_id=article_id, lang=lang, by=actor.name,
           title=f"{title} ({lang}) was sent back",
           body=f"{actor.name} sent the {lang} translation of “{title}” back. Reason: {reason}")


def mentioned(db, actor, segment_id: int, lang: str, body: str) -> None:
    segment = stored.segment_place(db, segment_id)
    title = _article_title(db, segment["article_id"])
    for name in dict.fromkeys(MENTION.findall(body)):
        notify(db, name, "mentioned", article_id=segment["article_id"], lang=lang, by=actor.name,
               title=f"{actor.name} mentioned you on “{title}” ({lang})",
               body=f"Segment {segment['idx'] + 1}: {body}")


def story_updated(db, actor, article_id: int, version: int) -> None:
    title = _article_title(db, article_id)
    for lang, row in stored_assignments.for_article(db, article_id).items():
        for person in dict.fromkeys(p for p in (row["translator"], row["reviewer"]) if p):
            notify(db, person, "story_updated", article_id=article_id, lang=lang, by=_person(actor),
                   title=f"“{title}” changed under your {lang} work (version {version})",
                   body=f"{actor.name} stored version {version} of “{title}”; look at the changed segments in {lang}.")


def approved(db, article_id: int, lang: str) -> None:
    row = stored_assignments.get(db, article_id, lang)
    if row and row["translator"]:
        title = _article_title(db, article_id)
        notify(db, row["translator"], "approved", article_id=article_id, lang=lang, by=None,
               title=f"“{title}” ({lang}) is approved",
               body=f"Every segment of the {lang} translation of “{title}” is approved.")


def refresh(db: sqlite_utils.Database, person: str, now: datetime | None = None) -> int:
    """Add "due within the hour" for the person's open assignments due in the next hour (once per
    assignment and due time); how many were added."""
    now = now or datetime.now(timezone.utc)
    due_soon = [row for row in stored_assignments.for_person(db, person)
                if row["due"] and row["state"] != "approved"
                and now <= datetime.fromisoformat(row["due"].replace("Z", "+00:00")) <= now + DUE_SOON]
    added = 0
    if not due_soon:
        return 0  # the usual case: no write lock taken to show a page
    with transaction(db):
        for row in due_soon:
            added += bool(notify(
                db, person, "due_soon", article_id=row["article_id"], lang=row["lang"],
                title=f"“{row['title']}” ({row['lang']}) is due at {row['due']}",
                body=f"The {row['lang']} translation of “{row['title']}” is due within the hour ({row['due']}).",
                key=f"due:{row['article_id']}:{row['lang']}:{row['due']}:{person}"))
    return added


# --- the person's own actions --------------------------------------------------------------------

def listing(db: sqlite_utils.Database, actor, *, unread_only: bool = False) -> list[dict]:
    person = _person(actor)
    refresh(db, person)
    return stored.for_person(db, person, unread_only=unread_only)


def unread(db: sqlite_utils.Database, actor) -> int:
    person = _person(actor)
    refresh(db, person)
    return stored.unread(db, person)


def mark_read(db: sqlite_utils.Database, actor, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications read (None: all of them); how many changed."""
    person = _person(actor)
    with transaction(db):
        if notification_id is not None:
            row = stored.get(db, notification_id)
            if row is None or row["person"] != person:
                raise Forbidden("that notification is not yours")
        return stored.mark_read(db, person, store.now(), notification_id)


def save_settings(db: sqlite_utils.Database, actor, email: str | None, kinds: list[str]) -> dict:
    """The actor's address for e-mail and the kinds e-mailed."""
    person = _person(actor)
    email = hygiene.clean((email or "").strip(), "e-mail", multiline=False, limit=200) if email else None
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise UserError(f"e-mail: {email[:60]!r} is not an address; write e.g. tina@example.org")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise UserError(f"kinds: no kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    with transaction(db):
        stored.put_settings(db, person, email, [k for k in KINDS if k in kinds])
    return settings(db, person)


# --- e-mail, after the commit ------------------------------------------------------------------------

def send_pending(db: sqlite_utils.Database, queue=None) -> int:
    """Hand the e-mails of committed notifications to the queue (nothing inside a transaction or
    without a queue that sends mail)."""
    queue = queue or runtime.queue()
    if queue is None or not hasattr(queue, "email") or in_transaction(db):
        return 0
    instance_path = str(Path(db_key(db)).parent)
    claimed = stored.claim_unmailed(db)
    for notification_id in claimed:
        queue.email(instance_path, notification_id)
    return len(claimed)


def message(db: sqlite_utils.Database, notification_id: int) -> dict | None:
    """{"to", "subject", "body"} of a notification's e-mail, or None when it has no address."""
    row = stored.get(db, notification_id)
    if row is None:
        return None
    address = settings(db, row["person"])["email"]
    if not address:
        return None
    lines = [row["body"] or row["title"], ""]
    if row["article_id"]:
        lines.append(f"Article {row['article_id']}" + (f", language {row['lang']}" if row["lang"] else ""))
    lines.append(f"({KINDS.get(row['kind'], row['kind'])}; choose what you get by e-mail on the "
                 "Notifications settings page.)")
    return {"to": address, "subject": f"[Workbench] {row['title']}", "body": "\n".join(lines)}


def mailed(db: sqlite_utils.Database, notification_id: int, error: str | None = None) -> None:
    stored.mailed(db, notification_id, error)
