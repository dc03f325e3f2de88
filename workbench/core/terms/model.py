"""The termbase model: concepts with terms per language, as in TBX."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.core.errors import UserError

DOMAINS = ("rank", "place", "org", "event", "other")
STATUSES = ("preferred", "admitted", "forbidden")
LANG_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# Ids and glossary names are path segments of the glossary pages: a closed set of characters, no
# "/" (which made one concept's URL reach another's delete route) and no "." or ".." alone.
CONCEPT_ID = re.compile(r"^\w[\w.:-]{0,127}$")
GLOSSARY_NAME = re.compile(r"^\w(?:[\w .-]{0,62}[\w.-])?$")
RESERVED_IDS = {"new"}  # /glossary/<name>/concepts/new is the form for a new concept
# C0 control characters (NUL, ESC, ...): never in a term, which the checker matches and editors show;
# a note or source may keep tab and line breaks.
TERM_CONTROLS = re.compile(r"[\x00-\x1f]")
NOTE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class GlossaryError(UserError):
    """A glossary file or entry that cannot be imported; names the file, line or element, and why."""


@dataclass
class GlossaryRead:
    """What a reader made of a file: the valid concepts, the entries it could not read (problems:
    {"kind", "id", "line", "reason"}) and warnings (a status it did not know, read as admitted)."""

    concepts: list
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # the problems as the readers raised them

    def add_problem(self, error: Exception, concept_id: str | None, line: int | None, name: str) -> None:
        self.errors.append(error)
        reason = str(error)
        for prefix in (f"{name}: line {line}: ", f"{name}: "):
            reason = reason.removeprefix(prefix)
        reason = _without_subject(reason, concept_id)
        self.problems.append({"kind": "concept", "id": concept_id or None, "line": line, "reason": reason})

    def first_problem(self, name: str) -> GlossaryError | None:
        """The first problem as the error a strict reader raises (file: line N: reason)."""
        if not self.errors:
            return None
        first = self.errors[0]
        return first if str(first).startswith(f"{name}:") else GlossaryError(f"{name}: {first}")


@dataclass
class Term:
    lang: str
    text: str
    status: str = "preferred"
    pos: str | None = None
    note: str | None = None
    # What a TBX file held beyond that, written back on export: the language tag as written when
    # it says more than `lang` (az-Latn-AZ), the administrativeStatus or normativeAuthorization as
    # written (standardizedTerm-admn-sts), the term's context and source.
    tag: str | None = None
    status_value: str | None = None
    context: str | None = None
    source: str | None = None

    def key(self) -> tuple:
        return (self.lang, self.text, self.status, self.pos or None, self.note or None, self.tag or None,
                self.status_value or None, self.context or None, self.source or None)

    def extra(self) -> dict:
        """The TBX fields beyond the table's columns, for storage (empty ones left out)."""
        return {k: v for k, v in (("tag", self.tag), ("status_value", self.status_value),
                                  ("context", self.context), ("source", self.source)) if v}


@dataclass
class Concept:
    id: str
    domain: str = "other"
    note: str | None = None
    source: str | None = None
    terms: list[Term] = field(default_factory=list)
    glossary: str | None = None
    # From a TBX file: the concept's definition, the subject field as written (when it is not one
    # of DOMAINS), and per language (its tag as written) the language-level definition, note and
    # source; shown in the glossary and written back on export.
    definition: str | None = None
    subject: str | None = None
    language_info: dict = field(default_factory=dict)
    line: int | None = field(default=None, compare=False)  # in the file read, for messages

    def extra(self) -> dict:
        return {k: v for k, v in (("definition", self.definition), ("subject", self.subject),
                                  ("language_info", self.language_info)) if v}

    def terms_in(self, lang: str, *statuses: str) -> list[Term]:
        return [t for t in self.terms if t.lang == lang and (not statuses or t.status in statuses)]

    def languages(self) -> list[str]:
        return sorted({t.lang for t in self.terms}, key=lambda l: (l != "en", l))

    def key(self) -> tuple:
        """What must survive an export and import: everything but the glossary name."""
        return (self.id, self.domain, self.note or None, self.source or None,
                tuple(sorted(t.key() for t in self.terms)), self.definition or None, self.subject or None,
                tuple(sorted((lang, tuple(sorted(info.items()))) for lang, info in self.language_info.items())))


