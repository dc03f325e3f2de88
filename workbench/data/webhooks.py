"""Webhooks for the CMS, sent as Standard Webhooks (standardwebhooks.com).

This module keeps the webhooks and their deliveries. Events are written to `webhook_deliveries`
inside the transaction that caused them (an outbox: an event exists exactly when its change was
committed; services/events.py records them); after the commit queue/delivery.py sends each one, a
delivery that fails is tried again on SCHEDULE (about 27 hours, as Svix does), and every attempt is
logged (status, attempts, last error) for admins.

Each pending delivery holds a lease (`lease_until`): whoever queued or is attempting it answers for
it until then. A delivery whose lease ran out while still pending was lost (the process holding it
died, e.g. kill -9 during the POST); `expired_leases` hands it out again, at start and every minute.
At least once: a receiver drops duplicates by `webhook-id`.

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
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

import sqlite_utils

from workbench.data import store
from workbench.data.db import transaction
from workbench.core.errors import UserError

EVENTS = ("language.approved", "article.updated", "job.finished", "language.submitted", "language.sent_back",
          "article.archived", "article.restored", "article.deleted")
# Seconds before each attempt, as Svix (the reference implementation of Standard Webhooks) retries:
# at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later: 8 attempts over about 27 hours.
SCHEDULE = (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
MAX_ATTEMPTS = len(SCHEDULE)
TIMEOUT_SECONDS = 10
ATTEMPT_LEASE_SECONDS = TIMEOUT_SECONDS + 50  # an attempt not recorded by then died with its process
QUEUE_LEASE_SECONDS = 120  # how late the queue may start a queued or scheduled attempt before it is re-queued
CANCELLED = "cancelled: the webhook was removed"


def scale() -> float:
    """WORKBENCH_WEBHOOK_BACKOFF names the second step of the schedule in seconds (5 by default);
    the whole schedule scales with it (tests make it a fraction of a second)."""
    return float(os.environ.get("WORKBENCH_WEBHOOK_BACKOFF", "5")) / SCHEDULE[1]


def backoff(attempt: int) -> float:
    """Seconds between attempt `attempt` (from 1) and the next: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h."""
    return SCHEDULE[attempt] * scale()


def schedule_text() -> str:
    """The retry schedule in words: "after 5 s, 5 min, ... (8 attempts over about 27 hours)"."""
    def words(seconds: float) -> str:
        for unit, size in (("h", 3600), ("min", 60)):
            if seconds >= size:
                return f"{round(seconds / size, 1):g} {unit}"
        return f"{round(seconds, 2):g} s"
    steps = [words(step * scale()) for step in SCHEDULE[1:]]
    return (f"after {', '.join(steps[:-1])} and {steps[-1]} ({MAX_ATTEMPTS} attempts over about "
            f"{words(sum(SCHEDULE) * scale())})")


def _in(seconds: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def check_url(url: str) -> str:
    """The URL when it is an absolute http(s) URL without whitespace or control characters."""
    example = "e.g. https://cms.example.org/hooks/workbench"
    if any(c.isspace() or ord(c) < 32 or 127 <= ord(c) < 160 for c in url):
        raise UserError(f"{url!r} holds whitespace or control characters; a webhook URL has none "
                        f"(encode a space as %20), {example}")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise UserError(f"{url!r} is not an http(s) URL, {example}")
    try:
        parsed.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        raise UserError(f"{url!r} has a malformed port, {example}") from None
    return url


# --- registration -----------------------------------------------------------------------------

def add_webhook(db: sqlite_utils.Database, url: str, events: list[str], secret: str | None = None,
                user: str | None = None) -> dict:
    check_url(url)
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


def remove_webhook(db: sqlite_utils.Database, webhook_id: int) -> int:
    """Stop sending to a webhook; its pending deliveries are cancelled (failed, error CANCELLED).
    Returns how many were cancelled."""
    stamp = store.now()
    with transaction(db):
        if not db.execute("UPDATE webhooks SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
                          [stamp, webhook_id]).rowcount:
            raise UserError(f"no active webhook {webhook_id}; `workbench webhooks list` shows them")
        return db.execute("UPDATE webhook_deliveries SET status = 'failed', error = ?, lease_until = NULL, "
                          "next_attempt_at = NULL, updated_at = ? WHERE webhook_id = ? AND status = 'pending'",
                          [CANCELLED, stamp, webhook_id]).rowcount


DELIVERY_COLUMNS = ("d.id, d.webhook_id, w.url, d.message_id, d.event, d.status, d.attempts, d.response_status, "
                    "d.error, d.next_attempt_at, d.created_at, d.updated_at, w.disabled_at AS webhook_removed_at")


def deliveries(db: sqlite_utils.Database, limit: int = 100, status: str | None = None) -> list[dict]:
    """The latest deliveries, newest first (only those with `status` when given)."""
    where, params = ("WHERE d.status = ?", [status]) if status else ("", [])
    return list(db.query(f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhooks w ON "
                         f"w.id = d.webhook_id {where} ORDER BY d.id DESC LIMIT ?", [*params, limit]))


def get_delivery(db: sqlite_utils.Database, delivery_id: int) -> dict:
    rows = list(db.query(f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhooks w ON "
                         "w.id = d.webhook_id WHERE d.id = ?", [delivery_id]))
    if not rows:
        raise store.NotFound(f"no webhook delivery {delivery_id}; `workbench webhooks list` shows them")
    return rows[0]


def resend(db: sqlite_utils.Database, delivery_id: int) -> dict:
    """Make a failed (or delivered) delivery pending again, with a fresh schedule and the same
    webhook-id; the caller hands it to the queue after the commit (services/events.send_pending)."""
    with transaction(db):
        row = get_delivery(db, delivery_id)
        if row["webhook_removed_at"]:
            raise UserError(f"delivery {delivery_id}'s webhook {row['webhook_id']} was removed; add it again "
                            "to send it events")
        if row["status"] == "pending":
            raise UserError(f"delivery {delivery_id} is still pending (attempt {row['attempts'] + 1} of "
                            f"{MAX_ATTEMPTS} is due {row['next_attempt_at'] or 'now'})")
        db.execute("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, queued_at = NULL, "
                   "lease_until = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ?",
                   [store.now(), delivery_id])
    return get_delivery(db, delivery_id)


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
    """A delivery still to be tried, with its webhook's URL and secret; None when done or gone
    (its webhook removed)."""
    row = next(iter(db.query("SELECT d.*, w.url, w.secret, w.disabled_at FROM webhook_deliveries d "
                             "JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?", [delivery_id])), None)
    return row if row is not None and row["status"] == "pending" and not row["disabled_at"] else None


def begin_attempt(db: sqlite_utils.Database, delivery_id: int, worker: str | None = None) -> None:
    """Take the delivery's lease for one attempt by `worker` (host:pid): a process killed during the
    POST leaves a lease that runs out, or that a process starting on the same host sees is dead."""
    with transaction(db):
        db.execute("UPDATE webhook_deliveries SET lease_until = ?, attempted_by = ? WHERE id = ?",
                   [_in(ATTEMPT_LEASE_SECONDS), worker, delivery_id])


def record_attempt(db: sqlite_utils.Database, delivery_id: int, *, status: str, attempts: int,
                   response_status: int | None, error: str | None, retry_in: float | None = None) -> None:
    """Log one attempt; a pending delivery is due again in `retry_in` seconds, its lease running
    until a little after that."""
    pending = status == "pending" and retry_in is not None
    with transaction(db):
        db["webhook_deliveries"].update(delivery_id, {
            "status": status, "attempts": attempts, "response_status": response_status, "error": error,
            "next_attempt_at": _in(retry_in) if pending else None,
            "lease_until": _in(retry_in + QUEUE_LEASE_SECONDS) if pending else None, "attempted_by": None,
            "updated_at": store.now()})


def claim_unqueued(db: sqlite_utils.Database) -> list[int]:
    """The pending deliveries not handed to the queue yet, each marked as queued with a lease (in
    its own transaction), so that a second caller does not send it twice."""
    claimed = []
    ids = [row[0] for row in db.execute(
        "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND queued_at IS NULL")]
    for delivery_id in ids:
        with transaction(db):
            if db.execute("UPDATE webhook_deliveries SET queued_at = ?, lease_until = ? "
                          "WHERE id = ? AND queued_at IS NULL",
                          [store.now(), _in(QUEUE_LEASE_SECONDS), delivery_id]).rowcount:
                claimed.append(delivery_id)
    return claimed


def expired_leases(db: sqlite_utils.Database, gone=None) -> list[tuple[int, float]]:
    """Pending deliveries that were queued but whose lease ran out (the process that held them
    died, or the queue lost them), or whose attempt is held by a process `gone(worker)` says is
    dead; each leased again: (id, seconds until its next attempt is due). Queued before leases
    existed (no lease) counts as expired."""

    def lost(row) -> bool:
        return (row["status"] == "pending" and row["queued_at"] is not None
                and (row["lease_until"] is None or row["lease_until"] < store.now()
                     or bool(row["attempted_by"] and gone is not None and gone(row["attempted_by"]))))

    columns = "id, status, queued_at, next_attempt_at, lease_until, attempted_by"
    candidates = [row["id"] for row in db.query(
        f"SELECT {columns} FROM webhook_deliveries WHERE status = 'pending' AND queued_at IS NOT NULL") if lost(row)]
    found = []
    for delivery_id in candidates:
        with transaction(db):  # looked at again under the write lock: a live attempt may have ended
            row = next(iter(db.query(f"SELECT {columns} FROM webhook_deliveries WHERE id = ?", [delivery_id])))
            if not lost(row):
                continue
            delay = 0.0
            if row["next_attempt_at"]:
                delay = max(0.0, (datetime.fromisoformat(row["next_attempt_at"])
                                  - datetime.now(timezone.utc)).total_seconds())
            db.execute("UPDATE webhook_deliveries SET lease_until = ?, attempted_by = NULL WHERE id = ?",
                       [_in(delay + QUEUE_LEASE_SECONDS), delivery_id])
            found.append((delivery_id, delay))
    return found
