"""Find and replace across a whole article: search the source or the translations, preview every
change, apply the chosen ones as ordinary versioned saves in one transaction, and undo a run at once.

Replacing never overwrites a version the preview did not show: each change carries the version it
was previewed from, and a run whose segment moved on meanwhile is refused whole (nothing written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlite_utils
from markupsafe import Markup, escape

from workbench.core import chips, codes
from workbench.core.errors import Forbidden, UserError
from workbench.core.highlight import mark
from workbench.data import replace_batches as batches, store
from workbench.data.db import transaction
from workbench.services import events, translations
from workbench.services.actor import Actor

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
        for field_name, value in (("text to find", self.find), ("replacement", self.replace)):
            if codes.CODE.search(value):
                raise UserError(f"the {field_name} holds an inline code character (U+E100–U+EAFF); codes "
                                "are never searched or replaced: type the words around them")

    def pattern(self) -> re.Pattern:
        """The literal search text as a regex; whole words are bounded by non-word characters.
        It holds no code character (refused above), so a match never covers an inline code: the
        codes around and inside a replaced stretch stay where they were."""
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
    marks = store.paragraph_codes(db, article_id)  # what each inline code stands for, per paragraph
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
               "marks": marks.get(segment["paragraph_idx"], {}),
               "count": len(spans), "marked": chips.in_html(mark(searched, spans), marks.get(segment["paragraph_idx"]))}
        if query.scope == "target":
            hit["before"] = chips.in_html(mark(target, spans, "del"), hit["marks"])
            hit["after"] = chips.in_html(_after(target, spans, query.replace), hit["marks"])
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
            picks: dict[int, int], *, actor: Actor) -> dict:
    """Replace in the picked segments ({segment id: previewed version}) as one run.

    Each change is a save by `actor` (services/translations.py: new version, history, findings; an
    approved segment goes back to "edited"), and the machine-drafted repetitions of the changed
    segments follow them. Returns the stored run: {"id", "changed": [segment numbers]}.
    """
    translations.require(actor, "edit")
    if query.scope != "target":
        raise UserError("replace works on translations only; search the target to replace")
    if not picks:
        raise UserError("tick at least one change to replace")
    segments = {s["id"]: s for s in store.segments(db, article_id)}
    unknown = [sid for sid in picks if sid not in segments]
    if unknown:
        raise UserError(f"segment {unknown[0]} is not in article {article_id}")
    with transaction(db):
        current_rows = store.article_translations(db, article_id, lang)
        stale = sorted(segments[sid]["idx"] + 1 for sid, version in picks.items()
                       if (current_rows.get(sid) or {}).get("version", 0) != version)
        if stale:
            raise ReplaceConflict(stale)
        batch_id = batches.create(db, article_id, lang, query.find, query.replace, actor.name)
        changes, saved = [], []
        for sid in sorted(picks, key=lambda s: segments[s]["idx"]):
            current = current_rows.get(sid)
            if current is None:  # nothing translated there yet: nothing to replace
                continue
            text = query.apply(current["text"])
            if text == current["text"]:
                continue
            done = translations.save(db, actor, sid, lang, text, base_version=current["version"],
                                     note=f"find and replace #{batch_id}", follow=False)
            if not done.changed:
                continue
            saved.append(done)
            changes.append({"segment_id": sid, "number": segments[sid]["idx"] + 1,
                            "before_text": current["text"], "before_status": current["status"],
                            "version": done.translation["version"]})
        translations.follow_all(db, actor, lang, saved)
        batches.set_changes(db, batch_id, changes)
    events.send_pending(db)
    return {"id": batch_id, "changed": [c["number"] for c in changes]}


def get_batch(db: sqlite_utils.Database, batch_id: int) -> dict:
    return batches.get(db, batch_id)


def last_batch(db: sqlite_utils.Database, article_id: int, lang: str, user: str) -> dict | None:
    """This user's latest run on this article and language that has not been undone."""
    return batches.last(db, article_id, lang, user)


def undo(db: sqlite_utils.Database, batch_id: int, *, actor: Actor) -> dict:
    """Put back the text of every segment a run changed, as new versions by `actor`.

    Only the person who ran it, or someone who may approve, undoes a run (Forbidden otherwise).
    A segment saved again since the run is left alone and reported (never silently overwritten).
    An approved segment comes back approved only for an actor who may approve; otherwise "edited".
    """
    translations.require(actor, "edit")
    with transaction(db):
        batch = get_batch(db, batch_id)
        if batch["created_by"] != actor.name and not actor.may("approve"):
            raise Forbidden("Only the person who ran a replace, or a reviewer, may undo it.")
        if batch["undone_at"]:
            raise UserError(f"find-and-replace run {batch_id} was undone already")
        restored, skipped, saved = [], [], []
        for change in batch["changes"]:
            current = store.get_translation(db, change["segment_id"], batch["lang"])
            if current is None or current["version"] != change["version"]:
                skipped.append(change["number"])
                continue
            approve = change["before_status"] == "approved" and actor.may("approve") and bool(
                translations.normalise(change["before_text"]))
            saved.append(translations.save(
                db, actor, change["segment_id"], batch["lang"], change["before_text"],
                base_version=current["version"], approve=approve, status=None if approve else (
                    "mt_draft" if change["before_status"] == "mt_draft" else "edited"), note=f"undo find and replace #{batch_id}",
                # it was approved as it was (with any reason it needed then): the undo restores that
                reason=f"restored by undoing find and replace #{batch_id}" if approve else None, follow=False))
            restored.append(change["number"])
        translations.follow_all(db, actor, batch["lang"], saved)
        batches.mark_undone(db, batch_id)
    events.send_pending(db)
    return {"id": batch_id, "restored": restored, "skipped": skipped, "article_id": batch["article_id"],
            "lang": batch["lang"]}
