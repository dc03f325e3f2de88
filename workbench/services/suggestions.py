"""Concept suggestions: a translator proposes a new concept or a change, an admin decides.

A suggestion is validated like a concept when it is made (so an admin only ever sees proposals
that could be saved), keeps the concept as it stood then, and is accepted only while the concept
is unchanged: accepting over a later edit would silently undo it, so that is refused and the
admin asks for a fresh suggestion. Decided suggestions stay as the history (who proposed, who
decided, when, why); an accepted one is also logged in the concept's own history.
"""

from __future__ import annotations

import json

import sqlite_utils

from workbench.data import termbase as store_terms
from workbench.data.db import transaction
from workbench.core.errors import UserError
from workbench.data.store import NotFound, now
from workbench.core.terms.model import (Concept, GlossaryError, Term, check_glossary_name, require_english, validate)


class SuggestionError(UserError):
    status = 409


def _to_json(concept: Concept | None) -> str | None:
    return store_terms._concept_json(concept)  # the same shape as the concept history


def concept_from_json(text: str, glossary: str | None = None) -> Concept:
    data = json.loads(text)
    terms = [Term(**t) for t in data.pop("terms", [])]
    data.pop("glossary", None)
    return Concept(**data, terms=terms, glossary=glossary)


def suggest(db: sqlite_utils.Database, glossary: str, concept: Concept, *, user: str,
            original_id: str | None = None, comment: str | None = None) -> int:
    """Store a proposal (new concept, or a change of `original_id`); returns its id."""
    check_glossary_name(glossary)
    where = f"suggested concept {concept.id!r}"
    validate(concept, where)
    require_english(concept, where)
    with transaction(db):
        if not list(db.query("SELECT name FROM glossaries WHERE name = ?", [glossary])):
            raise GlossaryError(f"there is no glossary {glossary!r}; suggest into an existing one")
        base = None
        if original_id:
            base = store_terms.get_concept(db, glossary, original_id)
            if base.key() == concept.key():
                raise GlossaryError(f"{where}: nothing changed; edit a term, the note or the domain first")
        if concept.id != original_id and list(db.query(
                "SELECT id FROM concepts WHERE glossary = ? AND id = ?", [glossary, concept.id])):
            raise GlossaryError(f"{where}: the id exists already in glossary {glossary!r}; "
                                "suggest a change of that concept instead")
        return db["concept_suggestions"].insert({
            "glossary": glossary, "concept_id": original_id, "kind": "change" if original_id else "new",
            "proposed_json": _to_json(concept), "base_json": _to_json(base), "comment": comment or None,
            "created_by": user, "created_at": now()}).last_pk


def get(db: sqlite_utils.Database, suggestion_id: int) -> dict:
    rows = list(db.query("SELECT * FROM concept_suggestions WHERE id = ?", [suggestion_id]))
    if not rows:
        raise NotFound(f"suggestion {suggestion_id} does not exist")
    return _decorate(rows[0])


def _decorate(row: dict) -> dict:
    row = dict(row)
    row["proposed"] = concept_from_json(row["proposed_json"], row["glossary"])
    row["base"] = concept_from_json(row["base_json"], row["glossary"]) if row["base_json"] else None
    return row


def listing(db: sqlite_utils.Database, status: str | None = None) -> list[dict]:
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    return [_decorate(r) for r in db.query(
        f"SELECT * FROM concept_suggestions {where} ORDER BY status != 'open', id DESC", params)]


def decide(db: sqlite_utils.Database, suggestion_id: int, accept: bool, *, user: str,
           note: str | None = None) -> dict:
    """Accept (the concept is saved as proposed) or reject an open suggestion."""
    with transaction(db):
        row = get(db, suggestion_id)
        if row["status"] != "open":
            raise SuggestionError(f"suggestion {suggestion_id} was {row['status']} already by "
                                  f"{row['decided_by']} at {row['decided_at']}")
        if accept:
            if row["kind"] == "change":
                current = _current(db, row["glossary"], row["concept_id"])
                if current is None or current.key() != row["base"].key():
                    raise SuggestionError(
                        f"concept {row['concept_id']!r} changed since suggestion {suggestion_id} was made; "
                        "reject it and ask for a new suggestion on the current concept")
            store_terms.save_concept(db, row["glossary"], row["proposed"], user=user,
                                     original_id=row["concept_id"])
            db["concept_history"].update(
                db.execute("SELECT MAX(id) FROM concept_history").fetchone()[0],
                {"action": f"suggestion {suggestion_id} by {row['created_by']} accepted"})
        db["concept_suggestions"].update(suggestion_id, {
            "status": "accepted" if accept else "rejected", "decided_by": user, "decided_at": now(),
            "decision_note": note or None})
    return get(db, suggestion_id)


def _current(db, glossary: str, concept_id: str) -> Concept | None:
    try:
        return store_terms.get_concept(db, glossary, concept_id)
    except NotFound:
        return None
