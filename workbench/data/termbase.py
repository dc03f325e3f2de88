"""Termbase queries: load, merge or replace glossaries, edit concepts, and stored term findings.

Every write runs in one transaction and bumps the termbase revision, which tells cached
checkers to rebuild.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import sqlite_utils

from workbench.data.db import transaction
from workbench.data.store import NotFound, now, rows_by_translation
from workbench.core.terms.model import Concept, GlossaryError, Term, check_glossary_name, validate


def revision(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT value FROM meta WHERE key = 'termbase_revision'").fetchone()[0])


def _bump(db: sqlite_utils.Database) -> None:
    db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'termbase_revision'")


def glossaries(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query(
        "SELECT g.name, g.source, g.created_at, (SELECT COUNT(*) FROM concepts c "
        "WHERE c.glossary = g.name) AS concepts FROM glossaries g ORDER BY g.name"))


def load_concepts(db: sqlite_utils.Database, glossary: str | None = None) -> list[Concept]:
    where, params = ("WHERE glossary = ?", [glossary]) if glossary else ("", [])
    concepts = {}
    for row in db.query(f"SELECT * FROM concepts {where} ORDER BY glossary, rowid", params):
        extra = json.loads(row["extra"]) if row.get("extra") else {}
        concepts[(row["glossary"], row["id"])] = Concept(
            row["id"], row["domain"], row["note"], row["source"], [], row["glossary"],
            definition=extra.get("definition"), subject=extra.get("subject"),
            language_info=extra.get("language_info") or {})
    for row in db.query(f"SELECT * FROM terms {where} ORDER BY id", params):
        extra = json.loads(row["extra"]) if row.get("extra") else {}
        concepts[(row["glossary"], row["concept_id"])].terms.append(
            Term(row["lang"], row["text"], row["status"], row["pos"], row["note"], **extra))
    return list(concepts.values())


def get_concept(db: sqlite_utils.Database, glossary: str, concept_id: str) -> Concept:
    found = [c for c in load_concepts(db, glossary) if c.id == concept_id]
    if not found:
        raise NotFound(f"concept {concept_id!r} is not in glossary {glossary!r}")
    return found[0]


def _concept_json(concept: Concept | None) -> str | None:
    if concept is None:
        return None
    data = asdict(concept)
    data.pop("glossary", None)
    data.pop("line", None)
    return json.dumps(data, ensure_ascii=False)


def _write_concept(db, glossary: str, concept: Concept) -> None:
    db.execute("DELETE FROM terms WHERE glossary = ? AND concept_id = ?", [glossary, concept.id])
    extra = concept.extra()
    db["concepts"].upsert({"glossary": glossary, "id": concept.id, "domain": concept.domain,
                           "note": concept.note, "source": concept.source,
                           "extra": json.dumps(extra, ensure_ascii=False) if extra else None}, pk=("glossary", "id"))
    db["terms"].insert_all(({"glossary": glossary, "concept_id": concept.id, "lang": t.lang,
                             "text": t.text, "status": t.status, "pos": t.pos, "note": t.note,
                             "extra": json.dumps(t.extra(), ensure_ascii=False) if t.extra() else None}
                            for t in concept.terms), columns={"extra": str})


def _log(db, glossary, concept_id, action, before, after, user) -> None:
    db["concept_history"].insert({"glossary": glossary, "concept_id": concept_id, "action": action,
                                  "before_json": _concept_json(before), "after_json": _concept_json(after),
                                  "changed_by": user, "changed_at": now()})


def import_concepts(db: sqlite_utils.Database, glossary: str, concepts: list[Concept], *,
                    replace: bool = False, source: str | None = None,
                    user: str | None = None, keep: set[str] | None = None) -> dict:
    """Merge concepts into a glossary by id (or replace the glossary, but for the ids in `keep`:
    entries an import skipped), all or nothing."""
    check_glossary_name(glossary)
    counts = {"glossary": glossary, "added": 0, "updated": 0, "unchanged": 0, "removed": 0}
    with transaction(db):
        if not list(db.query("SELECT name FROM glossaries WHERE name = ?", [glossary])):
            db["glossaries"].insert({"name": glossary, "source": source, "created_at": now()})
        existing = {c.id: c for c in load_concepts(db, glossary)}
        incoming = {c.id for c in concepts} | (keep or set())
        if replace:
            for concept_id, old in existing.items():
                if concept_id not in incoming:
                    db.execute("DELETE FROM concepts WHERE glossary = ? AND id = ?", [glossary, concept_id])
                    _log(db, glossary, concept_id, "delete", old, None, user)
                    counts["removed"] += 1
        for concept in concepts:
            old = existing.get(concept.id)
            if old is not None and old.key() == concept.key():
                counts["unchanged"] += 1
                continue
            _write_concept(db, glossary, concept)
            _log(db, glossary, concept.id, "import", old, concept, user)
            counts["added" if old is None else "updated"] += 1
        _bump(db)
    return counts


def save_concept(db: sqlite_utils.Database, glossary: str, concept: Concept, *,
                 user: str | None, original_id: str | None = None) -> None:
    """Create or change one concept (renaming it when original_id differs), validated like an import."""
    check_glossary_name(glossary)
    validate(concept, f"concept {concept.id!r}")
    with transaction(db):
        if not list(db.query("SELECT name FROM glossaries WHERE name = ?", [glossary])):
            db["glossaries"].insert({"name": glossary, "source": "edited in the workbench",
                                     "created_at": now()})
        before = None
        if concept.id != original_id and list(db.query(
                "SELECT id FROM concepts WHERE glossary = ? AND id = ?", [glossary, concept.id])):
            raise GlossaryError(f"concept {concept.id!r} exists already in glossary {glossary!r}; "
                                "choose another id or edit that concept")
        if original_id:
            before = get_concept(db, glossary, original_id)
            if original_id != concept.id:
                db.execute("DELETE FROM concepts WHERE glossary = ? AND id = ?", [glossary, original_id])
        _write_concept(db, glossary, concept)
        _log(db, glossary, concept.id, "edit" if before else "add", before, concept, user)
        _bump(db)


def delete_concept(db: sqlite_utils.Database, glossary: str, concept_id: str, *, user: str | None) -> None:
    with transaction(db):
        before = get_concept(db, glossary, concept_id)
        db.execute("DELETE FROM concepts WHERE glossary = ? AND id = ?", [glossary, concept_id])
        _log(db, glossary, concept_id, "delete", before, None, user)
        _bump(db)


def concept_history(db: sqlite_utils.Database, glossary: str, concept_id: str) -> list[dict]:
    return list(db.query("SELECT * FROM concept_history WHERE glossary = ? AND concept_id = ? "
                         "ORDER BY id DESC", [glossary, concept_id]))


def replace_findings(db: sqlite_utils.Database, translation_id: int, findings) -> None:
    db.conn.execute("DELETE FROM term_findings WHERE translation_id = ?", [translation_id])
    db.conn.executemany(
        "INSERT INTO term_findings (translation_id, glossary, concept, status, source_text, source_start, "
        "target_text, target_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(translation_id, f.glossary, f.concept, f.status, f.source, f.source_start, f.target, f.target_start)
         for f in findings])


def findings_for(db: sqlite_utils.Database, translation_ids: list[int]) -> dict[int, list[dict]]:
    return rows_by_translation(db, "term_findings", translation_ids, "source_start")


def glossary_exists(db: sqlite_utils.Database, glossary: str) -> bool:
    return db.execute("SELECT 1 FROM glossaries WHERE name = ?", [glossary]).fetchone() is not None


def concept_exists(db: sqlite_utils.Database, glossary: str, concept_id: str) -> bool:
    return db.execute("SELECT 1 FROM concepts WHERE glossary = ? AND id = ?", [glossary, concept_id]).fetchone() is not None


def name_latest_history(db: sqlite_utils.Database, action: str) -> None:
    """Give the newest concept history entry (just written, in the caller's transaction) another action."""
    db.execute("UPDATE concept_history SET action = ? WHERE id = (SELECT MAX(id) FROM concept_history)", [action])


def domain_homes(db: sqlite_utils.Database) -> dict[str, str]:
    """For each domain, the glossary holding most of its concepts."""
    return {row["domain"]: row["glossary"] for row in db.query(
        "SELECT domain, glossary, COUNT(*) AS n FROM concepts GROUP BY domain, glossary ORDER BY n")}


def all_translation_ids(db: sqlite_utils.Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM translations")]