def validate(concept: Concept, where: str) -> None:
    """Raise GlossaryError (prefixed with `where`) unless the concept is complete and sane."""
    if not concept.id or not concept.id.strip():
        raise GlossaryError(f"{where}: the concept has no id; give every concept a unique id")
    if not CONCEPT_ID.fullmatch(concept.id) or concept.id in RESERVED_IDS:
        raise GlossaryError(f"{where}: concept id {concept.id!r} is not allowed; use letters, digits "
                            "and . _ : - (at most 128, starting with a letter or digit; not 'new')")
    if concept.domain not in DOMAINS:
        raise GlossaryError(f"{where}: concept {concept.id!r}: unknown domain {concept.domain!r}; "
                            f"use one of {', '.join(DOMAINS)}")
    if not concept.terms:
        raise GlossaryError(f"{where}: concept {concept.id!r} has no terms")
    for label, text in (("note", concept.note), ("source", concept.source)):
        _refuse_controls(text or "", NOTE_CONTROLS, f"{where}: concept {concept.id!r}: the {label}")
    seen = set()
    for term in concept.terms:
        if not LANG_CODE.match(term.lang):
            raise GlossaryError(f"{where}: concept {concept.id!r}: {term.lang!r} is not a language code")
        if not term.text.strip():
            raise GlossaryError(f"{where}: concept {concept.id!r}: an empty {term.lang} term")
        _refuse_controls(term.text, TERM_CONTROLS, f"{where}: concept {concept.id!r}: the {term.lang} term")
        if term.status not in STATUSES:
            raise GlossaryError(f"{where}: concept {concept.id!r}: unknown term status {term.status!r}")
        if (term.lang, term.text) in seen:
            raise GlossaryError(f"{where}: concept {concept.id!r}: the {term.lang} term "
                                f"{term.text!r} appears twice")
        seen.add((term.lang, term.text))


def _refuse_controls(text: str, pattern: re.Pattern, what: str) -> None:
    found = pattern.search(text)
    if found:
        raise GlossaryError(f"{what} {text[:40]!r} holds the control character U+{ord(found.group()):04X}, "
                            "which no term or note may hold; delete it (it often comes from a copy out of "
                            "another program) and import the file again")


def require_english(concept: Concept, where: str) -> None:
    """Concepts made in the workbench need an English term: the checker finds concepts in the
    English source, so a concept without one would never be checked. (Imports keep their rules.)"""
    if not any(t.lang == "en" and t.text.strip() for t in concept.terms):
        raise GlossaryError(f"{where}: the concept has no English term; give at least one (en), "
                            "the checker finds concepts by their English terms")


def _without_subject(reason: str, concept_id: str | None) -> str:
    """A reason without the "<termEntry>: concept 'x': " a problem's label says already."""
    for prefix in ("<termEntry>: ", "<conceptEntry>: ", f"concept {concept_id!r}: "):
        reason = reason.removeprefix(prefix)
    return reason


def drop_repeated_ids(read: GlossaryRead, name: str) -> None:
    """A second concept with an id already read is a problem (the first one stays)."""
    seen, kept = set(), []
    for concept in read.concepts:
        if concept.id in seen:
            read.add_problem(GlossaryError(f"concept id {concept.id!r} appears twice; ids must be unique"),
                             concept.id, concept.line, name)
            continue
        seen.add(concept.id)
        kept.append(concept)
    read.concepts = kept


def check_unique_ids(concepts: list[Concept], source: str) -> None:
    seen = set()
    for concept in concepts:
        if concept.id in seen:
            raise GlossaryError(f"{source}: concept id {concept.id!r} appears twice; ids must be unique")
        seen.add(concept.id)


def check_glossary_name(name: str) -> str:
    """The name itself, or GlossaryError when it cannot be a glossary's name (and URL segment)."""
    if not GLOSSARY_NAME.fullmatch(name or ""):
        raise GlossaryError(f"glossary name {name!r} is not allowed; use letters, digits, spaces and "
                            ". _ - (at most 64, starting with a letter or digit)")
    return name
