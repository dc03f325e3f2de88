"""API tokens: created once and shown once, stored as a SHA-256 hash, listed, revoked."""

from __future__ import annotations

import hashlib
import secrets

import sqlite_utils

from workbench.data.db import transaction
from workbench.core.errors import UserError
from workbench.data.store import now
from workbench.data.users import ROLES

PREFIX = "wbt_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_token(db: sqlite_utils.Database, name: str, role: str, user: str | None = None) -> dict:
    """A new token; the returned dict holds the token itself, which is never stored."""
    name = name.strip()
    if not name:
        raise UserError("a token needs a name, e.g. `workbench tokens add cms --role translator`")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction(db):
        if db.execute("SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL", [name]).fetchone():
            raise UserError(f"a token named {name!r} exists already; revoke it first or choose another name")
        db["api_tokens"].insert({"name": name, "role": role, "token_hash": _hash(token),
                                 "prefix": token[:len(PREFIX) + 4], "created_at": now(), "created_by": user})
    return {"name": name, "role": role, "token": token}


def list_tokens(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT name, role, prefix, created_at, created_by, last_used_at, revoked_at "
                         "FROM api_tokens ORDER BY revoked_at IS NOT NULL, name, id"))


def revoke_token(db: sqlite_utils.Database, name: str) -> None:
    with transaction(db):
        cursor = db.execute("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                            [now(), name])
        if cursor.rowcount == 0:
            raise UserError(f"no live token named {name!r}; `workbench tokens list` shows them")


def authenticate(db: sqlite_utils.Database, token: str) -> dict | None:
    """The token's row (name, role) when it is live, else None. Compared by hash, not by text."""
    if not token.startswith(PREFIX):
        return None
    rows = list(db.query("SELECT id, name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                         [_hash(token)]))
    if not rows:
        return None
    with transaction(db):
        db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [now(), rows[0]["id"]])
    return rows[0]
