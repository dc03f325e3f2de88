"""Per-person figures for a period, from the history of saves (who, when, status before and after):

* translated — words of a person's first save of a segment that had no translation (machine
  drafts do not count: neither the drafts nor their later edits);
* post_edited — words of a person's first save over a machine draft;
* approved — words of the approvals the person made;
* effort — post-edit effort: the normalised edit distance (Levenshtein, 0 = MT kept as it was,
  1 = all rewritten; rapidfuzz) between the machine text and the person's last text in the period,
  averaged over the post-edited segments weighted by their words.

Reviewers and admins see everyone's figures; a translator sees their own.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import sqlite_utils
from rapidfuzz.distance import Levenshtein

from workbench.core import codes
from workbench.core.counts import words
from workbench.core.errors import Forbidden, UserError
from workbench.data import figures as stored

COLUMNS = ("person", "translated_words", "post_edited_words", "approved_words", "post_edit_effort",
           "translated_segments", "post_edited_segments", "approved_segments")


def _day(value, field: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(f"{field}: {str(value)[:40]!r} is not a date; write e.g. 2026-12-01") from None


def period(start, end) -> tuple[date, date]:
    first, last = _day(start, "from"), _day(end, "to")
    return min(first, last), max(first, last)  # either order: the days between them


def _person(actor) -> str:
    return actor.user or actor.name


def figures(db: sqlite_utils.Database, actor, start, end, person: str | None = None) -> dict:
    """{"from", "to", "people": [{person, translated_words, …, post_edit_effort}]} for the period
    (both days included). A translator's figures are their own (asking for another person: Forbidden)."""
    first, last = period(start, end)
    if not actor.may("approve"):
        if person not in (None, _person(actor)):
            raise Forbidden(f"{actor.name} sees their own figures only (reviewers and admins see everyone's)")
        person = _person(actor)
    people: dict[str, dict] = {}
    seen: set[tuple[int, str]] = set()  # (translation, person) whose first save was counted
    post_edits: dict[tuple[int, str], dict] = {}  # (translation, person) -> {"mt", "final"}
    for row in stored.saves(db, first.isoformat(), (last + timedelta(days=1)).isoformat(), person):
        name = row["changed_by"]
        figures_of = people.setdefault(name, dict.fromkeys(COLUMNS[1:], 0) | {"person": name})
        key = (row["translation_id"], name)
        count = words(codes.plain(row["after_text"]))
        if key not in seen:
            seen.add(key)
            if row["before_status"] in (None, "untranslated") and row["after_text"].strip():
                figures_of["translated_words"] += count
                figures_of["translated_segments"] += 1
            elif row["before_status"] == "mt_draft":
                figures_of["post_edited_words"] += count
                figures_of["post_edited_segments"] += 1
                post_edits[key] = {"mt": row["mt_text"] or row["before_text"] or ""}
        if key in post_edits:
            post_edits[key]["final"] = row["after_text"]
        if row["after_status"] == "approved" and row["before_status"] != "approved":
            figures_of["approved_words"] += count
            figures_of["approved_segments"] += 1
    weighted: dict[str, list[float]] = {}
    for (_, name), texts in post_edits.items():
        final = codes.plain(texts["final"])
        weight = max(words(final), 1)
        distance = Levenshtein.normalized_distance(codes.plain(texts["mt"]), final)
        total = weighted.setdefault(name, [0.0, 0.0])
        total[0] += distance * weight
        total[1] += weight
    result = []
    for name in sorted(people):
        row = people[name]
        sums = weighted.get(name)
        row["post_edit_effort"] = round(sums[0] / sums[1], 4) if sums else None
        result.append({column: row[column] for column in COLUMNS})
    return {"from": first.isoformat(), "to": last.isoformat(), "people": result}


def as_csv(report: dict) -> str:
    """The figures as CSV: a header row, then one row per person (the period is in every row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("from", "to", *COLUMNS))
    for row in report["people"]:
        writer.writerow((report["from"], report["to"],
                         *("" if row[c] is None else row[c] for c in COLUMNS)))
    return out.getvalue()
