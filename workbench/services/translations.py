"""Every write of a translation, as one unit of work whatever door it came through.

The editor, the API, the CLI, XLIFF import, find & replace, restoring a version and machine
translation all end here, so one rule holds for all of them, applied in one place:

* the actor's right: "edit" to save, "approve" to approve (Forbidden otherwise);
* the version precondition: a save names the version it was based on, and any change since (an
  approval included) is a VersionConflict naming who made it;
* an empty (or blank) text is stored as untranslated, never as a finished edit;
* the same text again is no change: no new version, and the status stays (an approval too);
* the text's hygiene and size limit (core/hygiene.py: no control characters, at most 20,000 characters);
* approving over QA or term errors needs a stated reason (services/approval.py), kept in the history;
* then the row and its history (data/store.py, with the actor's name as the author), the findings
  (services/findings.py), the memory on approval (data/tm.py), the repetitions that follow a
  person's edit (services/repetitions.py) and the language.approved event when an approval
  completes a language, all in the caller's transaction; events are sent after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from workbench.core import hygiene
from workbench.core.errors import Forbidden, UserError
from workbench.data import store, versions as stored_versions
from workbench.data.db import transaction
from workbench.services import approval, assignments, events, repetitions
from workbench.services.actor import Actor
from workbench.services.writing import put

__all__ = ["NeedsReason", "Saved", "SegmentRemoved", "follow_all", "normalise", "put", "require", "restore", "save", "unchanged",
           "write_drafts"]


class SegmentRemoved(UserError):
    """A save for a segment a story update removed: the text is kept with the removed segment."""

    status = 409

    def __init__(self, removed: dict, text: str):
        version = removed["removed_in"]
        super().__init__(f"This paragraph was removed from the story in version {version}; your text is kept "
                         f"under Removed in version {version}.")
        self.removed, self.text = removed, text


class NeedsReason(UserError):
    status = 422

    """Approving a text with QA or term errors needs a stated reason."""

    def __init__(self, segment: dict, errors: list[str]):
        super().__init__(f"segment {segment['idx'] + 1} has errors: {' '.join(errors)} Fix them, or give a "
                         "reason to approve it anyway.")
        self.segment, self.errors = segment, errors


@dataclass
class Saved:
    """What one save did."""
    segment: dict
    translation: dict | None            # the row as this call left it (read inside its transaction)
    changed: bool                       # False: the same text again, nothing written
    propagation: object | None = None   # repetitions.Propagation, when the save wrote
    followed: list[dict] = field(default_factory=list)


def require(actor: Actor, right: str) -> None:
    if not actor.may(right):
        what = {"edit": "save translations", "approve": "approve translations"}.get(right, right)
        raise Forbidden(f"{actor.name} ({actor.role or 'no role'}) may not {what}; "
                        f"that needs a {'reviewer' if right == 'approve' else 'translator'} role or higher.")


def normalise(text: str | None) -> str:
    """A blank text is no translation: stored as "" (untranslated)."""
    return text if text and text.strip() else ""


def status_for(text: str, approve: bool) -> str:
    if approve:
        return "approved"
    return "edited" if text else "untranslated"


def unchanged(current: dict | None, text: str, approve: bool = False, *, confirm: bool = True) -> bool:
    """Whether saving `text` (approving it, with `approve`) would change nothing stored.

    The same text again is no change and keeps the status (an approved segment stays approved); an
    approval of an unapproved text is a change, and so (with `confirm`) is saving a "source changed"
    draft as it is: the person confirms it fits the new source."""
    if current is None:
        return not text and not approve
    if current["status"] == "source_changed" and confirm:
        return False
    text_now = current["text"] if current["status"] != "untranslated" else ""
    if text != text_now:
        return False
    return not approve or current["status"] == "approved"


def save(db: sqlite_utils.Database, actor: Actor, segment_id: int, lang: str, text: str | None, *,
         base_version: int | None, approve: bool = False, reason: str | None = None,
         note: str | None = None, follow: bool = True, article_id: int | None = None,
         status: str | None = None, where: str = "") -> Saved:
    """Save (or approve) one segment's translation for `actor`; see the module docstring.

    `base_version` is the version the text was based on (0 or None: nothing stored yet).
    `article_id`, when given, must be the segment's article (NotFound otherwise). With `follow`
    (the default) the segment's machine-drafted repetitions take the new text. `status` puts back a
    status an undo restores ("mt_draft"); a save is otherwise "edited" (or "untranslated"). `where`
    names the place in a file for a refused text."""
    require(actor, "approve" if approve else "edit")
    text = normalise(hygiene.clean(text or "", "target", where=where))
    if status not in (None, "edited", "mt_draft", "needs_review"):
        raise ValueError(f"a save does not set the status {status!r}")
    if approve and not text:
        raise UserError("there is no text to approve; type the translation first")
    reason = hygiene.clean((reason or "").strip(), "reason", where=where)
    _keep_if_removed(db, actor, segment_id, lang, text, article_id)
    with transaction(db):
        segment = store.segment_row(db, segment_id)
        if article_id is not None and segment["article_id"] != article_id:
            raise store.NotFound("This segment is not in this article; reload the page.")
        assignments.check_write(db, actor, segment["article_id"], lang)
        current = store.get_translation(db, segment_id, lang)
        store.check_version(current, base_version)
        if unchanged(current, text, approve):
            return Saved(segment, current, False)
        if approve and not reason:
            errors = approval.blocking_errors(db, segment["text"], text, lang)
            if errors:
                raise NeedsReason(segment, errors)
        if note is None and approve and reason:
            note = f"approved despite errors: {reason}"
        # A person's own save: the row no longer follows a repetition (repetitions.py).
        status = status_for(text, approve) if approve or not text or status is None else status
        put(db, segment, lang, current, text=text, status=status,
            origin=(current or {}).get("origin") or "human", by=actor.name, note=note, extra={"follows": None})
        propagation = None
        if follow:
            propagation = repetitions.follow(db, segment["article_id"], segment, lang, text, actor)
        saved = Saved(segment, store.get_translation(db, segment_id, lang), True, propagation)
    events.send_pending(db)
    return saved


def _keep_if_removed(db: sqlite_utils.Database, actor: Actor, segment_id: int, lang: str, text: str,
                     article_id: int | None) -> None:
    """A save into a segment that no longer exists: when a story update removed it, the text is kept
    with the removed segment (SegmentRemoved says where); otherwise NotFound, in words."""
    if store.segment_exists(db, segment_id):
        return
    with transaction(db):
        removed = stored_versions.removed_segment(db, segment_id)
        if removed is None or (article_id is not None and removed["article_id"] != article_id):
            raise store.NotFound("This segment is not in this article (it may have been deleted); reload the page.")
        assignments.check_write(db, actor, removed["article_id"], lang)  # as for a segment still there
        if text:
            stored_versions.keep_save(db, removed["id"], {"lang": lang, "text": text, "by": actor.name,
                                                          "at": store.now()})
    raise SegmentRemoved(removed, text)


def restore(db: sqlite_utils.Database, actor: Actor, segment_id: int, lang: str, version: int, *,
            base_version: int | None, article_id: int | None = None) -> Saved:
    """Bring back the text of an earlier version as a new version (checked like a save)."""
    old = next((h for h in store.history(db, segment_id, lang) if h["version"] == version), None)
    if old is None:
        raise store.NotFound(f"segment {segment_id} has no version {version} in {lang}")
    return save(db, actor, segment_id, lang, old["after_text"], base_version=base_version,
                note=f"restored version {version}", article_id=article_id)


def follow_all(db: sqlite_utils.Database, actor: Actor, lang: str, saved: list[Saved]) -> list:
    """Let the repetitions of every segment a batch action changed follow it (after the batch wrote
    all its own segments: a copy the batch changed itself is a person's text and stays)."""
    return [repetitions.follow(db, s.segment["article_id"], s.segment, lang, s.translation["text"], actor)
            for s in saved if s.changed and s.translation]


def write_drafts(db: sqlite_utils.Database, lang: str, drafts: list[store.Draft], *, force: bool,
                 user: str | Actor | None = None, sources: dict[int, str] | None = None) -> int:
    """Store a batch of machine drafts in one transaction; never touches a human edit. Returns count.

    With `sources` (segment id -> the source text the draft was made from), a draft whose segment's
    source changed meanwhile is not written. Each draft's findings are computed as it is written."""
    by = getattr(user, "name", user)
    writable = ("untranslated", "mt_draft") if force else ("untranslated",)
    written = 0
    with transaction(db):
        if sources is not None:
            drafts = store.drafts_still_current(db, drafts, sources)
        for draft in drafts:
            current = store.get_translation(db, draft.segment_id, lang)
            if current is not None and current["status"] not in writable:
                continue  # a translator got there first: their work wins
            put(db, store.segment_row(db, draft.segment_id), lang, current, text=draft.text, status="mt_draft",
                origin=draft.origin, by=by, mt_text=draft.text, alternatives=draft.alternatives,
                choice_note=draft.choice_note)
            written += 1
    return written
