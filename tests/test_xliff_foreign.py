"""Issue 22 items 1, 2 and 4: an XLIFF file written by another tool becomes an article (every
<file>, units in order, codes, notes, translate="no", existing targets with their state) and goes
back whole: the original file with the targets filled in, everything else as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from workbench.core import codes
from workbench.core.formats.articles import ArticleReadError, parse_article
from workbench.data import store
from workbench.services import articles, exports, translations
from workbench.services.actor import Actor
from workbench.data import comments

FILES = Path(__file__).parent / "data" / "xliff-foreign"
REVIEWER = Actor.person({"name": "rita", "role": "reviewer"})
TRANSLATOR = Actor.person({"name": "tina", "role": "translator"})


def _import(db, name, actor=REVIEWER):
    doc = parse_article((FILES / name).read_bytes(), name)
    created = articles.create_article(db, actor, doc)
    return created, store.segments(db, created["article"])


def _status(db, segment_id, lang):
    row = store.get_translation(db, segment_id, lang)
    return (row["status"], row["text"]) if row else None


def _untouched(data: bytes) -> bytes:
    """The file without what an export may change: targets, their states, approval marks."""
    root = etree.fromstring(data)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name == "target":
            element.getparent().remove(element)
            continue
        for attribute in ("state", "approved", "target-language", "trgLang"):
            element.attrib.pop(attribute, None)
    return etree.tostring(root, method="c14n")


def test_xcode_file_with_several_files_groups_notes_and_translate_no(db):
    created, segments = _import(db, "xcode-multi-file.xliff")
    assert [codes.to_labels(s["text"]) for s in segments] == [
        "Breaking news from Baku", "Share this story", "Read the {1}latest{/1} reports{2/}every morning."]
    paragraphs = store.paragraphs(db, created["article"])
    assert [p["ref"] for p in paragraphs] == ["f0/uheadline.breaking", "f0/ushare.button", "f0/ubrand.name",
                                             "f1/usettings.title"]
    assert paragraphs[2]["kind"] == "separator"  # translate="no": kept, not a segment to edit
    assert paragraphs[3]["codes"]["1"]["type"] == "b" and paragraphs[3]["codes"]["2"]["type"] == "br"
    assert _status(db, segments[0]["id"], "az") == ("edited", "Bakıdan son xəbərlər")
    assert _status(db, segments[1]["id"], "az") is None
    # needs-review-translation: stored with the "needs review" status (issue 22 item 4)
    assert _status(db, segments[2]["id"], "az")[0] == "needs_review"
    history = store.history(db, segments[2]["id"], "az")
    assert history[-1]["changed_by"].startswith("import of xcode-multi-file.xliff")
    notes = [c["body"] for c in comments.for_segment(db, segments[0]["id"], "az")]
    assert notes == ["Shown above the lead story."]
    assert created["targets"] == {"stored": 2, "skipped": 0, "needs_review": 1}


def test_xcode_round_trip_fills_targets_and_keeps_everything_else(db):
    created, segments = _import(db, "xcode-multi-file.xliff")
    translations.save(db, REVIEWER, segments[1]["id"], "az", "Bu xəbəri paylaşın", base_version=None)
    moved = f"Hər səhər {codes.open_char(1)}ən son{codes.close_char(1)} hesabatları{codes.ph_char(2)}oxuyun."
    current = store.get_translation(db, segments[2]["id"], "az")
    translations.save(db, REVIEWER, segments[2]["id"], "az", moved, base_version=current["version"], approve=True)
    out = exports.export(db, created["article"], "az", "xliff")
    original = (FILES / "xcode-multi-file.xliff").read_bytes()
    assert _untouched(out.data) == _untouched(original)
    assert out.filename == "xcode-multi-file.xliff"
    root = etree.fromstring(out.data)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    share = root.find(".//x:trans-unit[@id='share.button']/x:target", ns)
    assert share.text == "Bu xəbəri paylaşın" and share.get("state") == "translated"
    title_unit = root.find(".//x:trans-unit[@id='settings.title']", ns)
    target = title_unit.find("x:target", ns)
    assert etree.tostring(target, encoding="unicode").split(">", 1)[1].rsplit("<", 1)[0] == (
        'Hər səhər <g id="1" ctype="bold">ən son</g> hesabatları<x id="2" ctype="lb"/>oxuyun.')
    assert target.get("state") == "final" and title_unit.get("approved") == "yes"
    assert root.find(".//x:trans-unit[@id='brand.name']/x:target", ns) is None  # translate="no" untouched


def test_xliff_2_with_pc_sc_ec_and_ignorable(db):
    created, segments = _import(db, "okapi-pc.xlf")
    assert [codes.to_labels(s["text"]) for s in segments] == [
        "The minister {1}rejected{/1} the plan.", "Talks resume {1/}on Monday{2/}.{3/}", "Delegates in Ankara."]
    assert _status(db, segments[2]["id"], "tr") == ("approved", "Ankara'daki delegeler.")  # final, by a reviewer
    translations.save(db, REVIEWER, segments[0]["id"], "tr",
                      f"Bakan planı {codes.open_char(1)}reddetti{codes.close_char(1)}.", base_version=None)
    out = exports.export(db, created["article"], "tr", "xliff2")
    assert _untouched(out.data) == _untouched((FILES / "okapi-pc.xlf").read_bytes())
    root = etree.fromstring(out.data)
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    s1 = root.find(".//x:segment[@id='s1']", ns)
    assert s1.get("state") == "translated"
    assert "".join(s1.find("x:target", ns).itertext()) == "Bakan planı reddetti."
    assert s1.find("x:target/x:pc", ns).get("id") == "1"
    assert root.find(".//x:ignorable/x:target", ns) is None


def test_trados_segmented_units_map_each_mrk_and_keep_the_sdl_parts(db):
    created, segments = _import(db, "trados-style.sdlxliff")
    assert [codes.to_labels(s["text"]) for s in segments] == [
        "Officials met in Baku.", "They signed {1}two{/1} agreements."]
    assert _status(db, segments[0]["id"], "ru") == ("edited", "Официальные лица встретились в Баку.")
    translations.save(db, REVIEWER, segments[1]["id"], "ru",
                      f"Они подписали {codes.open_char(1)}два{codes.close_char(1)} соглашения.", base_version=None)
    out = exports.export(db, created["article"], "ru", "xliff")
    assert _untouched(out.data) == _untouched((FILES / "trados-style.sdlxliff").read_bytes())
    root = etree.fromstring(out.data)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    marks = root.findall(".//x:target/x:mrk", ns)
    assert ["".join(m.itertext()) for m in marks] == ["Официальные лица встретились в Баку.",
                                                     "Они подписали два соглашения."]
    assert marks[1].find("x:g", ns).get("id") == "pt1"
    assert root.find(".//{http://sdl.com/FileTypes/SdlXliff/1.0}tag-defs") is not None


def test_memoq_states_and_bpt_ept_codes_for_a_translator(db):
    created, segments = _import(db, "memoq-style.mqxliff", actor=TRANSLATOR)
    assert codes.to_labels(segments[0]["text"]) == "The {1/}Caspian Herald{2/} reported the deal."
    status, text = _status(db, segments[0]["id"], "az")
    assert status == "edited" and codes.to_labels(text) == "{1/}Caspian Herald{2/} sövdələşmə barədə məlumat verdi."
    assert _status(db, segments[1]["id"], "az") is None  # NotStarted with an empty target


def test_a_broken_foreign_file_is_refused_with_its_line():
    with pytest.raises(ArticleReadError, match=r"broken.xlf: line 3: not well-formed XML"):
        parse_article(b'<?xml version="1.0"?>\n<xliff version="1.2">\n<file><body></file></xliff>', "broken.xlf")


def test_any_encoding_the_declaration_names_is_read(db):
    """A tool that writes UTF-16 (with or without a byte order mark) with the declaration saying so."""
    text = (FILES / "xcode-multi-file.xliff").read_text(encoding="utf-8")
    for encoding, declared in (("utf-16", "UTF-16"), ("utf-16-be", "UTF-16BE")):
        data = text.replace('encoding="UTF-8"', f'encoding="{declared}"').encode(encoding)
        created = articles.create_article(db, REVIEWER, parse_article(data, f"{encoding}.xliff"))
        segments = store.segments(db, created["article"])
        assert segments[0]["text"] == "Breaking news from Baku"
        assert _status(db, segments[0]["id"], "az") == ("edited", "Bakıdan son xəbərlər")
