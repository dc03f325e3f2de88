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

from workbench.data.db import transaction
from workbench.data.users import name_key

WINDOW = 3600.0  # seconds of failures that count


@dataclass(frozen=True)
class Limits:
    account_free: int = 5
    # High enough that one newsroom behind one address (NAT, a proxy) is not shut out by a
    # stranger's guesses against made-up names; each account still has its own limit.
    address_free: int = 100
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


def begin_attempt(db: sqlite_utils.Database, account: str, address: str, limits: Limits = Limits(),
                  now: float | None = None) -> tuple[int, list[int]]:
    """Check the limits and count this attempt as a failure in one write transaction: (seconds to
    wait, []) when refused, else (0, the ids of the rows recorded). Checked and counted apart, 40
    parallel guesses all passed the check before any failure was written (12 got through, not 5);
    a sign-in that succeeds takes its rows back (attempt_succeeded)."""
    now = time.time() if now is None else now
    with transaction(db):
        wait = wait_seconds(db, account, address, limits, now)
        if wait:
            return wait, []
        db.execute("DELETE FROM login_failures WHERE at <= ?", [now - WINDOW])
        return 0, [db.conn.execute("INSERT INTO login_failures (kind, key, at) VALUES (?, ?, ?)",
                                   [kind, key, now]).lastrowid for kind, key in _keys(account, address)]


def attempt_succeeded(db: sqlite_utils.Database, account: str, recorded: list[int]) -> None:
    """The attempt was right: its rows go, and so do the account's earlier failures."""
    with transaction(db):
        db.conn.executemany("DELETE FROM login_failures WHERE rowid = ?", [(i,) for i in recorded])
        db.execute("DELETE FROM login_failures WHERE kind = 'account' AND key = ?", [_keys(account, "")[0][1]])
