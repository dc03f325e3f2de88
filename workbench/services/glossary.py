"""Glossary writes, for every door: the concept form, file imports (CSV/TSV/TBX), suggestions,
term candidates and the shipped glossaries.

One rule for what a concept must hold (check_concept): the file readers' own checks (id, terms,
statuses), text hygiene (core/hygiene.py: no control characters, lone surrogates or non-characters
in a term, note or source; terms on one line; the lengths of hygiene.LIMITS), a chosen domain, and
at least one English term: the checker finds
concepts in the English source, so a concept without an English term would never be checked. A
file import refuses the whole file and names every such entry.

Every write is credited to its actor in the concept history, needs the admin right, and refreshes
the stored term findings of every translation afterwards (they follow the termbase).
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from workbench.core import hygiene

from workbench.core.terms.files import read_glossary
from workbench.core.terms.model import DOMAINS, Concept, GlossaryError, validate
from workbench.data import instance as instance_paths, termbase as store_terms
from workbench.services import findings
from workbench.services.actor import Actor, require_capability


def has_english(concept: Concept) -> bool:
    return any(t.lang == "en" and t.text.strip() for t in concept.terms)


def check_texts(concept: Concept, where: str) -> None:
    """hygiene.TextRefused naming `where`, the concept and the field, for a text no stored text may hold."""
    where = f"{where}: concept {concept.id!r}" if f"{concept.id!r}" not in where else where
    for field, text in (("note", concept.note), ("source", concept.source)):
        hygiene.clean(text or "", field, where=where, limit=hygiene.LIMITS["note"])
    for term in concept.terms:
        hygiene.clean(term.text, "term", where=f"{where}: {term.lang}", multiline=False)
        hygiene.clean(term.note or "", "note", where=f"{where}: {term.lang} term {term.text!r}")
        hygiene.clean(term.pos or "", "term", where=f"{where}: {term.lang} term {term.text!r}: part of speech",
                      multiline=False)


def check_concept(concept: Concept, where: str) -> None:
    """GlossaryError (prefixed with `where`) unless the concept may be stored."""
    check_texts(concept, where)
    if not concept.domain:
        raise GlossaryError(f"{where}: choose a domain ({', '.join(DOMAINS)})")
    validate(concept, where)
    if not has_english(concept):
        raise GlossaryError(f"{where}: the concept has no English term; give at least one (en), "
                            "the checker finds concepts by their English terms")


def check_concepts(concepts: list[Concept], source: str) -> None:
    """check_concept for a whole file: a GlossaryError naming every entry without an English term."""
    for concept in concepts:
        check_texts(concept, source)
    for concept in concepts:
        if has_english(concept):
            validate(concept, f"{source}: concept {concept.id!r}")
    missing = [c.id for c in concepts if not has_english(c)]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
        raise GlossaryError(f"{source}: {len(missing)} concept{'s have' if len(missing) > 1 else ' has'} no English "
                            f"term: {shown}; give each at least one (en), the checker finds concepts by their "
                            "English terms. Nothing was imported.")


def _require_admin(db: sqlite_utils.Database, actor, what: str) -> None:
    """[permissions] manage_glossaries (admins by default)."""
    require_capability(db, actor, "manage_glossaries")


def save_concept(db: sqlite_utils.Database, actor, glossary: str, concept: Concept, *,
                 original_id: str | None = None) -> int:
    """Create or change one concept (the form, an accepted candidate); the translations rechecked."""
    _require_admin(db, actor, "change glossaries")
    check_concept(concept, f"concept {concept.id!r}")
    store_terms.save_concept(db, glossary, concept, user=actor.name, original_id=original_id)
    return findings.refresh_all(db)


def delete_concept(db: sqlite_utils.Database, actor, glossary: str, concept_id: str) -> int:
    _require_admin(db, actor, "delete concepts")
    store_terms.delete_concept(db, glossary, concept_id, user=actor.name)
    return findings.refresh_all(db)


def import_concepts(db: sqlite_utils.Database, actor, glossary: str, concepts: list[Concept], *,
                    source: str, replace: bool = False, origin: str | None = None) -> dict:
    """Merge (or replace) a glossary, all or nothing; the counts, with "translations_rechecked".

    `origin` is what the glossary list shows as its source (default: `source`, the file's name)."""
    _require_admin(db, actor, "import glossaries")
    check_concepts(concepts, source)
    counts = store_terms.import_concepts(db, glossary, concepts, replace=replace, source=origin or source,
                                         user=actor.name)
    counts["translations_rechecked"] = findings.refresh_all(db)
    return counts


def import_file(db: sqlite_utils.Database, actor, data: bytes, filename: str, *, glossary: str | None = None,
                replace: bool = False) -> dict:
    """Read a CSV, TSV or TBX file and import it (into the glossary named after the file by default)."""
    _require_admin(db, actor, "import glossaries")
    concepts = read_glossary(data, filename)
    name = glossary or Path(filename).stem
    return import_concepts(db, actor, name, concepts, source=Path(filename).name, replace=replace)


def load_shipped(db: sqlite_utils.Database, folder: Path | None = None, by: Actor | None = None) -> list[str]:
    """Import each shipped glossary (glossaries/*.tsv) not loaded yet, by the same rule as any import;
    a loaded one is left as users edited it. When one was loaded, the stored findings of the
    existing translations are recomputed. The history credits an import of the file by `by`
    (default: the OS account setting the instance up). The names loaded."""
    folder = folder or instance_paths.GLOSSARIES_DIR
    by = by or Actor.cli()
    present = {g["name"] for g in store_terms.glossaries(db)}
    loaded = []
    for path in sorted(Path(folder).glob("*.tsv")):
        if path.stem in present:
            continue
        concepts = read_glossary(path.read_bytes(), str(path))
        check_concepts(concepts, f"glossaries/{path.name}")
        store_terms.import_concepts(db, path.stem, concepts, source=f"shipped: glossaries/{path.name}",
                                    user=Actor.importer(f"glossaries/{path.name}", by).name)
        loaded.append(path.stem)
    if loaded:
        findings.refresh_all(db)
    return loaded
