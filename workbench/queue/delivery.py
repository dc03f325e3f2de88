"""Sending webhook deliveries: one POST each, signed as Standard Webhooks, retried with backoff.

The deliveries themselves are rows of data/webhooks.py, recorded by services/events.py in the
transaction that caused them; `flush` hands the new ones to the job queue after the commit.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import sqlite_utils

from workbench.data import webhooks
from workbench.data.webhooks import MAX_ATTEMPTS, TIMEOUT_SECONDS, backoff, sign


def deliver(db: sqlite_utils.Database, delivery_id: int) -> float | None:
    """Try one delivery; returns the delay before the next try, or None when done or given up."""
    row = webhooks.pending_delivery(db, delivery_id)
    if row is None:
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
    webhooks.record_attempt(db, delivery_id, status=status, attempts=attempts, response_status=code, error=error)
    return backoff(attempts) if status == "pending" else None
