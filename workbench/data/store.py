"""Every query the app and the CLI need, as plain functions over a sqlite_utils Database.

Writes happen inside `transaction(db)` (db.py): one transaction each, so a failure or an interrupt leaves
the database as it was before the call.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlite_utils

from workbench.core.counts import words
from workbench.data.db import insert, rows, rows_for_ids, transaction, update
from workbench.core.errors import UserError
from workbench.core.segment import Segmentation, source_key

STATUSES = ("untranslated", "mt_draft", "edited", "approved", "source_changed", "needs_review")
STATUS_LABELS = {"untranslated": "untranslated", "mt_draft": "MT draft", "edited": "edited",
                 "approved": "approved", "source_changed": "source changed",
                 "needs_review": "needs review"}
# "source changed": the article's new version edited this segment's source; the old translation
# waits as a draft (services/story_versions.py). It counts as not done, like untranslated.


class NotFound(UserError):
    status = 404

    """A requested article, segment or translation does not exist."""


class VersionConflict(UserError):
    status = 409

    """A save based on an older version than the one stored; carries the stored row."""

    def __init__(self, current: dict):
        super().__init__(f"segment was changed by {current.get('updated_by') or 'someone'} "
                         f"(now version {current['version']})")
        self.current = current


class ExternalIdExists(Exception):
    """Another article holds this external_id (the unique index refused the insert)."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- articles --------------------------------------------------------------------------------

def create_article(db: sqlite_utils.Database, *, title: str, byline: str | None, filename: str | None,
                   fmt: str, segmentation: Segmentation, user: str | None = None,
                   external_id: str | None = None) -> int:
    """A new article at version 1; ExternalIdExists when another article holds `external_id`."""
    stamp = now()
    with transaction(db):
        try:
            article_id = db["articles"].insert({
                "title": title, "byline": byline, "filename": filename, "format": fmt,
                "source_lang": "en", "source_text": segmentation.source, "created_at": stamp,
                "created_by": user, "version": 1, "external_id": external_id,
            }).last_pk
        except sqlite3.IntegrityError as err:
            if external_id is not None and "articles.external_id" in str(err):
                raise ExternalIdExists(external_id) from err
            raise
        db["article_versions"].insert({
            "article_id": article_id, "version": 1, "title": title, "source_text": segmentation.source,
            "kept": len(segmentation.segments), "created_at": stamp, "created_by": user})
        db["paragraphs"].insert_all(paragraph_row(article_id, p) for p in segmentation.paragraphs)
        db["segments"].insert_all(
            {"article_id": article_id, "paragraph_idx": s.paragraph, "idx": s.index,
             "start": s.start, "end": s.end, **segment_text_columns(s.text)}
            for s in segmentation.segments)
    return article_id


def paragraph_row(article_id: int, p) -> dict:
    """A paragraph (a block of the document) as its row: kind, level, attributes, inline codes."""
    return {"article_id": article_id, "idx": p.index, "start": p.start, "end": p.end, "kind": p.kind,
            "level": p.level or None, "attrs": json.dumps(p.attrs, ensure_ascii=False) if p.attrs else None,
            "codes": json.dumps(p.codes, ensure_ascii=False) if p.codes else None, "ref": p.ref}


def put_original(db: sqlite_utils.Database, article_id: int, version: int, fmt: str, name: str | None,
                 data: bytes) -> None:
    """The file a version was imported from: the skeleton its export fills with translations."""
    db["article_files"].insert({"article_id": article_id, "version": version, "format": fmt, "name": name,
                                "data": data}, replace=True)


def original(db: sqlite_utils.Database, article_id: int) -> dict | None:
    """The latest version's original file ({format, name, data, version}), None when it has none
    (a text import, or a version stored before files were kept)."""
    found = rows(db, "SELECT f.format, f.name, f.data, f.version FROM article_files f "
                     "JOIN articles a ON a.id = f.article_id AND a.version = f.version WHERE f.article_id = ?",
                 [article_id])
    return found[0] if found else None


