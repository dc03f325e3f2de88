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

from workbench.data import suggestions as stored, termbase as store_terms
from workbench.services import findings
from workbench.services.glossary import check_concept
from workbench.data.db import transaction
from workbench.core.errors import Forbidden, UserError
from workbench.data.store import NotFound
from workbench.core.terms.model import Concept, GlossaryError, Term, check_glossary_name


class SuggestionError(UserError):
    status = 409


def _to_json(concept: Concept | None) -> str | None:
    return store_terms._concept_json(concept)  # the same shape as the concept history


def concept_from_json(text: str, glossary: str | None = None) -> Concept:
    data = json.loads(text)
    terms = [Term(**t) for t in data.pop("terms", [])]
    data.pop("glossary", None)
    return Concept(**data, terms=terms, glossary=glossary)


def _name(actor) -> str:
    return actor if isinstance(actor, str) else actor.name


def suggest(db: sqlite_utils.Database, glossary: str, concept: Concept, *, user,
            original_id: str | None = None, comment: str | None = None) -> int:
    """Store a proposal (new concept, or a change of `original_id`) by `user` (an Actor with the
    "edit" right, or a name already checked); returns its id. Validated like any concept
    (glossary.check_concept)."""
    if not isinstance(user, str) and not user.may("edit"):
        raise Forbidden(f"{user.name!r} is not a translator, reviewer or admin account")
    check_glossary_name(glossary)
    where = f"suggested concept {concept.id!r}"
    check_concept(concept, where)
    with transaction(db):
        if not store_terms.glossary_exists(db, glossary):
            raise GlossaryError(f"there is no glossary {glossary!r}; suggest into an existing one")
        base = None
        if original_id:
            base = store_terms.get_concept(db, glossary, original_id)
            if base.key() == concept.key():
                raise GlossaryError(f"{where}: nothing changed; edit a term, the note or the domain first")
        if concept.id != original_id and store_terms.concept_exists(db, glossary, concept.id):
            raise GlossaryError(f"{where}: the id exists already in glossary {glossary!r}; "
                                "suggest a change of that concept instead")
        return stored.add(db, {
            "glossary": glossary, "concept_id": original_id, "kind": "change" if original_id else "new",
            "proposed_json": _to_json(concept), "base_json": _to_json(base), "comment": comment or None,
            "created_by": _name(user)})


def get(db: sqlite_utils.Database, suggestion_id: int) -> dict:
    return _decorate(stored.get(db, suggestion_id))


def _decorate(row: dict) -> dict:
    row = dict(row)
    row["proposed"] = concept_from_json(row["proposed_json"], row["glossary"])
    row["base"] = concept_from_json(row["base_json"], row["glossary"]) if row["base_json"] else None
    return row


def listing(db: sqlite_utils.Database, status: str | None = None) -> list[dict]:
    return [_decorate(r) for r in stored.listing(db, status)]


def decide(db: sqlite_utils.Database, suggestion_id: int, accept: bool, *, user,
           note: str | None = None) -> dict:
    """Accept (the concept is saved as proposed) or reject an open suggestion; `user` is an Actor
    with the admin right (or a name already checked). An acceptance rechecks the translations."""
    if not isinstance(user, str) and not user.may("admin"):
        raise Forbidden(f"{user.name!r} is not an admin account; only admins decide suggestions")
    name = _name(user)
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
            check_concept(row["proposed"], f"suggested concept {row['proposed'].id!r}")
            store_terms.save_concept(db, row["glossary"], row["proposed"], user=name,
                                     original_id=row["concept_id"])
            store_terms.name_latest_history(db, f"suggestion {suggestion_id} by {row['created_by']} accepted")
        stored.set_decision(db, suggestion_id, "accepted" if accept else "rejected", name, note)
    if accept:
        findings.refresh_all(db)
    return get(db, suggestion_id)


def _current(db, glossary: str, concept_id: str) -> Concept | None:
    try:
        return store_terms.get_concept(db, glossary, concept_id)
    except NotFound:
        return None
