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
from workbench.core.problems import LISTED, describe, refusal
from workbench.core.terms.files import read_glossary, read_glossary_entries
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
    for field, text in (("definition", concept.definition), ("subject field", concept.subject)):
        hygiene.clean(text or "", field, where=where, limit=hygiene.LIMITS["note"], multiline=field == "definition")
    for tag, info in concept.language_info.items():
        hygiene.clean(tag, "language tag", where=where, limit=hygiene.LIMITS["name"], multiline=False)
        for field, text in info.items():
            hygiene.clean(text or "", f"{tag} {field}", where=where, limit=hygiene.LIMITS["note"])
    for term in concept.terms:
        for field, text in (("language tag", term.tag), ("status", term.status_value), ("context", term.context),
                            ("source", term.source)):
            hygiene.clean(text or "", field, where=f"{where}: {term.lang} term {term.text!r}",
                          limit=hygiene.LIMITS["note"], multiline=field in ("context", "source"))
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
    if original_id and store_terms.concept_exists(db, glossary, original_id):
        keep_details(store_terms.get_concept(db, glossary, original_id), concept)
    check_concept(concept, f"concept {concept.id!r}")
    store_terms.save_concept(db, glossary, concept, user=actor.name, original_id=original_id)
    return findings.refresh_all(db)


def keep_details(before: Concept, concept: Concept) -> None:
    """What the concept form does not show (an imported file's definitions, language tags and
    status values as written, contexts, sources) stays through an edit: per term by language and
    text, the subject field while the domain stays."""
    if not (concept.definition or concept.subject or concept.language_info):
        concept.definition, concept.language_info = before.definition, dict(before.language_info)
        concept.subject = before.subject if concept.domain == before.domain else None
    old = {(t.lang, t.text): t for t in before.terms}
    for term in concept.terms:
        was = old.get((term.lang, term.text))
        if was is None or term.extra():
            continue
        term.tag, term.status_value, term.context, term.source = was.tag, was.status_value, was.context, was.source
        if term.status_value and was.status != term.status:
            term.status_value = None  # the form changed the status: the file's value no longer says it
        term.pos = term.pos or was.pos
        term.note = term.note or was.note


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


def entry_problems(concepts: list[Concept], source: str) -> tuple[list[Concept], list[dict]]:
    """The concepts that may be stored, and a problem (id, line, reason) for each other one:
    check_concept's rule, entry by entry."""
    valid, problems = [], []
    for concept in concepts:
        try:
            check_concept(concept, source)
        except (GlossaryError, hygiene.TextRefused) as err:
            reason = str(err).removeprefix(f"{source}: ").removeprefix(f"concept {concept.id!r}: ")
            problems.append({"kind": "concept", "id": concept.id or None, "line": concept.line, "reason": reason})
            continue
        valid.append(concept)
    return valid, problems


def import_file(db: sqlite_utils.Database, actor, data: bytes, filename: str, *, glossary: str | None = None,
                replace: bool = False, skip_invalid: bool = False) -> dict:
    """Read a CSV, TSV or TBX file and import it (into the glossary named after the file by
    default) in one transaction. An entry that cannot be read or stored (problems naming its id,
    line and reason) refuses the file (ImportRefused, nothing stored) unless `skip_invalid`: then
    the valid entries are imported and the others listed under "skipped" (with --replace, a
    skipped entry's stored concept stays). Warnings (a status the reader did not know) are listed."""
    _require_admin(db, actor, "import glossaries")
    source = Path(filename).name
    read = read_glossary_entries(data, filename)
    valid, problems = entry_problems(read.concepts, source)
    problems = sorted(read.problems + problems, key=lambda p: p["line"] or 0)
    if problems and not skip_invalid:
        raise refusal(source, ("entry", "entries"), problems)
    name = glossary or Path(filename).stem
    counts = store_terms.import_concepts(db, name, valid, replace=replace, source=source, user=actor.name,
                                         keep={p["id"] for p in problems if p["id"]})
    counts["translations_rechecked"] = findings.refresh_all(db)
    counts["skipped"] = problems[:LISTED]
    counts["invalid"] = len(problems)
    counts["warnings"] = read.warnings[:LISTED]
    return counts


def import_summary(counts: dict) -> str:
    """One line for a person: what a glossary import added, updated, kept, removed and skipped."""
    text = (f"Glossary {counts['glossary']!r}: {counts['added']} added, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['removed']} removed")
    if counts.get("skipped"):
        text += f"; skipped {counts['invalid']} invalid entries: {describe(counts['skipped'], counts['invalid'])}"
    if counts.get("warnings"):
        text += "; warnings: " + "; ".join(counts["warnings"][:20])
    return text


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
