"""Concept suggestions: the rows behind services/suggestions.py."""

from __future__ import annotations

import sqlite_utils

from workbench.data.db import rows
from workbench.data.store import NotFound, now


def add(db: sqlite_utils.Database, values: dict) -> int:
    return db["concept_suggestions"].insert({**values, "created_at": now()}).last_pk


def get(db: sqlite_utils.Database, suggestion_id: int) -> dict:
    found = rows(db, "SELECT * FROM concept_suggestions WHERE id = ?", [suggestion_id])
    if not found:
        raise NotFound(f"suggestion {suggestion_id} does not exist")
    return found[0]


def listing(db: sqlite_utils.Database, status: str | None = None) -> list[dict]:
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    return rows(db, f"SELECT * FROM concept_suggestions {where} ORDER BY status != 'open', id DESC", params)


def set_decision(db: sqlite_utils.Database, suggestion_id: int, status: str, user: str, note: str | None) -> None:
    db["concept_suggestions"].update(suggestion_id, {"status": status, "decided_by": user, "decided_at": now(),
                                                     "decision_note": note or None})
