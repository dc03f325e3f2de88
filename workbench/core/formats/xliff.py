"""XLIFF 1.2 and 2.0 per article and language: export for other CAT tools, import their edits.

Unit ids are segment ids; states map to ours (1.2: MT draft = needs-review-translation with the
mt-suggestion qualifier, edited = translated, approved = final + approved="yes"; 2.0: initial,
translated, final); term findings travel as notes. Each unit also carries the version it was
exported at (workbench namespace), so an import never overwrites a segment someone changed in
the workbench since.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from workbench.core.hygiene import xml_text
from workbench.core.errors import UserError
from workbench.core.langs import TARGET_LANGS
from workbench.core.langs import target_lang
from workbench.core.formats.xmlsafe import local_name, safe_parse

NS = "urn:oasis:names:tc:xliff:document:1.2"
NS2 = "urn:oasis:names:tc:xliff:document:2.0"
WB = "urn:x-workbench:xliff"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STATE_OUT = {"mt_draft": "needs-review-translation", "edited": "translated", "approved": "final",
             "source_changed": "needs-review-translation"}
STATE_OUT_2 = {"mt_draft": "initial", "edited": "translated", "approved": "final", "source_changed": "initial"}
ARTICLE_VERSION = f"{{{WB}}}article-version"  # on <file>: the article version the file was made from


class XLIFFError(UserError):
    """An XLIFF file that cannot be imported; names the file, line and problem."""


@dataclass(frozen=True)
class XLIFFUnit:
    segment_id: int
    source: str
    target: str | None
    status: str | None  # ours, mapped from state/approved
    version: int | None  # None: the unit carries no wb:version (services/interchange.py treats it as a conflict)
    line: int


def write_xliff(article: dict, lang: str, segments: list[dict], translations: dict[int, dict],
                term_findings: dict[int, list[dict]]) -> bytes:
    E = lambda tag, attrib=None: etree.Element(f"{{{NS}}}{tag}", attrib or {})  # noqa: E731
    root = etree.Element(f"{{{NS}}}xliff", {"version": "1.2"}, nsmap={None: NS, "wb": WB})
    file = etree.SubElement(root, f"{{{NS}}}file", {
        "original": f"article-{article['id']}", "source-language": article.get("source_lang") or "en",
        "target-language": lang, "datatype": "plaintext"})
    file.set(ARTICLE_VERSION, str(article.get("version") or 1))
    header = etree.SubElement(file, f"{{{NS}}}header")
    header.append(E("tool", {"tool-id": "workbench", "tool-name": "workbench"}))
    body = etree.SubElement(file, f"{{{NS}}}body")
    for segment in segments:
        translation = translations.get(segment["id"])
        unit = etree.SubElement(body, f"{{{NS}}}trans-unit", {
            "id": str(segment["id"]), "resname": f"segment-{segment['idx'] + 1}", XML_SPACE: "preserve"})
        unit.set(f"{{{WB}}}version", str(translation["version"] if translation else 0))
        etree.SubElement(unit, f"{{{NS}}}source").text = xml_text(segment["text"])
        if translation and translation["status"] != "untranslated" and translation["text"]:
            target = etree.SubElement(unit, f"{{{NS}}}target", {"state": STATE_OUT[translation["status"]]})
            target.text = xml_text(translation["text"])
            if translation["status"] == "mt_draft":
                target.set("state-qualifier", "mt-suggestion")
            if translation["status"] == "approved":
                unit.set("approved", "yes")
            for text in _notes(term_findings.get(translation["id"], [])):
                etree.SubElement(unit, f"{{{NS}}}note", {"from": "workbench", "priority": "2"}).text = xml_text(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _notes(findings: list[dict]) -> list[str]:
    return [f"Term {f['concept']}: {f['status']} (source “{f['source_text']}”"
            + (f", target “{f['target_text']}”)" if f["target_text"] else ")")
            for f in findings if f["status"] != "ok"]


def write_xliff2(article: dict, lang: str, segments: list[dict], translations: dict[int, dict],
                 term_findings: dict[int, list[dict]]) -> bytes:
    root = etree.Element(f"{{{NS2}}}xliff", {"version": "2.0", "srcLang": article.get("source_lang") or "en",
                                             "trgLang": lang}, nsmap={None: NS2, "wb": WB})
    file = etree.SubElement(root, f"{{{NS2}}}file", {"id": f"article-{article['id']}"})
    file.set(ARTICLE_VERSION, str(article.get("version") or 1))
    for segment in segments:
        translation = translations.get(segment["id"])
        unit = etree.SubElement(file, f"{{{NS2}}}unit", {"id": str(segment["id"]),
                                                          "name": f"segment-{segment['idx'] + 1}"})
        unit.set(f"{{{WB}}}version", str(translation["version"] if translation else 0))
        notes = _notes(term_findings.get(translation["id"], [])) if translation else []
        if notes:
            holder = etree.SubElement(unit, f"{{{NS2}}}notes")
            for text in notes:
                etree.SubElement(holder, f"{{{NS2}}}note", {"category": "terminology"}).text = xml_text(text)
        translated = translation and translation["status"] != "untranslated" and translation["text"]
        seg = etree.SubElement(unit, f"{{{NS2}}}segment",
                               {"state": STATE_OUT_2[translation["status"]]} if translated else {})
        etree.SubElement(seg, f"{{{NS2}}}source", {XML_SPACE: "preserve"}).text = xml_text(segment["text"])
        if translated:
            etree.SubElement(seg, f"{{{NS2}}}target", {XML_SPACE: "preserve"}).text = xml_text(translation["text"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _status(unit, target) -> str | None:
    if target is None:
        return None
    state = (target.get("state") or "").lower()
    if unit.get("approved") == "yes" or state in ("final", "signed-off"):
        return "approved"
    return "edited"


_SQLITE_MAX = 2**63 - 1


def _number(value: str | None) -> int | None:
    """An id or version as written by our export: ASCII digits within SQLite's range, else None
    ("²".isdigit() is true and int() of it fails; a 20-digit id overflows SQLite)."""
    if value and value.isascii() and value.isdigit() and int(value) <= _SQLITE_MAX:
        return int(value)
    return None


def _article_id(value: str, name: str, line: int) -> int:
    if not value.startswith("article-") or _number(value[8:]) is None:
        raise XLIFFError(f"{name}: line {line}: <file> {value!r} does not name a workbench article; "
                         "import only files exported by `workbench export --format xliff`")
    return int(value[8:])


def _our_lang(tag: str, name: str, line: int, where: str) -> str:
    """The workbench's code for the file's target language (az-AZ -> az), or an error naming it."""
    if not tag:
        raise XLIFFError(f"{name}: line {line}: {where} is missing")
    lang = target_lang(tag)
    if lang is None:
        raise XLIFFError(f"{name}: line {line}: {where} {tag!r} is not a language this workbench "
                         f"translates into ({', '.join(TARGET_LANGS)}); export the file from the "
                         "editor of the language you mean")
    return lang


def _version(unit, unit_id: str, name: str) -> int | None:
    """The segment version the unit was exported at; None when the unit carries none.

    A version that is there but not one our export writes (`abc`, `-1`, `²`, 20 digits) means
    the file was altered: its changes cannot be checked against newer work, so it is refused.
    """
    value = unit.get(f"{{{WB}}}version")
    if value is None:
        return None
    version = _number(value)
    if version is None:
        raise XLIFFError(f"{name}: line {unit.sourceline}: unit {unit_id!r} has wb:version {value[:40]!r}, "
                         "not a version the workbench writes, so its edit cannot be checked against newer "
                         "work; nothing was imported. Export the article again and redo the work on the "
                         "new file")
    return version


def _check_unique(units: list[XLIFFUnit], raw_ids: list[str], name: str) -> None:
    """One unit per segment: two units for one segment would apply in file order, silently."""
    first: dict[int, int] = {}
    for position, unit in enumerate(units):
        if unit.segment_id in first:
            earlier = first[unit.segment_id]
            raise XLIFFError(f"{name}: line {unit.line}: units {raw_ids[earlier]!r} (line {units[earlier].line}) "
                             f"and {raw_ids[position]!r} are both for segment id {unit.segment_id}; nothing was "
                             "imported. Keep one of them, or export the article again")
        first[unit.segment_id] = position


def article_version(data: bytes, name: str) -> int:
    """The article version an exported file was made from (1 for files older than versions)."""
    root = safe_parse(data, name, XLIFFError)
    files = [child for child in root if local_name(child) == "file"]
    value = files[0].get(ARTICLE_VERSION, "") if files else ""
    return _number(value) or 1


def read_xliff(data: bytes, name: str) -> tuple[int, str, list[XLIFFUnit]]:
    """(article id, target language, units) from an XLIFF 1.2 or 2.0 file that we exported."""
    root = safe_parse(data, name, XLIFFError)
    version = root.get("version", "")
    if local_name(root) != "xliff" or not version.startswith(("1.", "2.")):
        raise XLIFFError(f"{name}: line {root.sourceline}: not an XLIFF 1.x or 2.x document "
                         f"(root <{local_name(root)} version={version!r}>)")
    files = [child for child in root if local_name(child) == "file"]
    if len(files) != 1:
        raise XLIFFError(f"{name}: expected one <file>, found {len(files)}")
    if version.startswith("2."):
        return _read_xliff2(root, files[0], name)
    file = files[0]
    original, lang = file.get("original", ""), file.get("target-language", "")
    article_id = _article_id(original, name, file.sourceline)
    lang = _our_lang(lang, name, file.sourceline, "<file> target-language")
    units, raw_ids = [], []
    for unit in file.iter(f"{{{NS}}}trans-unit", "trans-unit"):
        parts = {local_name(child): child for child in unit}
        if "source" not in parts or _number(unit.get("id")) is None:
            raise XLIFFError(f"{name}: line {unit.sourceline}: <trans-unit> needs a numeric id and a <source>")
        target = parts.get("target")
        units.append(XLIFFUnit(int(unit.get("id")), "".join(parts["source"].itertext()),
                               "".join(target.itertext()) if target is not None else None,
                               _status(unit, target), _version(unit, unit.get("id"), name), unit.sourceline))
        raw_ids.append(unit.get("id"))
    _check_unique(units, raw_ids, name)
    return article_id, lang, units


def _read_xliff2(root, file, name: str) -> tuple[int, str, list[XLIFFUnit]]:
    article_id = _article_id(file.get("id", ""), name, file.sourceline)
    lang = root.get("trgLang", "")
    lang = _our_lang(lang, name, root.sourceline, "<xliff> trgLang")
    units, raw_ids = [], []
    for unit in file.iter(f"{{{NS2}}}unit", "unit"):
        segments = [child for child in unit if local_name(child) == "segment"]
        if len(segments) != 1 or _number(unit.get("id")) is None:
            raise XLIFFError(f"{name}: line {unit.sourceline}: <unit> needs a numeric id and one <segment> "
                             "(do not split or join segments)")
        parts = {local_name(child): child for child in segments[0]}
        if "source" not in parts:
            raise XLIFFError(f"{name}: line {unit.sourceline}: <segment> without <source>")
        target = parts.get("target")
        state = segments[0].get("state", "")
        status = None if target is None else ("approved" if state == "final" else "edited")
        units.append(XLIFFUnit(int(unit.get("id")), "".join(parts["source"].itertext()),
                               "".join(target.itertext()) if target is not None else None,
                               status, _version(unit, unit.get("id"), name), unit.sourceline))
        raw_ids.append(unit.get("id"))
    _check_unique(units, raw_ids, name)
    return article_id, lang, units
