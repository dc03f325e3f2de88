"""An XLIFF import never overwrites newer work: a unit's version must be one the export wrote,
a unit without one is a conflict unless the segment was never translated, and two units for one
segment refuse the file. XLIFF 1.2 carries the version in a <context-group> (the strict schema
allows no wb: attribute), 2.0 as wb:version; "1.2-previous" is a file of the earlier 1.2 export,
with wb:version on <trans-unit> and wb:article-version on <file>, which still imports."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from workbench.services.actor import Actor
from workbench.services import interchange
from workbench.data import store
from workbench.core.formats.xliff import ARTICLE_VERSION, NS, NS2, VERSION_CONTEXT, WB, XLIFFError
from workbench.services.machine_translation import translate_pending
from workbench.core.segment import segment_text

VERSION = f"{{{WB}}}version"


def _article(db, text="Talks\nOne sentence.\nAnother sentence.\n"):
    article_id = store.create_article(db, title="t", byline=None, filename="a.txt", fmt="txt",
                                      segmentation=segment_text(text))
    return article_id, store.segments(db, article_id)


def export(db, article_id: int, xliff: str) -> bytes:
    """The article's XLIFF as this export writes it, or ("1.2-previous") as the earlier one did."""
    data = interchange.export_xliff(db, article_id, "az", xliff.removesuffix("-previous"))
    return previous_format(data) if xliff.endswith("-previous") else data


def previous_format(data: bytes) -> bytes:
    """An XLIFF 1.2 of this export as the export before inline codes wrote it: wb:article-version
    on <file>, wb:version on each <trans-unit> (no context-group, no build-num)."""
    new = etree.fromstring(data)
    root = etree.Element(new.tag, dict(new.attrib), nsmap={None: NS, "wb": WB})
    root[:] = new[:]
    file = root.find(f"{{{NS}}}file")
    file.set(ARTICLE_VERSION, file.attrib.pop("build-num"))
    for unit in root.iter(f"{{{NS}}}trans-unit"):
        group = unit.find(f"{{{NS}}}context-group")
        unit.set(VERSION, group.findtext(f"{{{NS}}}context"))
        unit.remove(group)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _set_version(unit, version) -> None:
    """Set the unit's version where the file carries it (None: remove it)."""
    group = unit.find(f"{{{NS}}}context-group")
    if group is not None:
        context = group.find(f"{{{NS}}}context[@context-type='{VERSION_CONTEXT}']")
        if version is None:
            unit.remove(group)
        else:
            context.text = version
    elif version is None:
        del unit.attrib[VERSION]
    else:
        unit.set(VERSION, version)


def _unit(root, segment_id: int):
    return next(u for u in root.iter(f"{{{NS}}}trans-unit", f"{{{NS2}}}unit") if u.get("id") == str(segment_id))


def _set_target(unit, text: str) -> None:
    holder = unit if unit.tag == f"{{{NS}}}trans-unit" else unit.find(f"{{{NS2}}}segment")
    ns = NS if holder is unit else NS2
    target = holder.find(f"{{{ns}}}target")
    if target is None:
        target = etree.SubElement(holder, f"{{{ns}}}target")
    target.text = text


def _edit(data: bytes, segment_id: int, target: str, version=...) -> bytes:
    """The exported file with one unit's target replaced and its wb:version set (None: removed)."""
    root = etree.fromstring(data)
    unit = _unit(root, segment_id)
    if version is not ...:
        _set_version(unit, version)
    _set_target(unit, target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _texts(db, segments):
    return [(store.get_translation(db, s["id"], "az") or {}).get("text") for s in segments]


@pytest.mark.parametrize("xliff", ["1.2", "1.2-previous", "2.0"])
@pytest.mark.parametrize("bad", ["abc", "-1", "12345678901234567890", "²", "", "+1", "1.0"])
def test_an_invalid_version_refuses_the_whole_file(db, fake_engine, xliff, bad):
    article_id, segments = _article(db)
    translate_pending(db, {"az": fake_engine("az")})
    data = export(db, article_id, xliff)
    # Someone improves segment 2 in the workbench after the export ...
    store.save_translation(db, segments[1]["id"], "az", "Bir cümlə.", base_version=1, user="tina")
    # ... and the file comes back with segment 3 edited and segment 2's version tampered with.
    data = _edit(data, segments[2]["id"], "Başqa cümlə.")
    data = _edit(data, segments[1]["id"], "Köhnə cümlə.", version=bad)
    before = _texts(db, segments)
    with pytest.raises(XLIFFError) as refused:
        interchange.import_xliff(db, data, "back.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    message = str(refused.value)
    assert message.startswith("back.xlf: line ") and f"unit '{segments[1]['id']}'" in message
    assert "nothing was imported" in message and "Export the article again" in message
    assert _texts(db, segments) == before == ["[az] Talks", "Bir cümlə.", "[az] Another sentence."]


@pytest.mark.parametrize("xliff", ["1.2", "1.2-previous", "2.0"])
def test_a_missing_version_is_a_conflict_unless_the_segment_was_never_translated(db, fake_engine, xliff):
    article_id, segments = _article(db)
    store.save_translation(db, segments[1]["id"], "az", "Bir cümlə.", base_version=0, user="tina")
    data = export(db, article_id, xliff)
    data = _edit(data, segments[1]["id"], "Başqa mətn.", version=None)  # translated here: keep ours
    data = _edit(data, segments[2]["id"], "Başqa cümlə.", version=None)  # never translated: take it
    counts = interchange.import_xliff(db, data, "back.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    assert counts["conflicts"] == [segments[1]["id"]] and counts["updated"] == 1
    assert _texts(db, segments) == [None, "Bir cümlə.", "Başqa cümlə."]
    assert "1 kept because they changed here since the export" in interchange.xliff_summary(counts)


@pytest.mark.parametrize("xliff", ["1.2", "1.2-previous", "2.0"])
@pytest.mark.parametrize("second_id", ["{id}", "0{id}"])
def test_two_units_for_one_segment_refuse_the_file(db, fake_engine, xliff, second_id):
    article_id, segments = _article(db)
    translate_pending(db, {"az": fake_engine("az")})
    data = _edit(export(db, article_id, xliff), segments[1]["id"], "Birinci.")
    root = etree.fromstring(data)
    first = _unit(root, segments[1]["id"])
    twin = copy.deepcopy(first)
    twin.set("id", second_id.format(id=segments[1]["id"]))
    _set_target(twin, "İkinci.")
    first.addnext(twin)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    with pytest.raises(XLIFFError) as refused:
        interchange.import_xliff(db, data, "twice.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    message = str(refused.value)
    assert message.startswith("twice.xlf: line ") and "nothing was imported" in message
    assert f"units '{segments[1]['id']}' (line " in message and f"and '{twin.get('id')}' are both for" in message
    assert _texts(db, segments) == ["[az] Talks", "[az] One sentence.", "[az] Another sentence."]
