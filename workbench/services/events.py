"""Events for the CMS (webhooks): recorded with the change that caused them, sent after its commit.

`record` writes one delivery per subscribed webhook inside the caller's transaction (an outbox: an
event exists exactly when its change was committed). `send_pending` runs after the commit — every
service that records events calls it once its unit of work is done — and hands the new deliveries
to the job queue (services/runtime.py), which POSTs them (queue/delivery.py).
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from workbench.core.errors import Forbidden
from workbench.core.processes import is_gone
from workbench.data import assignments, store, webhooks
from workbench.data.db import db_key, in_transaction
from workbench.services import notifications, runtime
from workbench.services.actor import Actor

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
    assignments.put(db, article_id, lang, {"state": "approved", "reason": None}, at=store.now(), by=None)
    notifications.approved(db, article_id, lang)
    record(db, "language.approved", {"article": article_id, "external_id": article.get("external_id"),
                                     "lang": lang, "version": article.get("version", 1),
                                     "segments": progress["total"]})
    return True


def send_pending(db: sqlite_utils.Database, queue: runtime.Queue | None = None) -> int:
    """Hand the deliveries recorded by committed changes to the queue (`queue`, else the one in
    services/runtime.py); nothing inside a transaction (its events are not committed yet) or without
    a queue. Returns how many were handed over."""
    queue = queue or runtime.queue()
    if queue is None or in_transaction(db):
        return 0
    notifications.send_pending(db, queue)  # the notifications' e-mails, committed with the same changes
    instance_path = str(Path(db_key(db)).parent)
    claimed = webhooks.claim_unqueued(db)
    for delivery_id in claimed:
        queue.deliver(instance_path, delivery_id)
    return len(claimed)


def requeue_lost(db: sqlite_utils.Database, queue: runtime.Queue | None = None) -> int:
    """Hand the queue again every pending delivery whose lease ran out: its process died during the
    attempt (kill -9, a power cut) or before it ran. Run when a server or worker starts and every
    minute after; also hands over deliveries never queued. Returns how many were handed over."""
    queue = queue or runtime.queue()
    if queue is None or in_transaction(db):
        return 0
    instance_path = str(Path(db_key(db)).parent)
    lost = webhooks.expired_leases(db, gone=is_gone)
    for delivery_id, delay in lost:
        queue.deliver(instance_path, delivery_id, delay)
    return len(lost) + send_pending(db, queue)


def resend(db: sqlite_utils.Database, delivery_id: int, actor: Actor) -> dict:
    """Send a failed (or delivered) delivery again, with the same webhook-id and a fresh schedule.
    Admins only."""
    if not actor.may("admin"):
        raise Forbidden("only admins re-send webhook deliveries")
    delivery = webhooks.resend(db, delivery_id)
    send_pending(db)
    return delivery
