"""CSV and TSV glossaries: one concept per row, one column per language.

Columns: `id`, `domain`, `note` (and optionally `source`), then language codes. Several terms in
one cell are separated by " | "; the first is preferred, the others admitted; a term prefixed
with "!" is forbidden. Comma, semicolon and tab delimiters; UTF-8 with or without BOM.

A spreadsheet opening an exported file runs a cell that starts with = + - @ (or tab, CR) as a
formula (CSV injection): the export prefixes such a cell with a single quote, as OWASP advises,
and the import takes exactly that quote off again, so a file round-trips unchanged.
"""

from __future__ import annotations

import csv
import io

from workbench.core.terms.model import (LANG_CODE, Concept, GlossaryError, GlossaryRead, Term, drop_repeated_ids,
                                        validate)

META_COLUMNS = ("id", "domain", "note", "source")
SEPARATOR = " | "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(cell: str) -> str:
    """The cell as a spreadsheet shows it as text: a quote before a formula start. A cell already
    made of quotes before one gets another, so `undo_defuse` can tell the two apart."""
    if cell.startswith(FORMULA_STARTS) or (cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS)):
        return "'" + cell
    return cell


def undo_defuse(cell: str) -> str:
    """The exported cell as it was before `defuse`: one quote fewer before a formula start."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


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


def _line_of_open_quote(text: str, first_line: int, delimiter: str) -> int:
    """The line on which the quote left open at the end of the file was opened.

    Scans from the first line of the row the csv reader was reading when the data ran out,
    following CSV's rules: a quote opens a field only at the field's start, and "" inside a
    quoted field is an escaped quote.
    """
    offset = 0
    for _ in range(first_line - 1):
        offset = text.index("\n", offset) + 1
    line, opened_on, quoted, at_field_start = first_line, first_line, False, True
    i = offset
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"':
                if text[i + 1:i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif char == '"' and at_field_start:
            quoted, opened_on = True, line
        at_field_start = not quoted and char in (delimiter, "\n", "\r")
        if char == "\n":
            line += 1
        i += 1
    return opened_on


def read_tabular(data: bytes, name: str) -> list[Concept]:
    """Concepts from a CSV/TSV file, strictly: the first row that cannot be read raises, naming the line."""
    read = read_tabular_entries(data, name)
    error = read.first_problem(name)
    if error:
        raise error
    return read.concepts


def read_tabular_entries(data: bytes, name: str) -> GlossaryRead:
    """Every row of a CSV/TSV file: the concepts read and the rows that could not be (problems
    naming the id and line). A file whose header or quoting cannot be read is refused whole."""
    text = _decode(data, name)
    first_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row_start = 1  # the line on which the row being read begins
    try:
        try:
            header = [column.strip() for column in next(reader)]
        except StopIteration:
            raise GlossaryError(f"{name}: the file is empty") from None
        if "id" not in header:
            raise GlossaryError(f"{name}: line 1: no 'id' column; the header must name id, domain, "
                                "note and one column per language code")
        for column in header:
            if column not in META_COLUMNS and not LANG_CODE.match(column):
                raise GlossaryError(f"{name}: line 1: column {column!r} is neither id, domain, note, "
                                    "source nor a language code such as en, az, tr, ru")
        read = GlossaryRead([])
        row_start = reader.line_num + 1
        for row in reader:
            try:
                concept = _row_concept(row, header, name, row_start)
            except GlossaryError as err:
                cells = dict(zip(header, row))
                read.add_problem(err, (cells.get("id") or "").strip() or None, _error_line(str(err), name, row_start),
                                 name)
                concept = None
            if concept is not None:
                read.concepts.append(concept)
            row_start = reader.line_num + 1
    except csv.Error as err:
        if "unexpected end of data" in str(err):
            opened = _line_of_open_quote(text, row_start, delimiter)
            raise GlossaryError(f"{name}: line {opened}: a quote opened here is never closed; "
                                'close it with " (write "" for a quote inside a cell)') from None
        spans = (f" (its row began on line {row_start} and runs across lines: a quote there is "
                 "probably not closed)") if reader.line_num > row_start else ""
        raise GlossaryError(f"{name}: line {reader.line_num}: {err}{spans}; a cell that holds a quote "
                            'must be quoted as a whole, with "" for each quote inside') from None
    drop_repeated_ids(read, name)
    return read


def _error_line(message: str, name: str, default: int) -> int:
    rest = message.removeprefix(f"{name}: line ")
    number = rest.split(":", 1)[0]
    return int(number) if rest != message and number.isdigit() else default


def _row_concept(row: list[str], header: list[str], name: str, line: int) -> Concept | None:
    if not any(cell.strip() for cell in row):
        return None
    if len(row) > len(header):
        raise GlossaryError(f"{name}: line {line}: {len(row)} cells but {len(header)} columns; "
                            "quote cells that contain the delimiter")
    cell_line = line
    for column, cell in zip(header, row):
        if column != "note" and ("\n" in cell or "\r" in cell):
            raise GlossaryError(f"{name}: line {cell_line}: the {column!r} cell holds a line break "
                                f"({cell.strip()[:40]!r}); a term, id or domain is one line — "
                                "check for a quote that is not closed")
        cell_line += cell.count("\n")
    cells = dict(zip(header, (undo_defuse(cell.strip()) for cell in row)))
    concept = Concept(id=cells.get("id", ""), domain=cells.get("domain") or "other",
                      note=cells.get("note") or None, source=cells.get("source") or None, line=line)
    for column in header:
        if column not in META_COLUMNS:
            concept.terms.extend(parse_cell(cells.get(column, ""), column))
    validate(concept, f"{name}: line {line}")
    return concept


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
        writer.writerow([defuse(cell) for cell in (concept.id, concept.domain, concept.note or "",
                                                   concept.source or "", *(_cell(concept, lang) for lang in langs))])
    return out.getvalue()
