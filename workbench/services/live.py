"""Live editors: presence (who has an article's language open, on which segment, typing or not) and
the soft lock on a segment someone is typing in (a colleague is warned and may take it over; the
first person is told). The change counter and log open editors poll are in data/live.py.
"""

from __future__ import annotations

import random

import sqlite_utils

from workbench.core.errors import Forbidden
from workbench.data import live, store
from workbench.services.actor import Actor


def poll(db: sqlite_utils.Database, actor: Actor, article_id: int, lang: str, segment_id: int | None,
         typing: bool) -> dict:
    """One heartbeat of an open editor: {"counter", "others": presence of everyone else,
    "taken": {"by", "segment_id"} when a colleague took over the segment this person typed in}."""
    me = actor.author
    taken = live.heartbeat(db, article_id, lang, me, segment_id, typing and actor.may("edit"))
    if random.random() < 0.001:  # now and then, forget old changes and long-gone presence
        live.prune(db)
    return {"counter": live.counter(db, article_id), "taken": taken,
            "others": [p for p in live.present(db, article_id, lang) if p["user"] != me]}


def take_over(db: sqlite_utils.Database, actor: Actor, article_id: int, lang: str, segment_id: int) -> list[str]:
    """`actor` takes over a segment a colleague is typing in; returns whom it was taken from."""
    if not actor.may("edit"):
        raise Forbidden("only translators, reviewers and admins edit segments")
    store.get_segment(db, article_id, segment_id)
    return live.take_over(db, article_id, lang, actor.author, segment_id)
