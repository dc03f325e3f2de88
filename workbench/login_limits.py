"""Login rate limits with back-off, per account and per client address, kept in the database.

Only failed sign-ins count. Once an account (or an address) has `free` failures within the
window, each further try must wait: 30 s after the last failure, doubling with every further
failure up to 15 minutes. A successful sign-in clears the account's failures (not the address's).
Stored in SQLite, so the limit holds across threads, processes and restarts of the server.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import sqlite_utils

from .db import transaction
from .users import name_key

WINDOW = 3600.0  # seconds of failures that count


@dataclass(frozen=True)
class Limits:
    account_free: int = 5
    address_free: int = 20
    base_delay: float = 30.0
    max_delay: float = 900.0


def _keys(account: str, address: str) -> list[tuple[str, str]]:
    return [("account", name_key(account)[:200]), ("address", (address or "-")[:100])]


def wait_seconds(db: sqlite_utils.Database, account: str, address: str, limits: Limits = Limits(),
                 now: float | None = None) -> int:
    """Seconds to wait before this account may be tried from this address again (0: go ahead)."""
    now = time.time() if now is None else now
    wait = 0.0
    for (kind, key), free in zip(_keys(account, address), (limits.account_free, limits.address_free)):
        count, last = db.execute("SELECT COUNT(*), MAX(at) FROM login_failures WHERE kind = ? AND key = ? "
                                 "AND at > ?", [kind, key, now - WINDOW]).fetchone()
        if count >= free:
            delay = min(limits.base_delay * 2 ** (count - free), limits.max_delay)
            wait = max(wait, last + delay - now)
    return math.ceil(wait) if wait > 0 else 0


def record_failure(db: sqlite_utils.Database, account: str, address: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with transaction(db):
        db.execute("DELETE FROM login_failures WHERE at <= ?", [now - WINDOW])
        for kind, key in _keys(account, address):
            db.execute("INSERT INTO login_failures (kind, key, at) VALUES (?, ?, ?)", [kind, key, now])


def record_success(db: sqlite_utils.Database, account: str) -> None:
    with transaction(db):
        db.execute("DELETE FROM login_failures WHERE kind = 'account' AND key = ?", [_keys(account, "")[0][1]])
