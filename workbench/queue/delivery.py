"""Sending webhook deliveries: one POST each, signed as Standard Webhooks, retried on a schedule.

The deliveries themselves are rows of data/webhooks.py, recorded by services/events.py in the
transaction that caused them; `flush` hands the new ones to the job queue after the commit.
Redirects are not followed: a 3xx answer is a failed attempt (a POST must not turn into a GET to
wherever the Location points, logged as delivered), retried like any other failure.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request

import sqlite_utils

from workbench.core.processes import this_worker
from workbench.data import webhooks
from workbench.data.webhooks import MAX_ATTEMPTS, TIMEOUT_SECONDS, backoff, sign


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx


_opener = urllib.request.build_opener(_NoRedirects)


def deliver(db: sqlite_utils.Database, delivery_id: int) -> float | None:
    """Try one delivery; returns the delay before the next try, or None when done or given up."""
    row = webhooks.pending_delivery(db, delivery_id)
    if row is None:
        return None
    webhooks.begin_attempt(db, delivery_id, this_worker())
    timestamp = int(time.time())
    code, error = None, None
    try:
        request = urllib.request.Request(row["url"], data=row["payload"].encode("utf-8"), method="POST", headers={
            "content-type": "application/json", "user-agent": "workbench-webhooks",
            "webhook-id": row["message_id"], "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(row["secret"], row["message_id"], timestamp, row["payload"])})
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only)
            code = response.status
    except urllib.error.HTTPError as err:
        code, error = err.code, f"HTTP {err.code}"
        if 300 <= err.code < 400:
            error += f" redirect to {err.headers.get('Location') or '(no Location)'}, not followed"
    except (urllib.error.URLError, OSError) as err:
        error = str(getattr(err, "reason", err)) or type(err).__name__
    except (ValueError, http.client.HTTPException) as err:  # a URL urllib cannot use, a garbled answer
        error = f"{type(err).__name__}: {err}"
    attempts = row["attempts"] + 1
    if code is not None and 200 <= code < 300:
        status, error = "delivered", None
    else:
        status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
    delay = backoff(attempts) if status == "pending" else None
    webhooks.record_attempt(db, delivery_id, status=status, attempts=attempts, response_status=code, error=error,
                            retry_in=delay)
    return delay
