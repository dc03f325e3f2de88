"""Webhooks for the CMS, sent as Standard Webhooks (standardwebhooks.com).

This module keeps the webhooks and their deliveries. Events are written to `webhook_deliveries`
inside the transaction that caused them (an outbox: an event exists exactly when its change was
committed; services/events.py records them); after the commit queue/delivery.py sends each one, a
delivery that fails is tried again with exponential backoff, and every attempt is logged (status,
attempts, last error) for admins.

Each POST carries `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256
of "id.timestamp.body">`, keyed with the secret's bytes (the secret is "whsec_" + base64).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import uuid
from urllib.parse import urlparse

import sqlite_utils

from workbench.data import store
from workbench.data.db import transaction
from workbench.core.errors import UserError

EVENTS = ("language.approved", "article.updated", "job.finished")
MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10


def backoff(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: 5 s, 25 s, 2 min, 10 min, 52 min (or a test's base)."""
    base = float(os.environ.get("WORKBENCH_WEBHOOK_BACKOFF", "5"))
    return base * 5 ** (attempt - 1)


# --- registration -----------------------------------------------------------------------------

def add_webhook(db: sqlite_utils.Database, url: str, events: list[str], secret: str | None = None,
                user: str | None = None) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UserError(f"{url!r} is not an http(s) URL, e.g. https://cms.example.org/hooks/workbench")
    unknown = [e for e in events if e not in EVENTS]
    if unknown or not events:
        raise UserError(f"unknown event(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(EVENTS)}")
    secret = secret or "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    _key(secret)  # refuse a malformed secret now, not at the first delivery
    with transaction(db):
        webhook_id = db["webhooks"].insert({"url": url, "events": ",".join(events), "secret": secret,
                                            "created_at": store.now(), "created_by": user}).last_pk
    return {"id": webhook_id, "url": url, "events": events, "secret": secret}


def list_webhooks(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT w.id, w.url, w.events, w.created_at, w.disabled_at, "
                         "(SELECT COUNT(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id) AS deliveries "
                         "FROM webhooks w ORDER BY w.id"))


def remove_webhook(db: sqlite_utils.Database, webhook_id: int) -> None:
    with transaction(db):
        if not db.execute("UPDATE webhooks SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
                          [store.now(), webhook_id]).rowcount:
            raise UserError(f"no active webhook {webhook_id}; `workbench webhooks list` shows them")


def deliveries(db: sqlite_utils.Database, limit: int = 100) -> list[dict]:
    return list(db.query("SELECT d.id, d.webhook_id, w.url, d.message_id, d.event, d.status, d.attempts, "
                         "d.response_status, d.error, d.created_at, d.updated_at FROM webhook_deliveries d "
                         "JOIN webhooks w ON w.id = d.webhook_id ORDER BY d.id DESC LIMIT ?", [limit]))


# --- events -----------------------------------------------------------------------------------

def emit(db: sqlite_utils.Database, event: str, data: dict) -> int:
    """Record one delivery per webhook subscribed to `event` (in the caller's transaction)."""
    hooks = [row for row in db.query("SELECT id, events FROM webhooks WHERE disabled_at IS NULL")
             if event in row["events"].split(",")]
    if not hooks:
        return 0
    stamp = store.now()
    with transaction(db):
        for hook in hooks:
            message_id = f"msg_{uuid.uuid4().hex}"
            payload = {"type": event, "timestamp": stamp, "data": data}
            db["webhook_deliveries"].insert({
                "webhook_id": hook["id"], "message_id": message_id, "event": event,
                "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                "status": "pending", "attempts": 0, "created_at": stamp, "updated_at": stamp})
    return len(hooks)


# --- delivery ---------------------------------------------------------------------------------

def _key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except ValueError:
        raise UserError("a webhook secret is 'whsec_' followed by base64, e.g. as "
                        "`workbench webhooks add` makes one") from None


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    digest = hmac.new(_key(secret), f"{message_id}.{timestamp}.{body}".encode("utf-8"), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def pending_delivery(db: sqlite_utils.Database, delivery_id: int) -> dict | None:
    """A delivery still to be tried, with its webhook's URL and secret; None when done or gone."""
    row = next(iter(db.query("SELECT d.*, w.url, w.secret FROM webhook_deliveries d "
                             "JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?", [delivery_id])), None)
    return row if row is not None and row["status"] == "pending" else None


def record_attempt(db: sqlite_utils.Database, delivery_id: int, *, status: str, attempts: int,
                   response_status: int | None, error: str | None) -> None:
    with transaction(db):
        db["webhook_deliveries"].update(delivery_id, {"status": status, "attempts": attempts,
                                                      "response_status": response_status, "error": error,
                                                      "updated_at": store.now()})


def claim_unqueued(db: sqlite_utils.Database) -> list[int]:
    """The pending deliveries not handed to the queue yet, each marked as queued (in its own
    transaction), so that a second caller does not send it twice."""
    claimed = []
    ids = [row[0] for row in db.execute(
        "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND queued_at IS NULL")]
    for delivery_id in ids:
        with transaction(db):
            if db.execute("UPDATE webhook_deliveries SET queued_at = ? WHERE id = ? AND queued_at IS NULL",
                          [store.now(), delivery_id]).rowcount:
                claimed.append(delivery_id)
    return claimed
