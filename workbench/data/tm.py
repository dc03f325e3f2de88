"""Translation memory: approved translations come back as exact drafts and fuzzy suggestions.

Exact matches ignore only whitespace differences. Fuzzy candidates come from the SQLite FTS5
index (the sentence's rarest words, best bm25 first), then rapidfuzz scores the few candidates,
so a lookup never scans the memory in Python.
"""

from __future__ import annotations

import contextlib
import json
import re

import sqlite_utils
from rapidfuzz import fuzz

from workbench.data.db import transaction
from workbench.core import codes
from workbench.core.segment import source_key
from workbench.data.store import now
from workbench.core.highlight import word_diff

FTS_WORD = re.compile(r"[^\W_]{2,}")
CANDIDATES = 40
# Words are taken rarest first until their postings add up to this: the FTS work per lookup stays
# bounded however large the memory grows, and rare words are the ones that find similar sentences.
POSTINGS_BUDGET = 10_000


def units_per_language(db: sqlite_utils.Database) -> list[dict]:
    """[{"target_lang", "units"}] of the memory, by language."""
    return list(db.query("SELECT target_lang, COUNT(*) AS units FROM tm_units GROUP BY target_lang "
                         "ORDER BY target_lang"))


def add_unit(db: sqlite_utils.Database, source: str, target: str, target_lang: str, *,
             source_lang: str = "en", article_id: int | None = None, user: str | None = None,
             created_at: str | None = None) -> None:
    """Store (or replace) the workbench's translation of `source` into `target_lang`. Units a TMX
    import brought (`meta` set) stay beside it as other translations of the source, but for one
    with this very translation, which the approved unit replaces."""
    key = source_key(source)
    with transaction(db):
        db.execute("DELETE FROM tm_units WHERE target_lang = ? AND source_key = ? AND (meta IS NULL OR target = ?)",
                   [target_lang, key, target])
        db["tm_units"].insert({"source_lang": source_lang, "target_lang": target_lang, "source": source,
                               "target": target, "source_key": key, "article_id": article_id,
                               "created_by": user, "created_at": created_at or now()})


FTS_INSERT_TRIGGER = ("CREATE TRIGGER tm_units_ai AFTER INSERT ON tm_units BEGIN "
                      "INSERT INTO tm_units_fts(rowid, source) VALUES (new.id, new.source); END")


@contextlib.contextmanager
def bulk_insert(db: sqlite_utils.Database):
    """Inside the caller's transaction: the rows inserted meanwhile are added to the full-text
    index in one statement at the end instead of one trigger run each (twice as fast for a big
    TMX). The trigger is back before the transaction commits, and a rollback restores it too."""
    if not db.conn.in_transaction:
        raise RuntimeError("bulk_insert needs the caller's transaction")
    last = db.execute("SELECT COALESCE(MAX(id), 0) FROM tm_units").fetchone()[0]
    db.execute("DROP TRIGGER tm_units_ai")
    yield
    db.execute("INSERT INTO tm_units_fts(rowid, source) SELECT id, source FROM tm_units WHERE id > ?", [last])
    db.execute(FTS_INSERT_TRIGGER)


def add_imported(db: sqlite_utils.Database, unit: dict) -> bool:
    """Store an imported unit unless an identical one (language, source, translation) is stored:
    True when stored, False when it merged into that one. A different translation of the same
    source is another unit. The caller holds the transaction."""
    cursor = db.conn.execute(
        "INSERT OR IGNORE INTO tm_units (source_lang, target_lang, source, target, source_key, created_by, "
        "created_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [unit["source_lang"], unit["target_lang"], unit["source"], unit["target"], source_key(unit["source"]),
         unit.get("created_by"), unit.get("created_at") or now(),
         json.dumps(unit["meta"], ensure_ascii=False) if unit.get("meta") else None])
    return cursor.rowcount == 1


