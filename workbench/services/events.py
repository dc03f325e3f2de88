"""Events for the CMS (webhooks): recorded with the change that caused them, sent after its commit.

`record` writes one delivery per subscribed webhook inside the caller's transaction (an outbox: an
event exists exactly when its change was committed). `send_pending` runs after the commit — every
service that records events calls it once its unit of work is done — and hands the new deliveries
to the job queue (services/runtime.py), which POSTs them (queue/delivery.py).
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from workbench.data import store, webhooks
from workbench.data.db import db_key, in_transaction
from workbench.services import runtime

EVENTS = webhooks.EVENTS


def record(db: sqlite_utils.Database, event: str, data: dict) -> int:
    """One pending delivery per webhook subscribed to `event`, in the caller's transaction."""
    return webhooks.emit(db, event, data)


def language_approved_if_complete(db: sqlite_utils.Database, article_id: int, lang: str) -> bool:
    """language.approved, when the approval just written completes the language of the article."""
    progress = store.progress(db, article_id, lang)
    if not (progress["total"] and progress["approved"] == progress["total"]):
        return False
    article = store.get_article(db, article_id)
    record(db, "language.approved", {"article": article_id, "external_id": article.get("external_id"),
                                     "lang": lang, "version": article.get("version", 1),
                                     "segments": progress["total"]})
    return True


def send_pending(db: sqlite_utils.Database) -> int:
    """Hand the deliveries recorded by committed changes to the queue; nothing inside a transaction
    (its events are not committed yet) or without a queue. Returns how many were handed over."""
    queue = runtime.queue()
    if queue is None or in_transaction(db):
        return 0
    instance_path = str(Path(db_key(db)).parent)
    claimed = webhooks.claim_unqueued(db)
    for delivery_id in claimed:
        queue.deliver(instance_path, delivery_id)
    return len(claimed)
