"""Comments on a segment's translation, for every door: who may add, resolve and reopen.

Anyone signed in may comment; resolving or reopening is for the comment's author and for
reviewers and admins (the "approve" right). `@name` in a comment notifies that person
(services/notifications.py).
"""

from __future__ import annotations

import sqlite_utils

from workbench.core import hygiene
from workbench.core.errors import Forbidden
from workbench.data import comments as stored
from workbench.data.db import transaction
from workbench.services import notifications


def add(db: sqlite_utils.Database, actor, segment_id: int, lang: str, body: str) -> dict:
    """Add a comment by the actor (empty, longer than hygiene.LIMITS["comment"] or holding a control
    character: refused)."""
    body = hygiene.clean(body or "", "comment")
    with transaction(db):
        comment = stored.add(db, segment_id, lang, author=actor.name, body=body)
        notifications.mentioned(db, actor, segment_id, lang, comment["body"])  # `@name` notifies name
    notifications.send_pending(db)
    return comment


def may_resolve(actor, comment: dict) -> bool:
    return actor.may("approve") or comment["author"] == actor.name


def set_resolved(db: sqlite_utils.Database, actor, comment_id: int, *, resolved: bool) -> dict:
    """Resolve (or reopen) a comment: its author or a reviewer; Forbidden otherwise."""
    comment = stored.get(db, comment_id)
    if not may_resolve(actor, comment):
        raise Forbidden("Only the comment's author or a reviewer may resolve it.")
    return stored.set_resolved(db, comment_id, resolved=resolved, user=actor.name)


def resolve(db: sqlite_utils.Database, actor, comment_id: int) -> dict:
    return set_resolved(db, actor, comment_id, resolved=True)


def reopen(db: sqlite_utils.Database, actor, comment_id: int) -> dict:
    return set_resolved(db, actor, comment_id, resolved=False)
