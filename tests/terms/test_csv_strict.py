"""Strict CSV/TSV glossaries: malformed quoting is refused whole, naming the line where it began."""

import pytest

from workbench.data import termbase as store_terms
from workbench.core.terms.files import read_glossary
from workbench.core.terms.model import GlossaryError

HEADER = "id,domain,note,en,az\n"


def _read(text: str, name: str = "g.csv"):
    return read_glossary(text.encode("utf-8"), name)


def test_unterminated_quote_in_the_last_row_is_refused_not_imported():
    # The audit's file: the English term became 'unterminated,Bakı' plus a line break.
    text = HEADER + "place.baku,place,,Baku,Bakı\nu1,place,,\"unterminated,Bakı\n"
    with pytest.raises(GlossaryError, match=r"g\.csv: line 3: a quote opened here is never closed"):
        _read(text)


def test_unterminated_quote_names_the_line_where_it_opened_not_the_end():
    text = HEADER + "u1,place,,\"Baku,Bakı\nu2,place,,Ganja,Gəncə\nu3,place,,Shusha,Şuşa\n"
    with pytest.raises(GlossaryError, match=r"line 2: a quote opened here is never closed"):
        _read(text)


def test_quote_opening_after_a_closed_multiline_note_is_located_on_its_own_line():
    text = HEADER + "u1,place,\"a note\nover two lines\",\"Baku,Bakı\n"
    with pytest.raises(GlossaryError, match=r"line 3: a quote opened here"):
        _read(text)


def test_escaped_quotes_do_not_confuse_the_line_finder():
    text = HEADER + "u1,place,\"he said \"\"hi\"\"\",Baku,Bakı\nu2,place,,\"Ganja,Gəncə\n"
    with pytest.raises(GlossaryError, match=r"line 3: a quote opened here"):
        _read(text)


def test_line_break_inside_a_term_is_refused_with_its_line():
    text = HEADER + "u1,place,,Baku,Bakı\nu2,place,,\"Gan\nja\",Gəncə\nu3,place,,Shusha,Şuşa\n"
    with pytest.raises(GlossaryError, match=r"line 3: the 'en' cell holds a line break"):
        _read(text)


def test_tsv_line_break_inside_a_term_is_refused():
    text = "id\tdomain\tnote\ten\taz\nu1\tplace\t\tBaku\t\"Ba\nkı\"\n"
    with pytest.raises(GlossaryError, match=r"g\.tsv: line 2: the 'az' cell holds a line break"):
        _read(text, "g.tsv")


def test_stray_quote_inside_an_unquoted_cell_is_refused():
    with pytest.raises(GlossaryError, match=r"line 2: .*expected after"):
        _read(HEADER + "u1,place,,\"Baku\"x,Bakı\n")


def test_quote_running_into_a_later_quote_names_where_its_row_began():
    text = HEADER + "u1,place,,\"Baku,Bakı\nu2,place,,\"Ganja\",Gəncə\n"
    with pytest.raises(GlossaryError, match=r"its row began on line 2"):
        _read(text)


def test_a_multiline_note_is_still_fine_and_round_trips():
    text = HEADER + "u1,place,\"Capital.\nSee also Absheron.\",Baku,Bakı\nu2,place,,Ganja,Gəncə\n"
    concepts = _read(text)
    assert [c.id for c in concepts] == ["u1", "u2"]
    assert concepts[0].note == "Capital.\nSee also Absheron."


def test_a_refused_file_changes_nothing_in_the_database(db):
    store_terms.import_concepts(db, "places", _read(HEADER + "u0,place,,Baku,Bakı\n"))
    before = list(db.query("SELECT * FROM concepts"))
    with pytest.raises(GlossaryError):
        store_terms.import_concepts(db, "places", _read(HEADER + "u1,place,,Ganja,Gəncə\nu2,place,,\"x\n"))
    assert list(db.query("SELECT * FROM concepts")) == before
