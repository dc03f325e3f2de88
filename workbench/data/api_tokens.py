"""API tokens: created once and shown once, stored as a SHA-256 hash, listed, revoked.

A token belongs to an account (`owner_id`, a person's or a service account's user row) or, with no
owner, is a service token named by its name (as every token made before owners existed). A token's
role never exceeds its owner's: it is refused at creation, and a token acts with the lower of the
two if the owner's role is lowered later. Disabling the owner stops the token at once; a token may
carry an expiry; `last_used_at` is written at most once a minute per token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta, timezone

import sqlite_utils

from workbench.data.db import transaction
from workbench.core import hygiene
from workbench.core.errors import UserError
from workbench.data.store import now
from workbench.data.users import ROLES, get_user

PREFIX = "wbt_"
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_expiry(value: str | None) -> str | None:
    """"90" (days from now), or an ISO-8601 date or time (UTC unless it says otherwise) in the future;
    None or "" for a token that does not expire. Returns the UTC time as stored."""
    value = (value or "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d{1,5}", value):
        if int(value) < 1:
            raise UserError("a token's expiry in days is at least 1")
        moment = datetime.now(timezone.utc) + timedelta(days=int(value))
    else:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise UserError(f"expiry {value!r}: give days (e.g. 90) or an ISO-8601 date or time "
                            "(e.g. 2027-06-30 or 2027-06-30T18:00:00+04:00)") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        moment = moment.astimezone(timezone.utc)
        if moment <= datetime.now(timezone.utc):
            raise UserError(f"expiry {value!r} is in the past")
    return moment.isoformat(timespec="seconds")


def add_token(db: sqlite_utils.Database, name: str, role: str, user: str | None = None,
              owner: str | None = None, expires: str | None = None) -> dict:
    """A new token; the returned dict holds the token itself, which is never stored. `owner` names
    the account it belongs to (its role may not exceed the owner's); `expires` as parse_expiry."""
    name = name.strip()
    if not name:
        raise UserError("a token needs a name, e.g. `workbench tokens add cms --role translator`")
    hygiene.clean(name, "name", where="the token's name", multiline=False)  # it names the API's actor
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    expires_at = parse_expiry(expires)
    owner_row = None
    if owner and owner.strip():
        owner_row = get_user(db, owner)
        if owner_row is None:
            raise UserError(f"no user {owner!r} to own the token; `workbench users list` shows them")
        if owner_row["disabled_at"]:
            raise UserError(f"user {owner_row['name']!r} is disabled and may not own a token")
        if ROLES.index(role) > ROLES.index(owner_row["role"]):
            raise UserError(f"a token's role may not exceed its owner's: {owner_row['name']} is a "
                            f"{owner_row['role']}, the token asks for {role}")
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction(db):
        if db.execute("SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL", [name]).fetchone():
            raise UserError(f"a token named {name!r} exists already; revoke it first or choose another name")
        db["api_tokens"].insert({"name": name, "role": role, "token_hash": _hash(token),
                                 "prefix": token[:len(PREFIX) + 4], "created_at": now(), "created_by": user,
                                 "owner_id": owner_row["id"] if owner_row else None, "expires_at": expires_at})
    return {"name": name, "role": role, "token": token, "owner": owner_row["name"] if owner_row else None,
            "expires_at": expires_at}


def list_tokens(db: sqlite_utils.Database) -> list[dict]:
    """Every token, live ones first: owner (None: a service token), last use and expiry included."""
    return list(db.query(
        "SELECT t.name, t.role, t.prefix, t.created_at, t.created_by, t.last_used_at, t.revoked_at, "
        "u.name AS owner, t.expires_at, u.disabled_at AS owner_disabled_at "
        "FROM api_tokens t LEFT JOIN users u ON u.id = t.owner_id "
        "ORDER BY t.revoked_at IS NOT NULL, t.name, t.id"))


def revoke_token(db: sqlite_utils.Database, name: str) -> None:
    with transaction(db):
        cursor = db.execute("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                            [now(), name])
        if cursor.rowcount == 0:
            raise UserError(f"no live token named {name!r}; `workbench tokens list` shows them")


def check(db: sqlite_utils.Database, token: str) -> tuple[dict | None, str]:
    """(the token's row: id, name, role, owner; or None, why it is refused). The role is the lower
    of the token's and its owner's. Compared by hash, not by text."""
    if not token.startswith(PREFIX):
        return None, "This token is unknown or was revoked."
    rows = list(db.query(
        "SELECT t.id, t.name, t.role, t.expires_at, t.last_used_at, u.name AS owner, u.role AS owner_role, "
        "t.owner_id, u.id AS user_id, u.disabled_at AS owner_disabled_at FROM api_tokens t "
        "LEFT JOIN users u ON u.id = t.owner_id WHERE t.token_hash = ? AND t.revoked_at IS NULL", [_hash(token)]))
    if not rows:
        return None, "This token is unknown or was revoked."
    row = rows[0]
    stamp = now()
    if row["expires_at"] and row["expires_at"] <= stamp:
        return None, f"This token expired at {row['expires_at']}; an admin makes a new one."
    if row["owner_id"] is not None and (row["user_id"] is None or row["owner_disabled_at"]):
        return None, f"This token's owner ({row['owner'] or 'a removed account'}) is disabled; so is the token."
    if row["owner_role"] and ROLES.index(row["owner_role"]) < ROLES.index(row["role"]):
        row["role"] = row["owner_role"]
    if row["last_used_at"] is None or (datetime.fromisoformat(stamp) - datetime.fromisoformat(row["last_used_at"])
                                       >= LAST_USED_EVERY):
        with transaction(db):
            db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [stamp, row["id"]])
    return {key: row[key] for key in ("id", "name", "role", "owner")}, ""


def authenticate(db: sqlite_utils.Database, token: str) -> dict | None:
    """The token's row (id, name, role, owner) when it may be used, else None."""
    return check(db, token)[0]
