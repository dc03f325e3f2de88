"""The history rows per-person figures are computed from (services/figures.py holds the rules)."""

from __future__ import annotations

import sqlite_utils

from workbench.data.db import rows


def saves(db: sqlite_utils.Database, start: str, end: str, person: str | None = None) -> list[dict]:
    """People's saves (not machine drafts) changed in [start, end), oldest first, with the
    translation's machine text: id, translation_id, lang, before/after text and status, origin,
    changed_by, changed_at, mt_text."""
    sql = ("SELECT h.id, h.translation_id, t.lang, h.before_text, h.after_text, h.before_status, h.after_status, "
           "h.origin, h.changed_by, h.changed_at, t.mt_text FROM history h JOIN translations t ON t.id = h.translation_id "
           "WHERE h.changed_at >= ? AND h.changed_at < ? AND h.changed_by IS NOT NULL "
           "AND h.after_status <> 'mt_draft' AND h.changed_by NOT LIKE 'mt:%' AND h.changed_by NOT LIKE 'job %'")
    params: list = [start, end]
    if person is not None:
        sql += " AND h.changed_by = ?"
        params.append(person)
    return rows(db, sql + " ORDER BY h.id", params)
