"""TMX from other tools comes in whole (every variant, tags as written, props, notes, authors, dates,
inline codes as codes) and goes back whole; invalid units are listed, and refuse the file unless
skipped. Files: tests/data/interop/ (README.md names the tool each imitates)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from workbench.core import codes
from workbench.core.formats.tmx import TMXError
from workbench.data import tm
from workbench.services import interchange

DATA = Path(__file__).parent / "data" / "interop"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _import(db, name, **options):
    counts = interchange.import_tmx(db, (DATA / name).read_bytes(), name, **options)
    assert counts["read"] == counts["stored"] + counts["merged"] + sum(counts["skipped"].values())
    return counts


def test_omegat_alternative_translations_are_two_units_both_offered(db):
    counts = _import(db, "omegat-project_save.tmx")
    assert (counts["tu"], counts["read"], counts["stored"], counts["merged"], counts["skipped"]) == (3, 3, 3, 0, {})
    matches = tm.fuzzy(db, "Talks in Shusha", "az")
    assert sorted(m["target"] for m in matches) == ["Şuşa danışıqları", "Şuşada danışıqlar"]
    assert all(m["score"] == 100 for m in matches)
    by_target = {m["target"]: m for m in matches}
    # the author and date are the variant's last change (changeid/changedate)
    assert (by_target["Şuşa danışıqları"]["created_by"], by_target["Şuşa danışıqları"]["created_at"]) == (
        "orxan", "2024-03-13T08:00:00+00:00")
    assert by_target["Şuşa danışıqları"]["meta"]["notes"][0]["text"] == "Headline style: no verb."
    # importing the same file again stores nothing new: every unit merges as a duplicate
    again = _import(db, "omegat-project_save.tmx")
    assert (again["stored"], again["merged"]) == (0, 3)
    assert len(tm.units(db, "az")) == 3


def test_omegat_export_writes_back_tags_props_notes_authors_and_dates(db):
    _import(db, "omegat-project_save.tmx")
    root = etree.fromstring(interchange.export_tmx(db, "az"))
    tus = root.findall("body/tu")
    assert len(tus) == 3
    alternative = tus[2]
    assert [(p.get("type"), p.text) for p in alternative.findall("prop")] == [
        ("file", "news/2024-03-12-talks.txt"), ("prev", "Talks in Shusha"),
        ("next", "The ministers met in Baku on Monday.")]
    assert [n.text for n in alternative.findall("note")] == ["Headline style: no verb."]
    source, target = alternative.findall("tuv")
    assert (source.get(XML_LANG), target.get(XML_LANG)) == ("EN-GB", "AZ")
    assert (target.get("changeid"), target.get("changedate"), target.get("creationid"),
            target.get("creationdate")) == ("orxan", "20240313T080000Z", "orxan", "20240313T080000Z")
    assert target.findtext("seg") == "Şuşa danışıqları"


def test_trados_utf16_with_inline_codes_props_and_another_language(db):
    counts = _import(db, "trados-utf16.tmx")
    assert (counts["tu"], counts["read"], counts["stored"], counts["merged"]) == (3, 4, 3, 0)
    assert counts["skipped"] == {"language de-DE": 1} and counts["languages"] == ["ru", "tr"]
    (unit,) = [u for u in tm.units(db, "tr") if u["meta"]["tu"]["tuid"] == "1"]
    # inline codes are the workbench's placeholders (core/codes.py), numbered alike in both
    # variants; their native content (<b>, <img>) is never literal text
    b, end_b, image = codes.open_char(1), codes.close_char(1), codes.ph_char(2)
    assert unit["source"] == f"Press {b}Save{end_b} to keep the {image} logo."
    assert unit["target"] == f"Logoyu {image} korumak için {b}Kaydet{end_b} düğmesine basın."
    assert codes.problems(unit["source"], unit["target"]) == []
    assert "<" not in unit["source"] + unit["target"]
    assert (unit["created_by"], unit["created_at"]) == ("AGENCY\\aylin", "2024-04-02T08:30:00+00:00")
    assert unit["meta"]["target"]["codes"] == {
        "1": {"type": "b", "paired": True, "native": {"open": '<bpt i="1" type="bold" x="1">&lt;b&gt;</bpt>',
                                                     "close": '<ept i="1">&lt;/b&gt;</ept>'}},
        "2": {"type": "x", "paired": False, "native": {"ph": '<ph x="2" type="x-Image">&lt;img src="logo.png"/&gt;</ph>'}}}
    (herald,) = [u for u in tm.units(db, "tr") if u["meta"]["tu"]["tuid"] == "3"]
    assert herald["target"] == f"{b}The Baku Herald{end_b}, sayfa 2'ye bakın.{image}"
    assert tm.exact(db, "Press Save to keep the logo.", "tr")["target"].startswith("Logoyu")
    ru = tm.exact(db, "The agreement was signed in Ankara.", "ru")
    assert ru["meta"]["target"]["attrs"]["xml:lang"] == "ru-RU"


def test_trados_export_puts_the_codes_back_as_codes(db):
    _import(db, "trados-utf16.tmx")
    root = etree.fromstring(interchange.export_tmx(db, "tr"))
    first = root.find("body/tu")
    assert {k: first.get(k) for k in ("tuid", "creationid", "changeid", "changedate", "usagecount")} == {
        "tuid": "1", "creationid": "AGENCY\\rustam", "changeid": "AGENCY\\aylin", "changedate": "20240402T083000Z",
        "usagecount": "3"}
    assert [(p.get("type"), p.text) for p in first.findall("prop")] == [
        ("x-Domain:SinglePicklist", "Defence"), ("x-LastUsedBy", "AGENCY\\aylin")]
    source, target = first.findall("tuv")
    assert source.findtext("prop") == "0, 0"
    seg = target.find("seg")
    assert [child.tag for child in seg] == ["ph", "bpt", "ept"]
    assert seg.find("bpt").text == "<b>" and seg.find("ph").get("type") == "x-Image"
    assert etree.tostring(seg, encoding="unicode", with_tail=False) == (
        '<seg>Logoyu <ph x="2" type="x-Image">&lt;img src="logo.png"/&gt;</ph> korumak için <bpt i="1" '
        'type="bold" x="1">&lt;b&gt;</bpt>Kaydet<ept i="1">&lt;/b&gt;</ept> düğmesine basın.</seg>')
    third = root.findall("body/tu")[1]
    assert etree.tostring(third.findall("tuv")[1].find("seg"), encoding="unicode", with_tail=False) == (
        '<seg><hi type="italic">The Baku Herald</hi>, sayfa 2\'ye bakın.<it pos="begin" x="3">&lt;span&gt;</it></seg>')


def test_tmx_1_1_in_windows_1251(db):
    counts = _import(db, "wordfast-tmx11-cp1251.tmx")
    assert (counts["stored"], counts["languages"]) == (1, ["ru"])
    unit = tm.exact(db, "Moscow, 1 September.", "ru")
    assert (unit["target"], unit["created_by"], unit["created_at"]) == (
        "Москва, 1 сентября.", "IVAN", "2003-09-01T09:15:00+00:00")
    tuv = etree.fromstring(interchange.export_tmx(db, "ru")).findall("body/tu/tuv")[1]
    assert tuv.get(XML_LANG) == "RU"  # TMX 1.1's lang written as 1.4's xml:lang, as written


BAD = (DATA / "invalid-units.tmx").read_bytes()  # tu b: no en variant; tu c: U+FDD0 in a target


def test_invalid_units_refuse_the_file_by_default_naming_each(db):
    with pytest.raises(interchange.ImportRefused) as refused:
        interchange.import_tmx(db, BAD, "bad.tmx")
    message = str(refused.value)
    assert "2 invalid translation units; nothing was imported" in message
    assert "tu 'b' (line 3): <tu> has no en variant" in message
    assert "tu 'c' (line 4): target holds" in message
    assert [(p["id"], p["line"]) for p in refused.value.problems] == [("b", 3), ("c", 4)]
    assert tm.units(db) == []


def test_skip_invalid_stores_the_valid_units_and_lists_the_others(db):
    counts = interchange.import_tmx(db, BAD, "bad.tmx", skip_invalid=True)
    assert (counts["tu"], counts["read"], counts["stored"], counts["merged"]) == (5, 6, 2, 1)
    assert counts["skipped"] == {"invalid": 2, "empty translation": 1}
    assert [(p["id"], p["line"]) for p in counts["problems"]] == [("b", 3), ("c", 4)]
    assert sorted((u["source"], u["target"]) for u in tm.units(db)) == [
        ("Baku talks.", "Bakı."), ("Talks.", "Görüşmeler.")]


def test_cli_skip_invalid(cli, tmp_path, db):
    path = tmp_path / "bad.tmx"
    path.write_bytes(BAD)
    refused = cli("tm", "import", str(path), ok=False)
    assert refused.exit_code == 1 and "nothing was imported" in refused.output and "tu 'b' (line 3)" in refused.output
    assert tm.units(db) == []
    counts = cli.json("tm", "import", str(path), "--skip-invalid")
    assert (counts["stored"], counts["skipped"]["invalid"]) == (2, 2)
    summary = cli("tm", "import", str(path), "--skip-invalid").output
    assert "stored 0" in summary and "merged 3 duplicates" in summary and "tu 'c' (line 4)" in summary


def test_a_text_holding_the_inline_code_range_is_an_invalid_unit(db):
    data = ('<tmx version="1.4"><header srclang="en"/><body><tu tuid="p"><tuv xml:lang="en"><seg>Baku \ue101talks.</seg>'
            '</tuv><tuv xml:lang="az"><seg>Bakı.</seg></tuv></tu></body></tmx>').encode()
    with pytest.raises(interchange.ImportRefused, match="tu 'p' \\(line 1\\): <seg> holds U\\+E101"):
        interchange.import_tmx(db, data, "pua.tmx")


def test_a_document_declaring_entities_is_refused(db):
    data = (b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x "boom">]><tmx version="1.4"><header srclang="en"/>'
            b'<body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv><tuv xml:lang="az"><seg>a</seg></tuv></tu></body></tmx>')
    with pytest.raises(TMXError, match="declares XML entities"):
        interchange.import_tmx(db, data, "bomb.tmx")
    assert tm.units(db) == []


def test_an_approval_replaces_the_workbench_s_own_unit_and_keeps_the_imported_variants(db):
    _import(db, "omegat-project_save.tmx")
    tm.add_unit(db, "Talks in Shusha", "Şuşada görüşlər", "az", user="rita")
    tm.add_unit(db, "Talks in Shusha", "Şuşada danışıqlar", "az", user="rita")  # the same as one imported
    units = sorted((u["target"], u["created_by"], bool(u["meta"])) for u in tm.units(db, "az")
                   if u["source"] == "Talks in Shusha")
    assert units == [("Şuşa danışıqları", "orxan", True), ("Şuşada danışıqlar", "rita", False)]
