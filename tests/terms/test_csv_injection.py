"""Glossary CSV/TSV: no cell of an export runs as a spreadsheet formula (OWASP's quote prefix), an
import takes that quote off again so a round trip is lossless, and control characters are refused."""

from __future__ import annotations

import csv
import io

import pytest

from workbench.core.terms.files import read_glossary, write_glossary
from workbench.core.terms.model import Concept, GlossaryError, Term

DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"Baku\")", "+1+cmd' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
             "'=already quoted", "''=twice", "'plain apostrophe", "-", "=", "'"]


def _concepts() -> list[Concept]:
    concepts = []
    for number, text in enumerate(DANGEROUS):
        concepts.append(Concept(id=f"c{number}", domain="other", note=text, source=text,
                                terms=[Term("en", f"Term {number}"), Term("az", text),
                                       Term("az", f"{text} other", "admitted"), Term("tr", text, "forbidden")]))
    concepts.append(Concept(id="c.note", domain="other", note="\tindented\r\nnote",
                            terms=[Term("en", "Baku"), Term("az", "Bakı")]))
    return concepts


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
def test_no_exported_cell_starts_a_formula(fmt, delimiter):
    data = write_glossary(_concepts(), fmt).decode("utf-8")
    rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=delimiter))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"http://evil.example\",\"Baku\")" in cells and "'-2+3" in cells
    assert "'plain apostrophe" in cells and "''=already quoted" in cells  # quoted once more, see below


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_the_quote_comes_off_again_on_import_so_the_round_trip_is_lossless(fmt):
    concepts = _concepts()
    back = read_glossary(write_glossary(concepts, fmt), f"termbase.{fmt}")
    assert [c.key() for c in back] == [c.key() for c in concepts]


def test_a_hand_made_file_with_quoted_formulas_imports_their_text():
    data = "id,domain,note,en,az\nc1,other,'-5 degrees,'=Baku,'@Bakı | '+x\n".encode()
    (concept,) = read_glossary(data, "hand.csv")
    assert concept.note == "-5 degrees" and [t.text for t in concept.terms] == ["=Baku", "@Bakı", "'+x"]


@pytest.mark.parametrize("fmt,control", [("csv", "\x00"), ("csv", "\x1b"), ("csv", "\t"), ("tsv", "\x00"),
                                         ("tsv", "\x07"), ("csv", "\x0b")])
def test_control_characters_in_terms_are_refused_by_file_and_line(fmt, control):
    sep = "," if fmt == "csv" else "\t"
    rows = ["id,domain,en,az", "c1,other,Baku,Bakı", f"c2,other,Gan{control}ja,Gəncə"]
    data = "\n".join(row.replace(",", sep) for row in rows).encode() + b"\n"
    if control == "\t" and fmt == "csv":
        data = data.replace(b"Gan\tja", b'"Gan\tja"')
    with pytest.raises(GlossaryError) as refused:
        read_glossary(data, f"terms.{fmt}")
    message = str(refused.value)
    assert message.startswith(f"terms.{fmt}: line 3: concept 'c2': the en term")
    assert f"U+{ord(control):04X}" in message and "delete it" in message


def test_a_note_keeps_tabs_and_line_breaks_but_not_other_controls():
    fine = 'id,domain,note,en\nc1,other,"a\tb\nc",Baku\n'.encode()
    assert read_glossary(fine, "n.csv")[0].note == "a\tb\nc"
    with pytest.raises(GlossaryError, match=r"n.csv: line 2: concept 'c1': the note .* U\+0000"):
        read_glossary(b"id,domain,note,en\nc1,other,a\x00b,Baku\n", "n.csv")