def segment_text_columns(text: str) -> dict:
    """A segment's text with the columns derived from it (every write of segments.text uses it)."""
    return {"text": text, "source_key": source_key(text), "words": words(text)}


def get_article(db: sqlite_utils.Database, article_id: int) -> dict:
    found = rows(db, "SELECT * FROM articles WHERE id = ?", [article_id])
    if not found:
        raise NotFound(f"article {article_id} does not exist")
    return found[0]


def list_articles(db: sqlite_utils.Database, *, archived: bool = False) -> list[dict]:
    """The articles, newest first: those not archived (or, with `archived`, only the archived ones)."""
    return list(db.query(
        "SELECT a.id, a.title, a.byline, a.filename, a.created_at, a.version, a.archived_at, "
        "(SELECT COUNT(*) FROM segments s WHERE s.article_id = a.id) AS segments "
        f"FROM articles a WHERE a.archived_at IS {'NOT ' if archived else ''}NULL ORDER BY a.id DESC"))


def paragraphs(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    """The article's paragraphs (blocks) in order, attrs and codes decoded."""
    found = list(db.query('SELECT idx, start, "end", kind, level, attrs, codes, ref FROM paragraphs '
                          "WHERE article_id = ? ORDER BY idx", [article_id]))
    for row in found:
        row["level"] = row["level"] or 0
        row["attrs"] = json.loads(row["attrs"]) if row["attrs"] else {}
        row["codes"] = json.loads(row["codes"]) if row["codes"] else {}
    return found


def paragraph_codes(db: sqlite_utils.Database, article_id: int, paragraph_idxs: list[int] | None = None
                    ) -> dict[int, dict]:
    """{paragraph idx: its inline codes {n: mark dict}} of the article (or of these paragraphs),
    for paragraphs that have codes."""
    sql, params = "SELECT idx, codes FROM paragraphs WHERE article_id = ? AND codes IS NOT NULL AND codes NOT IN ('', '{}')", [article_id]
    if paragraph_idxs is not None:
        if not paragraph_idxs:
            return {}
        sql += f" AND idx IN ({','.join('?' * len(paragraph_idxs))})"
        params += list(paragraph_idxs)
    return {row["idx"]: json.loads(row["codes"]) for row in db.query(sql, params)}


def segments(db: sqlite_utils.Database, article_id: int) -> list[dict]:
    return rows(db, 'SELECT id, paragraph_idx, idx, start, "end", text, changed_in, previous_text '
                "FROM segments WHERE article_id = ? ORDER BY idx", [article_id])


def write_probe(db: sqlite_utils.Database) -> None:
    """One row written in one transaction: bench/web_latency.py's floor for a save."""
    with transaction(db):
        db.execute("INSERT INTO meta (key, value) VALUES ('bench_write', ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [now()])


def segment_ids_by_number(db: sqlite_utils.Database, article_ids: list[int]) -> dict[tuple[int, int], int]:
    """{(article id, segment number from 1): segment id} for these articles."""
    return {(row["article_id"], row["idx"] + 1): row["id"] for row in rows_for_ids(
        db, "SELECT id, article_id, idx FROM segments WHERE article_id IN ({})", article_ids)}


def get_segment(db: sqlite_utils.Database, article_id: int, segment_id: int) -> dict:
    found = rows(db, 'SELECT id, paragraph_idx, idx, start, "end", text, changed_in, previous_text '
                 "FROM segments WHERE id = ? AND article_id = ?", [segment_id, article_id])
    if not found:
        raise NotFound(f"segment {segment_id} is not in article {article_id}")
    return found[0]


# An article's translations, read from its segments (CROSS JOIN fixes that loop order: without
# statistics SQLite chose to scan every translation of the language, 20 ms per save when the
# instance held a 50,000-segment article).
ARTICLE_TRANSLATIONS = "segments s CROSS JOIN translations t ON t.segment_id = s.id"


def article_translations(db: sqlite_utils.Database, article_id: int, lang: str) -> dict[int, dict]:
    """The translations of an article into `lang`, keyed by segment id."""
    return {row["segment_id"]: _decode(row) for row in rows(
        db, f"SELECT t.* FROM {ARTICLE_TRANSLATIONS} WHERE s.article_id = ? AND t.lang = ?", [article_id, lang])}


def progress(db: sqlite_utils.Database, article_id: int, lang: str) -> dict[str, int]:
    """Segments per status for one article and language; missing rows count as untranslated."""
    total = db.execute("SELECT COUNT(*) FROM segments WHERE article_id = ?", [article_id]).fetchone()[0]
    return status_counts(db, article_id, lang, total)[0]


def status_counts(db: sqlite_utils.Database, article_id: int, lang: str,
                  total: int) -> tuple[dict[str, int], dict[str, int]]:
    """progress() for an article of `total` segments, and its translation's {"words", "chars"}
    (summed from the stored counts in the same pass)."""
    counts, words, chars = dict.fromkeys(STATUSES, 0), 0, 0
    for status, count, status_words, status_chars in db.conn.execute(
            "SELECT t.status, COUNT(*), COALESCE(SUM(t.words), 0), COALESCE(SUM(length(t.text)), 0) "
            f"FROM {ARTICLE_TRANSLATIONS} WHERE s.article_id = ? AND t.lang = ? GROUP BY t.status",
            [article_id, lang]):
        counts[status] = count
        words, chars = words + status_words, chars + status_chars
    counts["untranslated"] = total - sum(counts[s] for s in STATUSES[1:])
    counts["total"] = total
    return counts, {"words": words, "chars": chars}


# --- translations ----------------------------------------------------------------------------

def _decode(row: dict) -> dict:
    row = dict(row)
    row["alternatives"] = json.loads(row.get("alternatives") or "[]")
    return row


def get_translation(db: sqlite_utils.Database, segment_id: int, lang: str) -> dict | None:
    found = rows(db, "SELECT * FROM translations WHERE segment_id = ? AND lang = ?", [segment_id, lang])
    return _decode(found[0]) if found else None


def pending_segments(db: sqlite_utils.Database, lang: str, article_ids: list[int] | None = None,
                     force: bool = False, segment_ids: list[int] | None = None) -> list[dict]:
    """Segments that need MT into `lang`: none yet, or (with force) only a machine draft.

    `segment_ids` narrows the question to those segments (a bulk job re-asks before each chunk)."""
    statuses = ["untranslated", "mt_draft"] if force else ["untranslated"]
    sql = ("SELECT s.id, s.article_id, s.idx, s.text FROM segments s "
           "LEFT JOIN translations t ON t.segment_id = s.id AND t.lang = ? "
           f"WHERE (t.id IS NULL OR t.status IN ({','.join('?' * len(statuses))}))")
    params: list = [lang, *statuses]
    if article_ids:
        sql += f" AND s.article_id IN ({','.join('?' * len(article_ids))})"
        params += article_ids
    if segment_ids is not None:
        sql += f" AND s.id IN ({','.join('?' * len(segment_ids))})"
        params += segment_ids
    return list(db.query(sql + " ORDER BY s.article_id, s.idx", params))


@dataclass
class Draft:
    """A machine translation for one segment, ready to store."""
    segment_id: int
    text: str
    origin: str
    alternatives: list[dict]
    choice_note: str | None = None


def drafts_still_current(db: sqlite_utils.Database, drafts: list[Draft], sources: dict[int, str]) -> list[Draft]:
    """The drafts whose segment still has the source text each was made from."""
    ids = [d.segment_id for d in drafts]
    current = dict(db.execute(f"SELECT id, text FROM segments WHERE id IN ({','.join('?' * len(ids))})",
                              ids).fetchall()) if ids else {}
    return [d for d in drafts if current.get(d.segment_id) == sources.get(d.segment_id)]


def segment_exists(db: sqlite_utils.Database, segment_id: int) -> bool:
    return db.execute("SELECT 1 FROM segments WHERE id = ?", [segment_id]).fetchone() is not None


def segment_row(db: sqlite_utils.Database, segment_id: int) -> dict:
    """One segment by id alone (with its article id), or NotFound."""
    found = rows(db, 'SELECT id, article_id, paragraph_idx, idx, start, "end", text, changed_in, previous_text '
                 "FROM segments WHERE id = ?", [segment_id])
    if not found:
        raise NotFound(f"segment {segment_id} does not exist")
    return found[0]


def segment_by_number(db: sqlite_utils.Database, article_id: int, number: int) -> dict:
    """The segment numbered `number` (from 1, as in the editor) of an article, or NotFound."""
    found = rows(db, 'SELECT id, article_id, paragraph_idx, idx, start, "end", text, changed_in, previous_text '
                 "FROM segments WHERE article_id = ? AND idx = ?", [article_id, number - 1])
    if not found:
        raise NotFound(f"article {article_id} has no segment {number}")
    return found[0]


def check_version(current: dict | None, base_version: int | None) -> None:
    """VersionConflict unless `base_version` is the stored version (0: no translation yet)."""
    stored_version = current["version"] if current else 0
    if (base_version or 0) != stored_version:
        raise VersionConflict(current or {"version": 0, "text": "", "updated_by": None})


def save_translation(db: sqlite_utils.Database, segment_id: int, lang: str, text: str, *,
                     base_version: int | None, user: str | None, status: str = "edited",
                     note: str | None = None, origin: str | None = None) -> dict:
    """The row and history write of a save, refused with VersionConflict when `base_version` is not
    the stored one. Nothing else: findings, the memory, repetitions and events are the service's
    (services/translations.py), which every front end calls."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    with transaction(db):
        segment_row(db, segment_id)
        current = get_translation(db, segment_id, lang)
        check_version(current, base_version)
        if current and current["text"] == text and current["status"] == status:
            return current
        # A person's own save: the row no longer follows a repetition (repetitions.py).
        put_translation(db, segment_id, lang, current, text=text, status=status,
                        origin=origin or (current or {}).get("origin") or "human", user=user, note=note,
                        extra={"follows": None})
        # Read inside the transaction: what this call wrote, never a later save by someone else.
        return get_translation(db, segment_id, lang)


def put_translation(db, segment_id, lang, current, *, text, status, origin, user, note=None, mt_text=None,
                    alternatives=None, choice_note=None, extra: dict | None = None) -> int:
    """Insert or update one translation row and record the change in the history; returns the row's id.

    Only the row and its history: the caller (services/translations.py) refreshes findings, adds to
    the memory and records events. `extra` holds further columns to set (such as `follows`)."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    stamp = now()
    with transaction(db):
        if current is None:
            translation_id = insert(db, "translations", {
                "segment_id": segment_id, "lang": lang, "text": text, "words": words(text), "status": status,
                "origin": origin, "mt_text": mt_text, "alternatives": json.dumps(alternatives or [],
                                                                                 ensure_ascii=False),
                "choice_note": choice_note, "version": 1, "updated_at": stamp, "updated_by": user,
                **(extra or {}),
            })
            version, before_text, before_status = 1, None, None
        else:
            translation_id, version = current["id"], current["version"] + 1
            before_text, before_status = current["text"], current["status"]
            changes = {"text": text, "words": words(text), "status": status, "origin": origin,
                       "version": version, "updated_at": stamp, "updated_by": user, **(extra or {})}
            if mt_text is not None:
                changes.update(mt_text=mt_text, choice_note=choice_note,
                               alternatives=json.dumps(alternatives or [], ensure_ascii=False))
            update(db, "translations", translation_id, changes)
        insert(db, "history", {
            "translation_id": translation_id, "version": version, "before_text": before_text,
            "after_text": text, "before_status": before_status, "after_status": status,
            "origin": origin, "changed_by": user, "changed_at": stamp, "note": note,
            "follows": (extra or {}).get("follows", (current or {}).get("follows")),
        })
    return translation_id


def history_entries(db: sqlite_utils.Database, translation_id: int, versions: list[int]) -> dict[int, dict]:
    """The history rows of one translation for these versions, keyed by version."""
    if not versions:
        return {}
    return {row["version"]: row for row in rows(
        db, "SELECT * FROM history WHERE translation_id = ? "
        f"AND version IN ({','.join('?' * len(versions))})", [translation_id, *versions])}


def removed_since(db: sqlite_utils.Database, article_id: int, source: str, version: int) -> bool:
    """Whether a segment with this source was removed from the article after `version`."""
    return bool(db.execute("SELECT 1 FROM removed_segments WHERE article_id = ? AND text = ? AND removed_in > ?",
                           [article_id, source, version]).fetchone())


# --- repetitions -----------------------------------------------------------------------------

def copies(db: sqlite_utils.Database, segment: dict, article_id: int) -> list[dict]:
    """The other segments of the article with the same source text (whitespace aside)."""
    return rows(db, "SELECT id, idx, text FROM segments WHERE article_id = ? AND source_key = ? AND id != ? "
                "ORDER BY idx", [article_id, source_key(segment["text"]), segment["id"]])


def repetition_members(db: sqlite_utils.Database, article_id: int, segment_ids: list[int]) -> dict[int, dict]:
    """The segments of the article sharing a source with any of `segment_ids` (those included)."""
    return {row["id"]: row for row in rows_for_ids(
        db, "SELECT id, idx, text FROM segments WHERE article_id = ? AND source_key IN "
        "(SELECT source_key FROM segments WHERE id IN ({}))", segment_ids, [article_id])}


def segments_by_id(db: sqlite_utils.Database, segment_ids: list[int]) -> dict[int, dict]:
    return {row["id"]: row for row in rows_for_ids(
        db, "SELECT id, idx, text FROM segments WHERE id IN ({})", segment_ids)}


def repetition_translations(db: sqlite_utils.Database, lang: str, segment_ids: list[int]) -> dict[int, dict]:
    """segment id -> {segment_id, text, status, follows} of these segments' translations into `lang`."""
    return {row["segment_id"]: row for row in rows_for_ids(
        db, "SELECT segment_id, text, status, follows FROM translations WHERE lang = ? AND segment_id IN ({})",
        segment_ids, [lang])}


def history(db: sqlite_utils.Database, segment_id: int, lang: str) -> list[dict]:
    return rows(db, "SELECT h.* FROM history h JOIN translations t ON t.id = h.translation_id "
                "WHERE t.segment_id = ? AND t.lang = ? ORDER BY h.version DESC", [segment_id, lang])


def changed_after_approval(db: sqlite_utils.Database, article_id: int, lang: str,
                           segment_ids: list[int] | None = None) -> set[int]:
    """Segment ids of the article (or of `segment_ids`) approved once and not approved now."""
    sql = (f"SELECT DISTINCT t.segment_id FROM {ARTICLE_TRANSLATIONS} JOIN history h ON h.translation_id = t.id "
           "WHERE s.article_id = ? AND t.lang = ? AND t.status != 'approved' AND h.after_status = 'approved'")
    params: list = [article_id, lang]
    if segment_ids:
        sql += f" AND t.segment_id IN ({','.join('?' * len(segment_ids))})"
        params += segment_ids
    return {row[0] for row in db.execute(sql, params)}


def rows_by_translation(db: sqlite_utils.Database, table: str, translation_ids: list[int],
                        order_by: str) -> dict[int, list[dict]]:
    """The rows of a findings table for these translations, grouped by translation id."""
    out: dict[int, list[dict]] = {i: [] for i in translation_ids}
    for row in rows_for_ids(db, f"SELECT * FROM {table} WHERE translation_id IN ({{}}) ORDER BY {order_by}",
                            translation_ids):
        out[row["translation_id"]].append(row)
    return out


def qa_findings(db: sqlite_utils.Database, translation_ids: list[int]) -> dict[int, list[dict]]:
    return rows_by_translation(db, "qa_findings", translation_ids, "id")
