"""Repetitions inside an article follow a person's edit.

A sentence repeated in an article is machine-translated once and propagated
(services/machine_translation.py). When a copy is then saved, by whatever door (editor, API, XLIFF
import, find & replace: services/translations.py), the copies that are still machine drafts (never saved by a person)
take the new text and remember which segment they follow (`translations.follows`), so they follow
its next edit too; a person's save of a copy itself ends that. Copies a person edited are left
alone; where their text differs they are flagged as inconsistent. A propagation can be undone
for every copy nobody changed since.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from workbench.core import codes
from workbench.core.errors import Forbidden, id_version_pairs
from workbench.core.segment import source_key
from workbench.data import store
from workbench.data.db import transaction
from workbench.services import events
from workbench.services.actor import Actor
from workbench.services.writing import put

MACHINE = ("untranslated", "mt_draft")


@dataclass
class Propagation:
    """What one save did to the other copies of its sentence."""
    number: int                                          # the segment the person saved
    changed: list[dict] = field(default_factory=list)    # {"segment_id", "number", "version"}
    inconsistent: list[int] = field(default_factory=list)  # numbers of human copies left alone

    @property
    def undo_value(self) -> str:
        """The copies and the versions this propagation wrote, for the undo button."""
        return ",".join(f"{c['segment_id']}:{c['version']}" for c in self.changed)


def is_machine(translation: dict | None) -> bool:
    """No person has saved this translation itself: MT, nothing, or a followed repetition."""
    return (translation is None or translation["status"] in MACHINE
            or (translation.get("follows") is not None and translation["status"] != "approved"))


def copies(db: sqlite_utils.Database, segment: dict, article_id: int) -> list[dict]:
    """The other segments of the article with the same source text (whitespace aside)."""
    return store.copies(db, segment, article_id)


def for_copy(text: str, source: str, copy_source: str) -> str:
    """The edit of a segment as its repetition takes it: a copy whose source is equal but for its
    inline codes gets them renumbered to its own (codes.renumber), or none where they don't
    correspond (QA then names what is missing); the same text where neither has codes."""
    if not codes.has_codes(text) and not codes.has_codes(copy_source):
        return text
    moved = codes.renumber(text, source, copy_source)
    return moved if moved is not None else codes.plain(text)


def follow(db: sqlite_utils.Database, article_id: int, segment: dict, lang: str, text: str,
           actor: Actor | str | None) -> Propagation:
    """Give the new `text` of `segment` to its copies that are machine drafts (one transaction),
    each as a write of `actor` (services/translations.put: history, findings)."""
    by = getattr(actor, "name", actor)
    result = Propagation(segment["idx"] + 1)
    if not text.strip():
        return result
    with transaction(db):
        for copy in copies(db, segment, article_id):
            current = store.get_translation(db, copy["id"], lang)
            mine = for_copy(text, segment["text"], copy["text"])
            if not is_machine(current):
                if current["text"] != mine:
                    result.inconsistent.append(copy["idx"] + 1)
                continue
            if current is not None and current["text"] == mine and current.get("follows") == segment["id"]:
                continue
            put(db, dict(copy, article_id=article_id), lang, current, text=mine, status="edited",
                             origin=(current or {}).get("origin") or "human", by=by,
                             note=f"repetition of segment {result.number}: took its edit",
                             extra={"follows": segment["id"]})
            result.changed.append({"segment_id": copy["id"], "number": copy["idx"] + 1,
                                   "version": (current or {"version": 0})["version"] + 1})
    return result


def undo(db: sqlite_utils.Database, article_id: int, lang: str, value: str,
         actor: Actor | str | None) -> tuple[list[int], list[int]]:
    """Put back what the copies in `value` ("segment:version,...") had before a propagation.

    A copy changed since (another version) is left as it is; a segment of another article is
    refused (nothing is undone). Returns the segment ids undone and skipped."""
    if isinstance(actor, Actor) and not actor.may("edit"):
        raise Forbidden(f"{actor.name} ({actor.role or 'no role'}) may not save translations")
    by = getattr(actor, "name", actor)
    undone, skipped = [], []
    with transaction(db):
        for segment_id, version in id_version_pairs(value, "undo"):
            segment = store.get_segment(db, article_id, segment_id)  # NotFound for another article's segment
            current = store.get_translation(db, segment_id, lang)
            if current is None or current["version"] != version or current.get("follows") is None:
                skipped.append(segment_id)
                continue
            recorded = store.history_entries(db, current["id"], [current["version"], current["version"] - 1])
            before, earlier = recorded[current["version"]], recorded.get(current["version"] - 1)
            put(db, dict(segment, article_id=article_id), lang, current,
                             text=before["before_text"] or "", status=before["before_status"] or "untranslated",
                             origin=current["origin"], by=by, note="undid the propagation of a repetition's edit",
                             extra={"follows": earlier["follows"] if earlier else None})
            undone.append(segment_id)
    events.send_pending(db)
    return undone, skipped


def flags(segments: list[dict], translations: dict[int, dict], only: set[int] | None = None) -> dict[int, dict]:
    """Per segment id (of `only`, when given): the number of the segment it follows, and the numbers
    of the copies a person translated differently (both sides human: inconsistent)."""
    number = {s["id"]: s["idx"] + 1 for s in segments}
    groups: dict[str, list[dict]] = {}
    for s in segments:
        groups.setdefault(source_key(s["text"]), []).append(s)
    out: dict[int, dict] = {}
    for s in segments if only is None else [s for s in segments if s["id"] in only]:
        t = translations.get(s["id"])
        follows = number.get(t.get("follows")) if t and t.get("follows") else None
        inconsistent = []
        group = groups[source_key(s["text"])]
        if len(group) > 1 and t and not is_machine(t):
            inconsistent = [number[o["id"]] for o in group if o["id"] != s["id"]
                            and translations.get(o["id"]) and not is_machine(translations[o["id"]])
                            and translations[o["id"]]["text"] != for_copy(t["text"], s["text"], o["text"])]
        if follows or inconsistent:
            out[s["id"]] = {"follows": follows, "inconsistent": inconsistent}
    return out


def flags_for(db: sqlite_utils.Database, article_id: int, lang: str, segment_ids: list[int]) -> dict[int, dict]:
    """`flags` of these segments only, reading just their repetition groups and the segments they
    follow (an editor page of a 50,000-segment article shows 200 of them)."""
    members = store.repetition_members(db, article_id, segment_ids)
    translations = store.repetition_translations(db, lang, list(members))
    followed = {t["follows"] for t in translations.values() if t.get("follows")} - members.keys()
    if followed:
        members.update(store.segments_by_id(db, list(followed)))
        translations.update(store.repetition_translations(db, lang, list(followed)))
    return flags(list(members.values()), translations, only=set(segment_ids))
