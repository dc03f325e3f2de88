"""Which segments one page of the editor shows, read for that page only.

The filters ("only segments with findings", "not approved", "changed") and the page arithmetic
run in SQL over segment ids; segments, translations and findings are then read for the page's
segments alone. Building every segment of a 50,000-segment article (with its glossary
highlighting) to show 200 of them took 4.6 s a page.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from workbench.data import store, termbase as store_terms
from workbench.data.db import rows_for_ids

FILTERS = {
    "": "",
    "findings": "AND t.id IS NOT NULL AND (EXISTS (SELECT 1 FROM term_findings f WHERE f.translation_id = t.id "
                "AND f.status != 'ok') OR EXISTS (SELECT 1 FROM qa_findings q WHERE q.translation_id = t.id))",
    "unapproved": "AND (t.status IS NULL OR t.status != 'approved')",
    "changed": "AND s.changed_in IS :version",  # IS: NULL equals NULL, as in the Python filter it replaces
}


@dataclass
class PageRow:
    segment: dict
    translation: dict | None
    term_findings: list[dict]
    qa_findings: list[dict]


@dataclass
class EditorPage:
    rows: list[PageRow]
    number: int  # 1-based, clamped to the pages that exist
    pages: int
    shown: int = 0  # segments passing the filter, on every page


def editor_page(db: sqlite_utils.Database, article: dict, lang: str, only: str, number: int,
                size: int, only_ids: set[int] | None = None) -> EditorPage:
    """Page `number` of the article's segments in `lang` that pass the filter `only` (and, when
    given, are among `only_ids`)."""
    condition = FILTERS.get(only, "")
    ids = [row[0] for row in db.execute(
        "SELECT s.id FROM segments s LEFT JOIN translations t ON t.segment_id = s.id AND t.lang = :lang "
        f"WHERE s.article_id = :article {condition} ORDER BY s.idx",
        {"lang": lang, "article": article["id"], "version": article.get("version")})]
    if only_ids is not None:
        ids = [i for i in ids if i in only_ids]
    pages = max(1, -(-len(ids) // size))
    number = min(max(1, number), pages)
    wanted = ids[(number - 1) * size:number * size]
    segments = _by_ids(db, 'SELECT id, paragraph_idx, idx, start, "end", text, changed_in, previous_text '
                           "FROM segments WHERE id IN ({}) ORDER BY idx", wanted, [])
    translations = {row["segment_id"]: store._decode(row) for row in _by_ids(
        db, "SELECT * FROM translations WHERE lang = ? AND segment_id IN ({})", wanted, [lang])}
    translation_ids = [t["id"] for t in translations.values()]
    term_findings = store_terms.findings_for(db, translation_ids)
    qa_findings = store.qa_findings(db, translation_ids)
    rows = []
    for segment in segments:
        translation = translations.get(segment["id"])
        key = translation["id"] if translation else None
        rows.append(PageRow(segment, translation, term_findings.get(key, []), qa_findings.get(key, [])))
    return EditorPage(rows, number, pages, len(ids))


def _by_ids(db: sqlite_utils.Database, sql: str, ids: list[int], params: list) -> list[dict]:
    return sorted(rows_for_ids(db, sql, ids, params), key=lambda row: row.get("idx", 0))


def fold(text: str) -> str:
    """Case-folded, with the Turkic i's made one letter: "PLANLARI" finds "planları", "İSTANBUL"
    finds "İstanbul" (plain casefold maps I to i and İ to i + combining dot)."""
    return text.casefold().replace("i\u0307", "i").replace("ı", "i")


def filtered_ids(db, article_id: int, lang: str, *, status: str = "", qa: str = "", text: str = "",
                 comments: bool = False) -> set[int]:
    """Segment ids of the article passing the editor's status / QA / text / comments filters.
    Status, findings and comments are SQL conditions; the text filter folds case the Turkic way
    (`fold`), in Python, over the texts alone."""
    conditions, params = [], {"article": article_id, "lang": lang, "status": status}
    if status == "unapproved":
        conditions.append("(t.status IS NULL OR t.status != 'approved')")
    elif status:
        conditions.append("COALESCE(t.status, 'untranslated') = :status")
    if qa:
        conditions.append(QA_CONDITIONS[qa])
    if comments:
        conditions.append("EXISTS (SELECT 1 FROM segment_comments c WHERE c.segment_id = s.id AND c.lang = :lang "
                          "AND c.resolved_at IS NULL)")
    found = db.conn.execute(
        "SELECT s.id, s.text, t.text FROM segments s LEFT JOIN translations t ON t.segment_id = s.id "
        f"AND t.lang = :lang WHERE s.article_id = :article {''.join(' AND ' + c for c in conditions)}", params)
    if not text:
        return {row[0] for row in found}
    needle = fold(text)
    return {sid for sid, source, target in found if needle in fold(source) or needle in fold(target or "")}


# A term finding counts as an error when a forbidden term was used, as a warning when a term is missing.
_ERROR = ("(EXISTS (SELECT 1 FROM qa_findings q WHERE q.translation_id = t.id AND q.severity = 'error') "
          "OR EXISTS (SELECT 1 FROM term_findings f WHERE f.translation_id = t.id AND f.status = 'forbidden'))")
_WARNING = ("(EXISTS (SELECT 1 FROM qa_findings q WHERE q.translation_id = t.id AND q.severity = 'warning') "
            "OR EXISTS (SELECT 1 FROM term_findings f WHERE f.translation_id = t.id AND f.status = 'missing'))")
QA_CONDITIONS = {"any": f"({_ERROR} OR {_WARNING})", "none": f"NOT ({_ERROR} OR {_WARNING})",
                 "error": _ERROR, "warning": f"({_WARNING} AND NOT {_ERROR})"}
