"""Webhooks for the CMS, sent as Standard Webhooks (standardwebhooks.com).

Events are written to `webhook_deliveries` inside the transaction that caused them (an outbox:
an event exists exactly when its change was committed). `flush()` runs after the commit and
queues each new delivery on the huey job queue; a delivery that fails is tried again with
exponential backoff, and every attempt is logged (status, attempts, last error) for admins.

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
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlparse

import sqlite_utils
from blinker import signal

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


def flush(db: sqlite_utils.Database, instance_path: str) -> int:
    """Queue the deliveries not yet tried (after their transaction committed)."""
    if db.conn.in_transaction:
        return 0
    from workbench.queue import tasks

    ids = [row[0] for row in db.execute(
        "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND queued_at IS NULL")]
    for delivery_id in ids:
        with transaction(db):  # mark as queued, so a second flush does not send it twice
            claimed = db.execute("UPDATE webhook_deliveries SET queued_at = ? WHERE id = ? AND queued_at IS NULL",
                                 [store.now(), delivery_id]).rowcount
        if claimed:
            tasks.deliver_webhook(instance_path, delivery_id)
    return len(ids)


translation_approved = signal("workbench.translation-approved")


@translation_approved.connect
def _on_approved(db, segment_id: int, lang: str) -> None:
    """language.approved: the approval that completes a language of an article."""
    article_id = db.execute("SELECT article_id FROM segments WHERE id = ?", [segment_id]).fetchone()[0]
    progress = store.progress(db, article_id, lang)
    if progress["total"] and progress["approved"] == progress["total"]:
        article = store.get_article(db, article_id)
        emit(db, "language.approved", {"article": article_id, "external_id": article.get("external_id"),
                                       "lang": lang, "version": article.get("version", 1),
                                       "segments": progress["total"]})


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


def deliver(db: sqlite_utils.Database, delivery_id: int) -> float | None:
    """Try one delivery; returns the delay before the next try, or None when done or given up."""
    row = next(iter(db.query("SELECT d.*, w.url, w.secret FROM webhook_deliveries d "
                             "JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?", [delivery_id])), None)
    if row is None or row["status"] != "pending":
        return None
    timestamp = int(time.time())
    request = urllib.request.Request(row["url"], data=row["payload"].encode("utf-8"), method="POST", headers={
        "content-type": "application/json", "user-agent": "workbench-webhooks",
        "webhook-id": row["message_id"], "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(row["secret"], row["message_id"], timestamp, row["payload"])})
    code, error = None, None
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only)
            code = response.status
    except urllib.error.HTTPError as err:
        code, error = err.code, f"HTTP {err.code}"
    except (urllib.error.URLError, OSError) as err:
        error = str(getattr(err, "reason", err))
    attempts = row["attempts"] + 1
    if code is not None and 200 <= code < 300:
        status, error = "delivered", None
    else:
        status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
    with transaction(db):
        db["webhook_deliveries"].update(delivery_id, {"status": status, "attempts": attempts,
                                                      "response_status": code, "error": error,
                                                      "updated_at": store.now()})
    return backoff(attempts) if status == "pending" else None


def init_app(app) -> None:
    """After every request: queue the deliveries its transaction recorded (now committed)."""
    from flask import g

    @app.after_request
    def queue_deliveries(response):
        database = g.get("db")
        if database is not None:
            flush(database, str(app.config["INSTANCE"].path))
        return response
