"""TMX 1.4b: read translation units into (source, target, language) and write them back."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from workbench.core.hygiene import xml_text
from workbench.core.errors import UserError
from workbench.core.langs import TARGET_LANGS
from workbench.core.langs import target_lang
from workbench.core.formats.xmlsafe import local_name, safe_parse

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TMXError(UserError):
    """A TMX file that cannot be imported; names the file, line and problem."""


@dataclass(frozen=True)
class TMXUnit:
    source: str
    target: str
    source_lang: str
    target_lang: str
    created_by: str | None = None
    created_at: str | None = None
    line: int | None = None  # of the <tu>, for a message naming it


def _lang(element) -> str:
    return (element.get(XML_LANG) or element.get("lang") or "").strip()


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def _target(tag: str, source_lang: str, name: str, line: int) -> str:
    """The source language, or our code for a target language (BCP 47: az-AZ, az-Latn -> az);
    a language the workbench does not translate into refuses the file: its units would sit in
    the memory where no editor ever offers them."""
    if _base(tag) == source_lang:
        return source_lang
    lang = target_lang(tag)
    if lang is None:
        raise TMXError(f"{name}: line {line}: <tuv> xml:lang {tag[:40]!r} is not a language this workbench "
                       f"translates into ({', '.join(TARGET_LANGS)}); nothing was imported. Remove those "
                       "variants, or export only these languages from the other tool")
    return lang


def _seg_text(tuv) -> str | None:
    seg = next((child for child in tuv if local_name(child) == "seg"), None)
    return None if seg is None else "".join(seg.itertext())


def read_tmx(data: bytes, name: str) -> list[TMXUnit]:
    root = safe_parse(data, name, TMXError)
    if local_name(root) != "tmx":
        raise TMXError(f"{name}: line {root.sourceline}: root element <{local_name(root)}> is not <tmx>")
    header = next((c for c in root if local_name(c) == "header"), None)
    if header is None:
        raise TMXError(f"{name}: no <header>; a TMX file names its source language there")
    source_lang = _base(header.get("srclang", ""))
    if not source_lang or source_lang == "*all*":
        source_lang = "en"
    units = []
    for tu in root.iter("{*}tu", "tu"):
        variants = {}
        for tuv in (c for c in tu if local_name(c) == "tuv"):
            tag = _lang(tuv)
            text = _seg_text(tuv)
            if not tag:
                raise TMXError(f"{name}: line {tuv.sourceline}: <tuv> without xml:lang")
            lang = _target(tag, source_lang, name, tuv.sourceline)
            if text is None:
                raise TMXError(f"{name}: line {tuv.sourceline}: <tuv> without <seg>")
            variants[lang] = text
        if source_lang not in variants:
            raise TMXError(f"{name}: line {tu.sourceline}: <tu> has no {source_lang} variant")
        for lang, text in variants.items():
            if lang != source_lang and text.strip():
                units.append(TMXUnit(variants[source_lang], text, source_lang, lang,
                                     tu.get("creationid"), tu.get("creationdate"), tu.sourceline))
    return units


def write_tmx(units: list[dict], source_lang: str = "en") -> bytes:
    """TMX 1.4b from rows with source, target, target_lang (and created_by/created_at)."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "workbench", "creationtoolversion": "0.1", "segtype": "sentence",
        "o-tmf": "workbench", "adminlang": "en", "srclang": source_lang, "datatype": "plaintext"})
    body = etree.SubElement(root, "body")
    for unit in units:
        attributes = {}
        if unit.get("created_by"):
            attributes["creationid"] = unit["created_by"]
        stamp = (unit.get("created_at") or "").replace("-", "").replace(":", "").split("+")[0]
        if stamp:
            attributes["creationdate"] = stamp if stamp.endswith("Z") else stamp + "Z"
        tu = etree.SubElement(body, "tu", attributes)
        for lang, text in ((source_lang, unit["source"]), (unit["target_lang"], unit["target"])):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = xml_text(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
