"""Text hygiene (core/hygiene.py): what no stored text may hold, what an import turns into a line
break, and exports that stay well-formed XML whatever an older version stored."""

from __future__ import annotations

import pytest
from lxml import etree

from workbench.core import hygiene
from workbench.core.formats import tmx, xliff
from workbench.core.terms.model import Concept, Term
from workbench.core.terms.tbx import write_tbx

BAD = ["\x00", "\x1b", "\x0b", "\x0c", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\ufdd0", "\ufffe", "\U0010ffff"]


@pytest.mark.parametrize("char", BAD)
def test_each_bad_character_is_refused_naming_the_field_and_place(char):
    with pytest.raises(hygiene.TextRefused) as refused:
        hygiene.clean(f"Baku{char} talks", "target", where="story.xlf: unit 7")
    message = str(refused.value)
    assert message.startswith("story.xlf: unit 7: target holds U+") and "character 5" in message
    assert refused.value.status == 422 and refused.value.field == "target"


@pytest.mark.parametrize("text", ["Plain text.", "Tab\tand\nline", "Azərbaycan, Türkiyə, Россия", "emoji 🙂",
                                  "\ufeffBOM is a character", "\u200b zero width"])
def test_ordinary_text_passes_unchanged(text):
    assert hygiene.clean(text, "target") == text


def test_single_line_fields_and_lengths():
    with pytest.raises(hygiene.TextRefused, match="title must be one line"):
        hygiene.clean("Two\nlines", "title", multiline=False)
    assert hygiene.clean("x" * 500, "title", multiline=False)
    with pytest.raises(hygiene.TextRefused, match="title is 501 characters long; the limit is 500"):
        hygiene.clean("x" * 501, "title", multiline=False)
    with pytest.raises(hygiene.TextRefused, match="external_id is 201"):
        hygiene.clean("e" * 201, "external_id", multiline=False)


def test_imports_turn_line_break_characters_into_line_breaks():
    word = "First line\x0bsecond\x0cthird\r\nfourth\u2028fifth\u2029sixth\x85seventh"
    assert hygiene.import_text(word) == "First line\nsecond\nthird\r\nfourth\nfifth\nsixth\nseventh"
    assert hygiene.clean(hygiene.import_text(word), "text")


def test_repair_and_report_stored_values():
    assert hygiene.refused_characters("a\x00b\x1bc\x00") == ["U+0000 (a control character)",
                                                             "U+001B (a control character)"]
    assert hygiene.repair("a\x00b\x0bc") == "ab\nc"


def _parses(data: bytes | str) -> etree._Element:
    return etree.fromstring(data.encode("utf-8") if isinstance(data, str) else data)


@pytest.mark.parametrize("char", BAD)
def test_exports_stay_well_formed_whatever_is_stored(char):
    article = {"id": 1, "title": "T", "version": 1}
    segments = [{"id": 1, "idx": 0, "text": f"Source{char} one."}]
    translations = {1: {"id": 1, "text": f"Hədəf{char} bir.", "status": "approved", "version": 2, "origin": "human"}}
    for export in (xliff.write_xliff, xliff.write_xliff2):
        root = _parses(export(article, "az", segments, translations, {}))
        assert "\ufffd" in etree.tostring(root, encoding="unicode")
    units = [{"source": f"Source{char}", "target": f"Hədəf{char}", "source_lang": "en", "target_lang": "az"}]
    assert _parses(tmx.write_tmx(units)) is not None
    concept = Concept(id="c1", terms=[Term(lang="en", text=f"army{char}"), Term(lang="az", text="ordu")],
                      note=f"note{char}")
    assert _parses(write_tbx([concept])) is not None
