"""Move work to and from other CAT tools: XLIFF per article, TMX for the memory.
Imports are all or nothing."""

from __future__ import annotations

import sqlite_utils

from workbench.services import approval
from workbench.data import store, termbase as store_terms, tm
from workbench.data.db import transaction
from workbench.core.formats.tmx import read_tmx, write_tmx
from workbench.core.formats.xliff import XLIFFError, article_version, read_xliff, write_xliff, write_xliff2


def export_xliff(db: sqlite_utils.Database, article_id: int, lang: str, version: str = "1.2") -> bytes:
    article = store.get_article(db, article_id)
    translations = store.article_translations(db, article_id, lang)
    findings = store_terms.findings_for(db, [t["id"] for t in translations.values()])
    writer = write_xliff2 if version.startswith("2") else write_xliff
    return writer(article, lang, store.segments(db, article_id), translations, findings)


def import_xliff(db: sqlite_utils.Database, data: bytes, name: str, user: str,
                 role: str = "translator") -> dict:
    """Apply the changed targets of an exported-and-edited XLIFF file; refuse a stale file.

    A unit whose wb:version is not one we write refuses the file (read_xliff), and so do two units
    for one segment; a unit without a version counts as a conflict unless the segment was never
    translated. A file made from an older article version is applied for the segments that version kept;
    the ones a later version changed or removed are refused, by name, in counts["refused"].
    The import acts with `role`: approvals in the file (state="final", approved="yes") count only
    for a role that may approve, and only where the editor would approve without a reason (no QA
    or term errors). Other approvals are saved as edits and listed under "not_approved".
    """
    article_id, lang, units = read_xliff(data, name)
    article = store.get_article(db, article_id)
    file_version = article_version(data, name)
    segments = {s["id"]: s for s in store.segments(db, article_id)}
    refused, applicable = [], []
    for unit in units:
        segment = segments.get(unit.segment_id)
        updated_since = file_version < article["version"]
        if segment is None and updated_since and _removed_since(db, article_id, unit.source, file_version):
            refused.append(f"trans-unit {unit.segment_id} (\"{_short(unit.source)}\": removed in a later "
                           "version)")
            continue
        if segment is None:
            raise XLIFFError(f"{name}: line {unit.line}: trans-unit {unit.segment_id} is not a segment "
                             f"of article {article_id}")
        if unit.source != segment["text"] and updated_since and (segment["changed_in"] or 0) > file_version:
            refused.append(f"segment {segment['idx'] + 1} (source changed in version {segment['changed_in']})")
            continue
        if unit.source != segment["text"]:
            raise XLIFFError(f"{name}: line {unit.line}: the source of trans-unit {unit.segment_id} no "
                             f"longer matches segment {segment['idx'] + 1} of article {article_id}; "
                             "export the article again and redo the work on the new file")
        applicable.append(unit)
    counts = {"article": article_id, "lang": lang, "updated": 0, "unchanged": 0, "conflicts": [],
              "refused": refused, "not_approved": []}
    with transaction(db):
        for unit in applicable:
            current = store.get_translation(db, unit.segment_id, lang)
            text_now = current["text"] if current and current["status"] != "untranslated" else ""
            status_now = current["status"] if current else "untranslated"
            status, why_not = unit.status or "edited", None
            if unit.target is not None and status == "approved" and (
                    status_now != "approved" or unit.target != text_now):
                status, why_not = _approval_refused(db, segments[unit.segment_id], unit.target, lang, role)
            newly_approved = status == "approved" and status_now != "approved"
            if unit.target is None or (unit.target == text_now and not newly_approved):
                counts["unchanged"] += 1
                if why_not:
                    counts["not_approved"].append(_refusal(segments[unit.segment_id], why_not))
                continue
            version_now = current["version"] if current else 0
            # Changed here since the export: keep ours. A unit without a version cannot show it
            # was made from our current text, so only a never-translated segment (0) takes it.
            exported_at = unit.version if unit.version is not None else 0
            if exported_at != version_now:
                counts["conflicts"].append(unit.segment_id)
                continue
            note = f"imported from {name}" + (f"; not approved: {why_not}" if why_not else "")
            store.save_translation(db, unit.segment_id, lang, unit.target, base_version=version_now,
                                   user=user, status=status, note=note)
            counts["updated"] += 1
            if why_not:
                counts["not_approved"].append(_refusal(segments[unit.segment_id], why_not))
    return counts


def _removed_since(db, article_id: int, source: str, file_version: int) -> bool:
    return bool(db.execute("SELECT 1 FROM removed_segments WHERE article_id = ? AND text = ? AND removed_in > ?",
                           [article_id, source, file_version]).fetchone())


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _approval_refused(db, segment: dict, text: str, lang: str, role: str) -> tuple[str, str | None]:
    """("approved", None) when this role may approve this text now, else ("edited", why not)."""
    if not approval.may_approve(role):
        return "edited", f"the role {role} may not approve"
    errors = approval.blocking_errors(db, segment["text"], text, lang)
    if errors:
        return "edited", ("approving over errors needs a reason: approve it in the editor ("
                          + " ".join(errors) + ")")
    return "approved", None


def _refusal(segment: dict, reason: str) -> dict:
    return {"segment": segment["id"], "number": segment["idx"] + 1, "reason": reason}


def xliff_summary(counts: dict) -> str:
    not_approved = counts.get("not_approved") or []
    updated = counts["updated"]
    return (f"article {counts['article']} ({counts['lang']}): {updated} segment{'' if updated == 1 else 's'} updated, "
            f"{counts['unchanged']} unchanged"
            + (f", {len(counts['conflicts'])} kept because they changed here since the export"
               if counts["conflicts"] else "")
            + (f"; refused because the article has a newer version: {', '.join(counts['refused'])} "
               "(export the latest version for those)" if counts.get("refused") else "")
            + "".join(f"; segment {r['number']} not approved: {r['reason']}" for r in not_approved))


def import_tmx(db: sqlite_utils.Database, data: bytes, name: str, user: str | None = None) -> dict:
    units = read_tmx(data, name)
    with transaction(db):
        for unit in units:
            tm.add_unit(db, unit.source, unit.target, unit.target_lang, source_lang=unit.source_lang,
                        user=unit.created_by or user, created_at=unit.created_at)
    return {"imported": len(units), "languages": sorted({u.target_lang for u in units})}


def export_tmx(db: sqlite_utils.Database, lang: str | None) -> bytes:
    return write_tmx(tm.units(db, lang))
