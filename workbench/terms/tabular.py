"""CSV and TSV glossaries: one concept per row, one column per language.

Columns: `id`, `domain`, `note` (and optionally `source`), then language codes. Several terms in
one cell are separated by " | "; the first is preferred, the others admitted; a term prefixed
with "!" is forbidden. Comma, semicolon and tab delimiters; UTF-8 with or without BOM.
"""

from __future__ import annotations

import csv
import io

from .model import LANG_CODE, Concept, GlossaryError, Term, check_unique_ids, validate

META_COLUMNS = ("id", "domain", "note", "source")
SEPARATOR = " | "


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise GlossaryError(f"{name}: line {line}: not valid UTF-8; save the file as UTF-8") from None


def _sniff_delimiter(header: str, name: str) -> str:
    counts = {d: header.count(d) for d in ("\t", ";", ",")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise GlossaryError(f"{name}: line 1: no tab, semicolon or comma in the header; "
                            "the first row must name the columns (id, domain, note, en, az, ...)")
    return delimiter


def parse_cell(cell: str, lang: str) -> list[Term]:
    terms = []
    for raw in (part.strip() for part in cell.split(SEPARATOR.strip())):
        if not raw:
            continue
        if raw.startswith("!"):
            terms.append(Term(lang, raw[1:].strip(), "forbidden"))
        else:
            preferred = not any(t.status != "forbidden" for t in terms)
            terms.append(Term(lang, raw, "preferred" if preferred else "admitted"))
    return terms


def read_tabular(data: bytes, name: str) -> list[Concept]:
    text = _decode(data, name)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line, name))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise GlossaryError(f"{name}: the file is empty") from None
    if "id" not in header:
        raise GlossaryError(f"{name}: line 1: no 'id' column; the header must name id, domain, note "
                            "and one column per language code")
    for column in header:
        if column not in META_COLUMNS and not LANG_CODE.match(column):
            raise GlossaryError(f"{name}: line 1: column {column!r} is neither id, domain, note, "
                                "source nor a language code such as en, az, tr, ru")
    concepts = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise GlossaryError(f"{name}: line {line}: {len(row)} cells but {len(header)} columns; "
                                    "quote cells that contain the delimiter")
            cells = dict(zip(header, (cell.strip() for cell in row)))
            concept = Concept(id=cells.get("id", ""), domain=cells.get("domain") or "other",
                              note=cells.get("note") or None, source=cells.get("source") or None)
            for column in header:
                if column not in META_COLUMNS:
                    concept.terms.extend(parse_cell(cells.get(column, ""), column))
            validate(concept, f"{name}: line {line}")
            concepts.append(concept)
    except csv.Error as err:
        raise GlossaryError(f"{name}: line {reader.line_num}: {err}") from None
    check_unique_ids(concepts, name)
    return concepts


def _cell(concept: Concept, lang: str) -> str:
    ordered = (concept.terms_in(lang, "preferred") + concept.terms_in(lang, "admitted")
               + concept.terms_in(lang, "forbidden"))
    return SEPARATOR.join(("!" if t.status == "forbidden" else "") + t.text for t in ordered)


def write_tabular(concepts: list[Concept], delimiter: str = ",") -> str:
    langs = sorted({t.lang for c in concepts for t in c.terms}, key=lambda l: (l != "en", l))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["id", "domain", "note", "source", *langs])
    for concept in concepts:
        writer.writerow([concept.id, concept.domain, concept.note or "", concept.source or "",
                         *(_cell(concept, lang) for lang in langs)])
    return out.getvalue()
