"""The stored findings of translations: what services/findings.py computes, written and read here."""

from __future__ import annotations

import sqlite_utils

from workbench.data import termbase
from workbench.data.db import rows_for_ids, transaction


def sources_and_texts(db: sqlite_utils.Database, translation_ids: list[int]) -> list[dict]:
    """{id, lang, text, mt_text, status, alternatives, source} of these translations, for recomputing
    their findings."""
    return rows_for_ids(db, "SELECT t.id, t.lang, t.text, t.mt_text, t.status, t.alternatives, "
                        "s.text AS source FROM translations t "
                        "JOIN segments s ON s.id = t.segment_id WHERE t.id IN ({})", translation_ids)


def all_translation_ids(db: sqlite_utils.Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM translations")]


def store(db: sqlite_utils.Database, translation_id: int, terms, qa_found, pe_distance: float | None) -> None:
    """Replace one translation's term and QA findings (and its post-editing distance, when given)."""
    with transaction(db):
        termbase.replace_findings(db, translation_id, terms)
        db.conn.execute("DELETE FROM qa_findings WHERE translation_id = ?", [translation_id])
        db.conn.executemany(
            'INSERT INTO qa_findings (translation_id, "check", severity, message) VALUES (?, ?, ?, ?)',
            [(translation_id, f.check, f.severity, f.message) for f in qa_found])
        if pe_distance is not None:
            db.conn.execute("UPDATE translations SET pe_distance = ? WHERE id = ?", [pe_distance, translation_id])
