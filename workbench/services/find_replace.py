"""Find and replace across a whole article: search the source or the translations, preview every
change, apply the chosen ones as ordinary versioned saves in one transaction, and undo a run at once.

Replacing never overwrites a version the preview did not show: each change carries the version it
was previewed from, and a run whose segment moved on meanwhile is refused whole (nothing written).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import sqlite_utils
from markupsafe import Markup, escape

from workbench.core.highlight import mark
from workbench.data import store
from workbench.data.db import transaction
from workbench.core.errors import UserError

SCOPES = ("target", "source")


class ReplaceConflict(UserError):
    status = 409

    """Segments changed after the preview was made; nothing was replaced."""

    def __init__(self, numbers: list[int]):
        listed = ", ".join(str(n) for n in numbers)
        super().__init__(f"segment{'s' if len(numbers) > 1 else ''} {listed} changed after the preview "
                         "was made; nothing was replaced. Preview again to see the current text.")
        self.numbers = numbers


@dataclass(frozen=True)
class Query:
    find: str
    replace: str = ""
    scope: str = "target"
    case: bool = False
    whole_word: bool = False

    def __post_init__(self):
        if not self.find:
            raise UserError("type the text to find")
        if self.scope not in SCOPES:
            raise UserError(f"search in {' or '.join(SCOPES)}, not {self.scope!r}")

    def pattern(self) -> re.Pattern:
        """The literal search text as a regex; whole words are bounded by non-word characters."""
        body = re.escape(self.find)
        if self.whole_word:
            body = rf"(?<!\w){body}(?!\w)"
        return re.compile(body, 0 if self.case else re.IGNORECASE)

    def apply(self, text: str) -> str:
        # A function as replacement: the replacement text is literal, never a regex template.
        return self.pattern().sub(lambda _m: self.replace, text)


def search(db: sqlite_utils.Database, article_id: int, lang: str, query: Query) -> list[dict]:
    """Every segment of the article (all pages) whose source or translation holds the text.

    Each hit has the segment's number, the matched text marked, and for target searches the text
    after replacement with the inserted parts marked, plus the version it was computed from.
    """
    pattern = query.pattern()
    translations = store.article_translations(db, article_id, lang)
    hits = []
    for segment in store.segments(db, article_id):
        translation = translations.get(segment["id"])
        target = translation["text"] if translation else ""
        searched = segment["text"] if query.scope == "source" else target
        spans = [m.span() for m in pattern.finditer(searched)]
        if not spans:
            continue
        hit = {"segment_id": segment["id"], "number": segment["idx"] + 1, "idx": segment["idx"],
               "source": segment["text"], "target": target,
               "status": translation["status"] if translation else "untranslated",
               "version": translation["version"] if translation else 0,
               "count": len(spans), "marked": mark(searched, spans)}
        if query.scope == "target":
            hit["before"] = mark(target, spans, "del")
            hit["after"] = _after(target, spans, query.replace)
            hit["unchanged"] = all(target[start:end] == query.replace for start, end in spans)
        hits.append(hit)
    return hits


def _after(text: str, spans: list[tuple[int, int]], replacement: str) -> Markup:
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        if replacement:
            out.append(Markup("<ins>{}</ins>").format(replacement))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def replace(db: sqlite_utils.Database, article_id: int, lang: str, query: Query,
            picks: dict[int, int], *, user: str | None) -> dict:
    """Replace in the picked segments ({segment id: previewed version}) as one run.

    Each change is a save (new version, history, findings refreshed; an approved segment goes back
    to "edited"). Returns the stored run: {"id", "changed": [segment numbers]}.
    """
    if query.scope != "target":
        raise UserError("replace works on translations only; search the target to replace")
    if not picks:
        raise UserError("tick at least one change to replace")
    segments = {s["id"]: s for s in store.segments(db, article_id)}
    unknown = [sid for sid in picks if sid not in segments]
    if unknown:
        raise UserError(f"segment {unknown[0]} is not in article {article_id}")
    with transaction(db):
        translations = store.article_translations(db, article_id, lang)
        stale = sorted(segments[sid]["idx"] + 1 for sid, version in picks.items()
                       if (translations.get(sid) or {}).get("version", 0) != version)
        if stale:
            raise ReplaceConflict(stale)
        batch_id = db["replace_batches"].insert({
            "article_id": article_id, "lang": lang, "find": query.find, "replace": query.replace,
            "changes": "[]", "created_by": user, "created_at": store.now()}).last_pk
        changes = []
        for sid in sorted(picks, key=lambda s: segments[s]["idx"]):
            current = translations.get(sid)
            if current is None:  # nothing translated there yet: nothing to replace
                continue
            text = query.apply(current["text"])
            if text == current["text"]:
                continue
            saved = store.save_translation(db, sid, lang, text, base_version=current["version"], user=user,
                                           status="edited", note=f"find and replace #{batch_id}")
            changes.append({"segment_id": sid, "number": segments[sid]["idx"] + 1,
                            "before_text": current["text"], "before_status": current["status"],
                            "version": saved["version"]})
        db["replace_batches"].update(batch_id, {"changes": json.dumps(changes, ensure_ascii=False)})
    return {"id": batch_id, "changed": [c["number"] for c in changes]}


def get_batch(db: sqlite_utils.Database, batch_id: int) -> dict:
    rows = list(db.query("SELECT * FROM replace_batches WHERE id = ?", [batch_id]))
    if not rows:
        raise store.NotFound(f"find-and-replace run {batch_id} does not exist")
    row = dict(rows[0])
    row["changes"] = json.loads(row["changes"])
    return row


def last_batch(db: sqlite_utils.Database, article_id: int, lang: str, user: str) -> dict | None:
    """This user's latest run on this article and language that has not been undone."""
    rows = list(db.query("SELECT id FROM replace_batches WHERE article_id = ? AND lang = ? AND created_by = ? "
                         "AND undone_at IS NULL ORDER BY id DESC LIMIT 1", [article_id, lang, user]))
    return get_batch(db, rows[0]["id"]) if rows else None


def undo(db: sqlite_utils.Database, batch_id: int, *, user: str | None, may_approve: bool) -> dict:
    """Put back the text of every segment a run changed, as new versions.

    A segment saved again since the run is left alone and reported (never silently overwritten).
    An approved segment comes back approved only for a user who may approve; otherwise "edited".
    """
    with transaction(db):
        batch = get_batch(db, batch_id)
        if batch["undone_at"]:
            raise UserError(f"find-and-replace run {batch_id} was undone already")
        restored, skipped = [], []
        for change in batch["changes"]:
            current = store.get_translation(db, change["segment_id"], batch["lang"])
            if current is None or current["version"] != change["version"]:
                skipped.append(change["number"])
                continue
            status = change["before_status"]
            if status == "approved" and not may_approve:
                status = "edited"
            store.save_translation(db, change["segment_id"], batch["lang"], change["before_text"],
                                   base_version=current["version"], user=user, status=status,
                                   note=f"undo find and replace #{batch_id}")
            restored.append(change["number"])
        db["replace_batches"].update(batch_id, {"undone_at": store.now()})
    return {"id": batch_id, "restored": restored, "skipped": skipped, "article_id": batch["article_id"],
            "lang": batch["lang"]}
