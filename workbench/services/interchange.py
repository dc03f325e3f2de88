"""Move work to and from other CAT tools: XLIFF per article, TMX for the memory.
Imports are one transaction: nothing is half-written. An XLIFF import refuses some units one by
one (a segment changed in a newer article version, a target whose inline codes do not match its
source): those are listed and the rest is imported."""

from __future__ import annotations

from typing import BinaryIO

import sqlite_utils

from workbench.core import codes, hygiene
from workbench.core.problems import LISTED, ImportRefused, describe, refusal  # noqa: F401 - ImportRefused for callers
from workbench.data import comments as stored_comments, store, termbase as store_terms, tm
from workbench.services import approval, comments as comment_service, events, translations
from workbench.services.actor import Actor
from workbench.data.db import transaction
from workbench.core.formats.tmx import read_tmx, write_tmx
from workbench.core.formats.xliff import (XLIFFError, article_version, map_codes, read_xliff, write_xliff,
                                          write_xliff2)


def export_xliff(db: sqlite_utils.Database, article_id: int, lang: str, version: str = "1.2") -> bytes:
    article = store.get_article(db, article_id)
    translations = store.article_translations(db, article_id, lang)
    findings = store_terms.findings_for(db, [t["id"] for t in translations.values()])
    writer = write_xliff2 if version.startswith("2") else write_xliff
    segments = store.segments(db, article_id)
    # the segments' comments travel as notes, for the other tool's translator
    remarks = {s["id"]: stored_comments.for_segment(db, s["id"], lang) for s in segments}
    return writer(article, lang, segments, translations, findings, paragraphs=store.paragraphs(db, article_id),
                  comments={k: v for k, v in remarks.items() if v})


