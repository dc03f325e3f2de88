"""XLIFF 1.2 per article and language: export for other CAT tools, import their edits back.

Unit ids are segment ids; states map to ours (MT draft = needs-review-translation with the
mt-suggestion qualifier, edited = translated, approved = final + approved="yes"); term findings
travel as notes. Each unit also carries the version it was exported at (workbench namespace), so
an import never overwrites a segment someone changed in the workbench since.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..errors import UserError
from .xmlsafe import local_name, safe_parse

NS = "urn:oasis:names:tc:xliff:document:1.2"
WB = "urn:x-workbench:xliff"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STATE_OUT = {"mt_draft": "needs-review-translation", "edited": "translated", "approved": "final"}


class XLIFFError(UserError):
    """An XLIFF file that cannot be imported; names the file, line and problem."""


@dataclass(frozen=True)
class XLIFFUnit:
    segment_id: int
    source: str
    target: str | None
    status: str | None  # ours, mapped from state/approved
    version: int | None
    line: int


def write_xliff(article: dict, lang: str, segments: list[dict], translations: dict[int, dict],
                term_findings: dict[int, list[dict]]) -> bytes:
    E = lambda tag, attrib=None: etree.Element(f"{{{NS}}}{tag}", attrib or {})  # noqa: E731
    root = etree.Element(f"{{{NS}}}xliff", {"version": "1.2"}, nsmap={None: NS, "wb": WB})
    file = etree.SubElement(root, f"{{{NS}}}file", {
        "original": f"article-{article['id']}", "source-language": article.get("source_lang") or "en",
        "target-language": lang, "datatype": "plaintext"})
    header = etree.SubElement(file, f"{{{NS}}}header")
    header.append(E("tool", {"tool-id": "workbench", "tool-name": "workbench"}))
    body = etree.SubElement(file, f"{{{NS}}}body")
    for segment in segments:
        translation = translations.get(segment["id"])
        unit = etree.SubElement(body, f"{{{NS}}}trans-unit", {
            "id": str(segment["id"]), "resname": f"segment-{segment['idx'] + 1}", XML_SPACE: "preserve"})
        unit.set(f"{{{WB}}}version", str(translation["version"] if translation else 0))
        etree.SubElement(unit, f"{{{NS}}}source").text = segment["text"]
        if translation and translation["status"] != "untranslated" and translation["text"]:
            target = etree.SubElement(unit, f"{{{NS}}}target", {"state": STATE_OUT[translation["status"]]})
            target.text = translation["text"]
            if translation["status"] == "mt_draft":
                target.set("state-qualifier", "mt-suggestion")
            if translation["status"] == "approved":
                unit.set("approved", "yes")
            for finding in term_findings.get(translation["id"], []):
                if finding["status"] != "ok":
                    note = etree.SubElement(unit, f"{{{NS}}}note", {"from": "workbench", "priority": "2"})
                    note.text = (f"Term {finding['concept']}: {finding['status']} "
                                 f"(source “{finding['source_text']}”"
                                 + (f", target “{finding['target_text']}”)" if finding["target_text"] else ")"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _status(unit, target) -> str | None:
    if target is None:
        return None
    state = (target.get("state") or "").lower()
    if unit.get("approved") == "yes" or state in ("final", "signed-off"):
        return "approved"
    return "edited"


def read_xliff(data: bytes, name: str) -> tuple[int, str, list[XLIFFUnit]]:
    """(article id, target language, units) from an XLIFF 1.2 file that we exported."""
    root = safe_parse(data, name, XLIFFError)
    if local_name(root) != "xliff" or not root.get("version", "").startswith("1."):
        raise XLIFFError(f"{name}: line {root.sourceline}: not an XLIFF 1.x document "
                         f"(root <{local_name(root)} version={root.get('version')!r}>)")
    files = [child for child in root if local_name(child) == "file"]
    if len(files) != 1:
        raise XLIFFError(f"{name}: expected one <file>, found {len(files)}")
    file = files[0]
    original, lang = file.get("original", ""), file.get("target-language", "")
    if not original.startswith("article-") or not original[8:].isdigit():
        raise XLIFFError(f"{name}: line {file.sourceline}: <file original={original!r}> does not name a "
                         "workbench article; import only files exported by `workbench export --format xliff`")
    if not lang:
        raise XLIFFError(f"{name}: line {file.sourceline}: <file> has no target-language")
    units = []
    for unit in file.iter(f"{{{NS}}}trans-unit", "trans-unit"):
        parts = {local_name(child): child for child in unit}
        if "source" not in parts or not unit.get("id", "").isdigit():
            raise XLIFFError(f"{name}: line {unit.sourceline}: <trans-unit> needs a numeric id and a <source>")
        target = parts.get("target")
        version = unit.get(f"{{{WB}}}version")
        units.append(XLIFFUnit(int(unit.get("id")), "".join(parts["source"].itertext()),
                               "".join(target.itertext()) if target is not None else None,
                               _status(unit, target), int(version) if version and version.isdigit() else None,
                               unit.sourceline))
    return int(original[8:]), lang, units
