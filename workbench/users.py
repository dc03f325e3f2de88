"""Accounts and roles. Passwords are stored as werkzeug (scrypt) hashes only."""

from __future__ import annotations

import sqlite_utils
from werkzeug.security import check_password_hash, generate_password_hash

from .db import transaction
from .errors import UserError
from .store import now

ROLES = ("translator", "reviewer", "admin")
# What each role may do; a role has every right of the roles before it.
RIGHTS = {"translator": {"edit"}, "reviewer": {"edit", "approve"},
          "admin": {"edit", "approve", "admin"}}


def add_user(db: sqlite_utils.Database, name: str, password: str, role: str) -> dict:
    name = name.strip()
    if not name:
        raise UserError("a user needs a name")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    _check_password(password)
    if get_user(db, name):
        raise UserError(f"user {name!r} exists already")
    with transaction(db):
        db["users"].insert({"name": name, "password_hash": generate_password_hash(password),
                            "role": role, "created_at": now()})
    return get_user(db, name)


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise UserError("the password must have at least 8 characters")


def set_password(db: sqlite_utils.Database, name: str, password: str) -> None:
    _check_password(password)
    if not get_user(db, name):
        raise UserError(f"no user {name!r}; `workbench users list` shows them")
    with transaction(db):
        db.execute("UPDATE users SET password_hash = ? WHERE name = ?", [generate_password_hash(password), name])


def get_user(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = list(db.query("SELECT id, name, role, created_at FROM users WHERE name = ?", [name]))
    return rows[0] if rows else None


def authenticate(db: sqlite_utils.Database, name: str, password: str) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE name = ?", [name.strip()]))
    if rows and check_password_hash(rows[0]["password_hash"], password):
        return get_user(db, rows[0]["name"])
    return None


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT id, name, role, created_at FROM users ORDER BY name"))


def can(user: dict | None, right: str) -> bool:
    return bool(user) and right in RIGHTS.get(user["role"], set())
