"""Keep each translation's stored findings current: computed when it is written, read by the editor.

Term findings, QA findings and the post-editing distance from the first MT draft (normalised
character-level Levenshtein, like HTER on characters) are all refreshed together.

The term checker is built once per termbase revision and database, then reused by every write.
"""

from __future__ import annotations

import json
import threading

import sqlite_utils
from rapidfuzz.distance import Levenshtein

from workbench.core import qa
from workbench.data import termbase as store_terms
from workbench.data import findings as stored
from workbench.data.db import db_key, transaction
from workbench.core.terms.check import TermChecker

_checkers: dict[str, tuple[int, TermChecker]] = {}
_lock = threading.Lock()


def checker(db: sqlite_utils.Database, glossary: str | None = None) -> TermChecker:
    """The checker for the current termbase (all glossaries, or one)."""
    revision = store_terms.revision(db)
    key = f"{db_key(db)}|{glossary or ''}"
    with _lock:
        cached = _checkers.get(key)
        if cached and cached[0] == revision:
            return cached[1]
    built = TermChecker(store_terms.load_concepts(db, glossary))
    with _lock:
        _checkers[key] = (revision, built)
    return built


def glossary_chooser(db: sqlite_utils.Database):
    """A jobs.Chooser that prefers the hypothesis with the most glossary terms right."""
    return checker(db).choose


def refresh(db: sqlite_utils.Database, translation_ids: list[int]) -> None:
    """Recompute and store the findings of these translations."""
    if not translation_ids:
        return
    term_checker = checker(db)
    with transaction(db):
        for row in stored.sources_and_texts(db, translation_ids):
            terms = term_checker.check(row["source"], row["text"], row["lang"]) if row["text"] else []
            distance = (Levenshtein.normalized_distance(row["mt_text"], row["text"])
                        if row["mt_text"] is not None else None)
            found = qa.check(row["source"], row["text"], row["lang"])
            if row["status"] == "mt_draft" and '"codes": "position"' in (row["alternatives"] or ""):
                found += qa.check_code_placement(row["text"], row["status"], json.loads(row["alternatives"]))
            stored.store(db, row["id"], terms, found, distance)


def refresh_all(db: sqlite_utils.Database) -> int:
    ids = stored.all_translation_ids(db)
    refresh(db, ids)
    return len(ids)