def add_orphan(db: sqlite_utils.Database, source: str, target: str, target_lang: str, *,
               status: str, article_id: int | None = None, user: str | None = None) -> None:
    """Offer the translation of a segment a new article version removed (an orphan, as OmegaT
    calls it) as a fuzzy match; it never replaces a unit, and never becomes an exact draft.

    The memory holds approved work only: a removed segment's translation becomes an orphan only
    if its `status` was "approved" (an MT draft or an unreviewed edit is not offered)."""
    if status != "approved" or not target:
        return
    if db.execute("SELECT 1 FROM tm_units WHERE target_lang = ? AND source_key = ?",
                  [target_lang, source_key(source)]).fetchone():
        return
    with transaction(db):
        db["tm_units"].insert({"source_lang": "en", "target_lang": target_lang, "source": source,
                               "target": target, "source_key": source_key(source),
                               "article_id": article_id, "created_by": user, "created_at": now(),
                               "orphan": 1})


def target_for(unit: dict, source: str) -> str:
    """A unit's target put to use for `source`: its inline codes made those of `source` (a unit
    whose source has the same codes in the same order, the same sentence with other markup ids,
    gets them renumbered: codes.renumber); codes that fit nothing here are left out, so a match
    never brings in another paragraph's markup (QA names what is then missing)."""
    target = unit["target"]
    if not codes.has_codes(target) and not codes.has_codes(source):
        return target
    moved = codes.renumber(target, unit["source"], source)
    return moved if moved is not None else codes.plain(target)


def exact(db: sqlite_utils.Database, source: str, target_lang: str) -> dict | None:
    """An approved unit for exactly this source (orphans are only offered, never taken)."""
    rows = list(db.query("SELECT * FROM tm_units WHERE target_lang = ? AND source_key = ? AND orphan = 0 "
                         "ORDER BY id DESC LIMIT 1", [target_lang, source_key(source)]))
    return _with_meta(rows[0]) if rows else None


def fuzzy(db: sqlite_utils.Database, source: str, target_lang: str, *, limit: int = 5,
          threshold: float = 60.0) -> list[dict]:
    """The best TM matches above `threshold` (0-100), with a word diff against `source`."""
    words = _rarest_words(db, source)
    if not words:
        return []
    query = " OR ".join(f'"{w}"' for w in words)
    rows = list(db.query(
        "SELECT u.* FROM tm_units_fts f JOIN tm_units u ON u.id = f.rowid "
        "WHERE tm_units_fts MATCH ? AND u.target_lang = ? ORDER BY bm25(tm_units_fts) LIMIT ?",
        [query, target_lang, CANDIDATES]))
    key = source_key(source)
    scored = []
    for row in rows:
        score = fuzz.ratio(key, row["source_key"])
        if score >= threshold:
            scored.append({**_with_meta(row), "score": round(score, 1), "diff": word_diff(row["source"], source)})
    scored.sort(key=lambda r: -r["score"])
    return scored[:limit]


def _rarest_words(db: sqlite_utils.Database, source: str) -> list[str]:
    words = sorted({w.lower() for w in FTS_WORD.findall(source)})
    if not words:
        return []
    frequency = dict(db.execute(
        f"SELECT term, doc FROM tm_units_vocab WHERE term IN ({','.join('?' * len(words))})", words).fetchall())
    chosen, postings = [], 0
    for word in sorted((w for w in words if w in frequency), key=frequency.get):
        if postings + frequency[word] > POSTINGS_BUDGET and (chosen or frequency[word] > 3 * POSTINGS_BUDGET):
            break  # a sentence made only of very common words finds nothing close by them alone
        chosen.append(word)
        postings += frequency[word]
    return chosen


def units(db: sqlite_utils.Database, target_lang: str | None = None) -> list[dict]:
    """The approved units (orphans stay out of TMX exports)."""
    where, params = ("AND target_lang = ?", [target_lang]) if target_lang else ("", [])
    return [_with_meta(row) for row in db.query(f"SELECT * FROM tm_units WHERE orphan = 0 {where} ORDER BY id",
                                                 params)]


def _with_meta(row: dict) -> dict:
    """The row with `meta` read (an imported unit's TMX metadata; {} for the workbench's own)."""
    meta = row.get("meta")
    return {**row, "meta": json.loads(meta) if meta else {}}


def delete_for_article(db: sqlite_utils.Database, article_id: int) -> int:
    """Drop the memory units an article's approvals made (a deletion that takes its memory along)."""
    ids = [row[0] for row in db.execute("SELECT id FROM tm_units WHERE article_id = ?", [article_id])]
    for unit_id in ids:
        db["tm_units"].delete(unit_id)
    return len(ids)