def import_xliff(db: sqlite_utils.Database, data: bytes, name: str, actor: Actor, *,
                 skip_invalid: bool = False) -> dict:
    """Apply the changed targets of an exported-and-edited XLIFF file as saves by `actor`
    (services/translations.py: the same rules as the editor); refuse a stale file.

    A unit whose version is not one we write refuses the file (read_xliff), and so do two units
    for one segment; a unit without a version counts as a conflict unless the segment was never
    translated. A file made from an older article version is applied for the segments that version kept;
    the ones a later version changed or removed are refused, by name, in counts["refused"].
    Approvals in the file (state="final", approved="yes") count only for an actor that may approve,
    and only where the editor would approve without a reason (no QA or term errors). Other
    approvals are saved as edits and listed under "not_approved". The machine-drafted repetitions
    of the segments the file changed follow them, as after an edit in the editor.
    Inline codes come back as the segment's own (core/formats/xliff.map_codes: by id, then by
    order); a changed target whose codes do not match its source's (one missing, one the source
    does not have, one twice, pairs crossing) is not saved and is listed, with what is wrong,
    under "code_problems"; the file's other units are imported.

    A unit that cannot be applied (not a segment of the article, a source that no longer matches,
    a target no stored text may hold) refuses the file, naming it; with `skip_invalid` the other
    units are applied and those listed in counts["skipped"] ({"kind": "trans-unit", "id", "line",
    "reason"}). One transaction either way.
    """
    translations.require(actor, "edit")
    article_id, lang, units = read_xliff(data, name)
    article = store.get_article(db, article_id)
    file_version = article_version(data, name)
    segments = {s["id"]: s for s in store.segments(db, article_id)}
    refused, applicable, skipped = [], [], []

    def invalid(unit, message: str) -> None:
        if not skip_invalid:
            raise XLIFFError(message)
        reason = message.split(f"trans-unit {unit.segment_id} ", 1)[-1] if f"trans-unit {unit.segment_id} " in message \
            else message.removeprefix(f"{name}: line {unit.line}: ")
        skipped.append({"kind": "trans-unit", "id": str(unit.segment_id), "line": unit.line, "reason": reason})

    for unit in units:
        segment = segments.get(unit.segment_id)
        mapped = map_codes(unit, segment["text"]) if segment is not None else None
        updated_since = file_version < article["version"]
        if segment is None and updated_since and store.removed_since(db, article_id, unit.source, file_version):
            refused.append(f"trans-unit {unit.segment_id} (\"{_short(codes.plain(unit.source))}\": removed in a later "
                           "version)")
            continue
        if segment is None:
            invalid(unit, f"{name}: line {unit.line}: trans-unit {unit.segment_id} is not a segment "
                          f"of article {article_id}")
            continue
        if mapped.source != segment["text"] and updated_since and (segment["changed_in"] or 0) > file_version:
            refused.append(f"segment {segment['idx'] + 1} (source changed in version {segment['changed_in']})")
            continue
        if mapped.source != segment["text"]:
            codes_differ = mapped.source is None or codes.plain(mapped.source) == codes.plain(segment["text"])
            invalid(unit, f"{name}: line {unit.line}: the source of trans-unit {unit.segment_id} no "
                          f"longer matches segment {segment['idx'] + 1} of article {article_id}"
                          + (" (its inline codes differ)" if codes_differ else "")
                          + "; export the article again and redo the work on the new file")
            continue
        applicable.append((unit, mapped))
    counts = {"article": article_id, "lang": lang, "updated": 0, "unchanged": 0, "conflicts": [],
              "refused": refused, "not_approved": [], "code_problems": [],
              "skipped": skipped}
    with transaction(db):
        saved = []
        for unit, mapped in applicable:
            segment = dict(segments[unit.segment_id], article_id=article_id)
            current = store.get_translation(db, unit.segment_id, lang)
            # NEL or U+2028 in a target: a line break; what is left is checked by the save
            target = None if mapped.target is None else translations.normalise(hygiene.import_text(mapped.target))
            approve, why_not = (unit.status or "edited") == "approved", None
            if target is not None and approve and not translations.unchanged(current, target, True):
                approve, why_not = _approval_refused(db, segment, target, lang, actor)
            # A file that kept a "source changed" draft as it was does not confirm it (the editor does).
            if target is None or translations.unchanged(current, target, approve, confirm=False):
                counts["unchanged"] += 1
                if why_not:
                    counts["not_approved"].append(_refusal(segment, why_not))
                continue
            if mapped.problems:
                counts["code_problems"].append({"unit": str(unit.segment_id), "segment": segment["id"],
                                                "number": segment["idx"] + 1, "line": unit.line,
                                                "problems": mapped.problems})
                continue
            # Changed here since the export: keep ours. A unit without a version cannot show it
            # was made from our current text, so only a never-translated segment (0) takes it.
            note = f"imported from {name}" + (f"; not approved: {why_not}" if why_not else "")
            try:
                with transaction(db):  # a savepoint: a refused unit skipped leaves nothing behind
                    done = translations.save(db, actor, unit.segment_id, lang, target,
                                             base_version=unit.version if unit.version is not None else 0,
                                             approve=approve, note=note, follow=False,
                                             status="needs_review" if unit.status == "needs_review" and not approve
                                             else None,
                                             where=f"{name}: line {unit.line}: trans-unit {unit.segment_id}")
            except store.VersionConflict:
                counts["conflicts"].append(unit.segment_id)
                continue
            except hygiene.TextRefused as err:
                if not skip_invalid:
                    raise
                skipped.append({"kind": "trans-unit", "id": str(unit.segment_id), "line": unit.line,
                                "reason": str(err).removeprefix(f"{name}: line {unit.line}: trans-unit "
                                                                f"{unit.segment_id}: ")})
                continue
            saved.append(done)
            counts["updated"] += 1
            if why_not:
                counts["not_approved"].append(_refusal(segment, why_not))
        translations.follow_all(db, actor, lang, saved)
        counts["notes"] = _notes_as_comments(db, actor, lang, units, segments)
    events.send_pending(db)
    return counts


def _notes_as_comments(db, actor: Actor, lang: str, units, segments: dict) -> int:
    """A note the other tool's translator left on a unit becomes a comment on its segment (once:
    a note that is already a comment there, ours written out by the export included, is not added again)."""
    added = 0
    for unit in units:
        if not unit.notes or unit.segment_id not in segments:
            continue
        known = {c["body"] for c in stored_comments.for_segment(db, unit.segment_id, lang)}
        for note in unit.notes:
            if note not in known:
                comment_service.add(db, actor, unit.segment_id, lang, note[:hygiene.LIMITS.get("comment", 2000)])
                known.add(note)
                added += 1
    return added


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _approval_refused(db, segment: dict, text: str, lang: str, actor: Actor) -> tuple[bool, str | None]:
    """(True, None) when this actor may approve this text now, else (False, why not)."""
    if not actor.may("approve"):
        return False, f"the role {actor.role} may not approve"
    errors = approval.blocking_errors(db, segment["text"], text, lang)
    if errors:
        return False, ("approving over errors needs a reason: approve it in the editor ("
                       + " ".join(errors) + ")")
    return True, None


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
            + "".join(f"; segment {r['number']} not approved: {r['reason']}" for r in not_approved)
            + "".join(f"; unit {p['unit']} (segment {p['number']}, line {p['line']}) not imported: "
                      f"{'; '.join(p['problems'])}" for p in counts.get("code_problems") or [])
            + ("; put each inline code of the source in the target once, pairs nested as in the source, "
               "and import the file again ({1} and {/1} are the start and end of the code with id 1 in "
               "the file, {3/} the standalone code with id 3)" if counts.get("code_problems") else "")
            + (f"; skipped invalid units: {describe(counts['skipped'])}" if counts.get("skipped") else ""))


