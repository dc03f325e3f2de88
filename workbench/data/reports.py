"""Reports over stored work: QA findings of an article, post-editing effort per language and MT package."""

from __future__ import annotations

import sqlite_utils

from workbench.data import store, termbase as store_terms

TERM_SEVERITY = {"forbidden": "error", "missing": "warning"}


def qa_report(db: sqlite_utils.Database, article_id: int, lang: str) -> list[dict]:
    """Every stored QA and term finding of the article in `lang`, by segment number (from 1)."""
    store.get_article(db, article_id)
    translations = store.article_translations(db, article_id, lang)
    ids = [t["id"] for t in translations.values()]
    qa, terms = store.qa_findings(db, ids), store_terms.findings_for(db, ids)
    report = []
    for segment in store.segments(db, article_id):
        translation = translations.get(segment["id"])
        if translation is None:
            continue
        for finding in qa[translation["id"]]:
            report.append({"segment": segment["idx"] + 1, "check": finding["check"],
                           "severity": finding["severity"], "message": finding["message"]})
        for finding in terms[translation["id"]]:
            if finding["status"] in TERM_SEVERITY:
                report.append({"segment": segment["idx"] + 1, "check": "terms",
                               "severity": TERM_SEVERITY[finding["status"]],
                               "message": term_message(finding)})
    return report


def term_message(finding: dict) -> str:
    if finding["status"] == "forbidden":
        return (f"Forbidden term “{finding['target_text']}” used for “{finding['source_text']}” "
                f"({finding['concept']}); use the glossary's term.")
    return f"No glossary term for “{finding['source_text']}” ({finding['concept']}) in the translation."


def effort_stats(db: sqlite_utils.Database) -> dict:
    """How much MT survived post-editing, per language and per MT package (origin)."""
    rows = db.query(
        "SELECT lang, origin, COUNT(*) AS segments, "
        "SUM(status = 'approved' AND text = mt_text) AS approved_unchanged, "
        "SUM(status = 'approved') AS approved, "
        "AVG(CASE WHEN status IN ('edited', 'approved') THEN pe_distance END) AS mean_edit_distance, "
        "SUM(status IN ('edited', 'approved')) AS post_edited "
        "FROM translations WHERE mt_text IS NOT NULL GROUP BY lang, origin ORDER BY lang, origin")
    groups = []
    for row in rows:
        groups.append({**row, "mean_edit_distance": round(row["mean_edit_distance"] or 0.0, 4),
                       "share_approved_unchanged": round(row["approved_unchanged"] / row["approved"], 4)
                       if row["approved"] else None})
    return {"groups": groups}


def unapproved(counts: dict[str, int]) -> str | None:
    """What an export would ship unapproved, from store.progress() counts; None when all is approved.

    e.g. "3 of 5 segments are not approved (2 untranslated, 1 edited)".
    """
    missing = counts["total"] - counts.get("approved", 0)
    if missing <= 0:
        return None
    parts = [f"{counts[s]} {store.STATUS_LABELS.get(s, s)}" for s in store.STATUSES
             if s != "approved" and counts.get(s)]
    return f"{missing} of {counts['total']} segments are not approved ({', '.join(parts)})"
