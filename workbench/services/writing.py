"""The one write every translation action ends in (services/translations.py, repetitions.py,
story_versions.py, machine translation): the row and its history, then what follows from it."""

from __future__ import annotations

import sqlite_utils

from workbench.data import store, tm
from workbench.data.db import transaction
from workbench.services import events, findings


def put(db: sqlite_utils.Database, segment: dict, lang: str, current: dict | None, *, text: str, status: str,
        origin: str, by: str | None, note: str | None = None, mt_text: str | None = None,
        alternatives: list | None = None, choice_note: str | None = None, extra: dict | None = None) -> int:
    """The one write every action ends in: the row and its history, then the findings, the memory
    on approval and the language.approved event when this approval completes the language.

    `segment` needs its id, text and article_id. Runs in the caller's transaction."""
    with transaction(db):
        translation_id = store.put_translation(
            db, segment["id"], lang, current, text=text, status=status, origin=origin, user=by, note=note,
            mt_text=mt_text, alternatives=alternatives, choice_note=choice_note, extra=extra)
        findings.refresh(db, [translation_id])
        if status == "approved":
            tm.add_unit(db, segment["text"], text, lang, article_id=segment["article_id"], user=by)
            events.language_approved_if_complete(db, segment["article_id"], lang)
    return translation_id
