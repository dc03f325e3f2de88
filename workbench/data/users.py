"""Accounts and roles. Passwords are stored as werkzeug (scrypt) hashes only.

Names are unique without regard to case ("Admin" is "admin"), at most NAME_MAX characters of
letters, digits and . _ @ + -. Every session of a user carries the user's session generation;
`end_sessions` (on logout, a new password, disabling) bumps it, so copied cookies stop working.
"""

from __future__ import annotations

import functools
import os
import re

import sqlite_utils
from werkzeug.security import check_password_hash, generate_password_hash

from workbench.data.db import transaction
from workbench.core.errors import UserError
from workbench.data.store import now

ROLES = ("translator", "reviewer", "admin")
# What each role may do; a role has every right of the roles before it.
RIGHTS = {"translator": {"edit"}, "reviewer": {"edit", "approve"},
          "admin": {"edit", "approve", "admin"}}
NAME_MAX = 40
NAME = re.compile(r"[\w.@+-]+")
PASSWORD_MIN = 8
PUBLIC_COLUMNS = "id, name, role, created_at, session_generation, disabled_at"
# werkzeug's scrypt (n=2**15, r=8, p=1): about 0.1 s a hash, on purpose. Only the test suite sets
# WORKBENCH_PASSWORD_HASH (to a one-round pbkdf2) so that its hundreds of accounts and sign-ins cost
# nothing; a deployment leaves it unset.
PASSWORD_HASH = "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=os.environ.get("WORKBENCH_PASSWORD_HASH") or PASSWORD_HASH)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the account does not exist, so an unknown name costs as much as a known one."""
    return hash_password("not the password of any account")


def name_key(name: str) -> str:
    return name.strip().casefold()


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise UserError("a user needs a name")
    if len(name) > NAME_MAX:
        raise UserError(f"a user name has at most {NAME_MAX} characters")
    if not NAME.fullmatch(name):
        raise UserError(f"user name {name!r}: use letters, digits and . _ @ + - only")
    return name


def _check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise UserError(f"the password must have at least {PASSWORD_MIN} characters")
    if not password.strip():
        raise UserError("the password may not be only spaces")
    if len(password) > 1024:
        raise UserError("the password has more than 1024 characters")


def add_user(db: sqlite_utils.Database, name: str, password: str, role: str) -> dict:
    name = _check_name(name)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    _check_password(password)
    password_hash = hash_password(password)
    with transaction(db):
        existing = get_user(db, name)
        if existing:
            raise UserError(f"user {name!r} exists already"
                            + (f" (as {existing['name']!r})" if existing["name"] != name else ""))
        db["users"].insert({"name": name, "name_key": name_key(name), "password_hash": password_hash,
                            "role": role, "created_at": now()})
    return get_user(db, name)


def set_password(db: sqlite_utils.Database, name: str, password: str) -> None:
    """A new password; every session of the user ends."""
    _check_password(password)
    user = _require(db, name)
    with transaction(db):
        db.execute("UPDATE users SET password_hash = ?, session_generation = session_generation + 1 "
                   "WHERE id = ?", [hash_password(password), user["id"]])


def set_disabled(db: sqlite_utils.Database, name: str, disabled: bool) -> dict:
    """Disable (every session ends, sign-in refused) or enable an account."""
    user = _require(db, name)
    with transaction(db):
        db.execute("UPDATE users SET disabled_at = ?, session_generation = session_generation + 1 "
                   "WHERE id = ?", [now() if disabled else None, user["id"]])
    return get_user(db, user["name"])


def end_sessions(db: sqlite_utils.Database, user_id: int) -> None:
    with transaction(db):
        db.execute("UPDATE users SET session_generation = session_generation + 1 WHERE id = ?", [user_id])


def _require(db: sqlite_utils.Database, name: str) -> dict:
    user = get_user(db, name)
    if not user:
        raise UserError(f"no user {name!r}; `workbench users list` shows them")
    return user


def _rows(db: sqlite_utils.Database, columns: str, name: str) -> list[dict]:
    # An exact spelling first: an older instance may hold two spellings of one name.
    return list(db.query(f"SELECT {columns} FROM users WHERE name_key = ? OR name = ? "
                         "ORDER BY name = ? DESC, id LIMIT 1", [name_key(name), name.strip(), name.strip()]))


def get_user(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = _rows(db, PUBLIC_COLUMNS, name)
    return rows[0] if rows else None


def get_user_by_id(db: sqlite_utils.Database, user_id: int) -> dict | None:
    rows = list(db.query(f"SELECT {PUBLIC_COLUMNS} FROM users WHERE id = ?", [user_id]))
    return rows[0] if rows else None


def authenticate(db: sqlite_utils.Database, name: str, password: str) -> dict | None:
    """The account for this name and password, or None. Unknown and disabled accounts take
    as long as a wrong password: a hash is checked either way."""
    rows = _rows(db, "*", name) if len(name) <= 4 * NAME_MAX else []
    if not rows:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(rows[0]["password_hash"], password) or rows[0]["disabled_at"]:
        return None
    return get_user_by_id(db, rows[0]["id"])


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query(f"SELECT {PUBLIC_COLUMNS} FROM users ORDER BY name_key, id"))


def can(user: dict | None, right: str) -> bool:
    return bool(user) and not user.get("disabled_at") and right in RIGHTS.get(user["role"], set())