def import_tmx(db: sqlite_utils.Database, data: bytes | BinaryIO, name: str, user: str | None = None, *,
               skip_invalid: bool = False) -> dict:
    """Add the file's units to the memory in one transaction, streaming.

    Every translation variant is a unit: two translations of one source are two units; one
    identical to a stored unit (language, source, translation) merges into it. Variants in a
    language the workbench does not translate into, and empty ones, are skipped and counted by
    reason. An invalid <tu> (no source variant, a <tuv> without language or <seg>, a character no
    stored text may hold, a text over its limit) is a problem naming its tuid and line: by
    default the file is refused whole (ImportRefused listing every problem, nothing stored);
    with `skip_invalid` the valid units are stored and the invalid ones listed.

    The counts: read (variants in the file) = stored + merged + the sum of skipped."""
    counts = {"file": name, "tu": 0, "read": 0, "stored": 0, "merged": 0, "skipped": {}, "problems": [],
              "languages": []}
    languages, problems = set(), 0

    def skip(reason: str, n: int = 1) -> None:
        counts["skipped"][reason] = counts["skipped"].get(reason, 0) + n

    with transaction(db), tm.bulk_insert(db):
        for entry in read_tmx(data, name):
            counts["tu"] += 1
            units, problem = [], entry.problem
            if problem is None:
                try:
                    units = [_checked_unit(unit, name, user) for unit in entry.units]
                except hygiene.TextRefused as err:
                    problem = f"line {entry.line}: " + str(err).split(f"line {entry.line}: ", 1)[-1]
                    units = []
            size = entry.size if entry.problem else len(entry.units) + sum(entry.skipped.values())
            counts["read"] += size
            if problem is not None:
                problems += 1
                skip("invalid", size)
                if len(counts["problems"]) < LISTED:
                    line, _, reason = problem.partition(": ")
                    counts["problems"].append({"kind": "tu", "id": entry.tuid,
                                               "line": int(line.removeprefix("line ")) if line.startswith("line ")
                                               else entry.line, "reason": reason or problem})
                continue
            for reason, n in entry.skipped.items():
                skip(reason, n)
            for unit in units:
                if tm.add_imported(db, unit):
                    counts["stored"] += 1
                    languages.add(unit["target_lang"])
                else:
                    counts["merged"] += 1
        if problems and not skip_invalid:
            raise refusal(name, ("translation unit", "translation units"), counts["problems"], problems)
    counts["languages"] = sorted(languages)
    counts["invalid"] = problems
    return counts


def _checked_unit(unit, name: str, user: str | None) -> dict:
    where = f"{name}: line {unit.line}" if unit.line else name
    return {"source": hygiene.clean(hygiene.import_text(unit.source), "source", where=where),
            "target": hygiene.clean(hygiene.import_text(unit.target), "target", where=where),
            "source_lang": unit.source_lang, "target_lang": unit.target_lang,
            "created_by": hygiene.clean(unit.created_by or "", "name", where=where, multiline=False) or user,
            "created_at": unit.created_at, "meta": unit.meta}


def tmx_summary(counts: dict) -> str:
    """One line for a person: what the import read, stored, merged and skipped."""
    skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(counts["skipped"].items()))
    text = (f"{counts['file']}: read {counts['read']} units in {counts['tu']} <tu>; stored {counts['stored']} "
            f"({', '.join(counts['languages']) or 'none'}), merged {counts['merged']} duplicates"
            + (f", skipped {sum(counts['skipped'].values())} ({skipped})" if skipped else ""))
    if counts["problems"]:
        text += f". Skipped invalid entries: {describe(counts['problems'], counts['invalid'])}"
    return text


def export_tmx(db: sqlite_utils.Database, lang: str | None) -> bytes:
    return write_tmx(tm.units(db, lang))
