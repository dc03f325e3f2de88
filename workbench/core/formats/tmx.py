"""TMX 1.1-1.4b: read translation units with everything they hold, and write them back.

The reader streams (lxml iterparse, each <tu> cleared once read), so a memory of any size is read
in bounded memory. It yields one `TMXEntry` per <tu>: the memory units it holds (one per
translation variant: two az variants of one source are two units), the variants it skipped and
why (a language the workbench does not translate into, an empty translation), or the problem
that makes the <tu> invalid (naming its tuid and line). What to do with an invalid entry (refuse
the file, or skip it) is the importing service's decision.

Kept for each unit, so an export writes back what was imported: the language tags as written
(matched to ours by primary language with langcodes), the <tu>'s and each <tuv>'s attributes
(tuid, creationid, creationdate, changeid, changedate, usagecount, ...), <prop>s and <note>s, and
the inline codes (<bpt>, <ept>, <ph>, <it>, <ut>, <hi>).

Inline codes never become literal text: each is the workbench's inline-code placeholder
(core/codes.py: one private-use character, open/close for <bpt>/<ept> and <hi>, standalone for
<ph>, <it>, <ut>), numbered alike in the source and its translations (<bpt>/<ept> by their `i`,
the others by their `x` or their order), and what it stood for is kept per variant in the unit's
metadata (`codes`: {n: Mark as JSON, with the element as written in `native`}), from which the
export writes the elements back. A text holding a character of the placeholder range itself is
refused (it would be read as a code).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator
from typing import BinaryIO
from dataclasses import dataclass, field

import langcodes
from lxml import etree

from workbench.core import codes as inline
from workbench.core.errors import UserError
from workbench.core.hygiene import xml_text
from workbench.core.langs import target_lang

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CODE_ELEMENTS = ("bpt", "ept", "ph", "it", "ut")
DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})T?(\d{2}):?(\d{2}):?(\d{2})Z?$")


class TMXError(UserError):
    """A TMX file that cannot be imported; names the file, line and problem."""


@dataclass
class TMXUnit:
    source: str
    target: str
    source_lang: str
    target_lang: str
    created_by: str | None = None
    created_at: str | None = None  # ISO 8601, from changedate or creationdate
    line: int | None = None  # of the <tu>, for a message naming it
    source_tag: str = ""
    target_tag: str = ""
    meta: dict = field(default_factory=dict)


@dataclass
class TMXEntry:
    """One <tu>: its units, the variants skipped (reason -> count), or the problem refusing it."""

    line: int
    tuid: str | None
    units: list[TMXUnit] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    problem: str | None = None
    size: int = 1  # the variants it stands for in the counts (read = stored + merged + skipped)


def _lang(element) -> str:
    return (element.get(XML_LANG) or element.get("lang") or "").strip()


@functools.lru_cache(maxsize=256)
def primary(tag: str) -> str:
    """The primary language of a BCP 47 tag (`en-US`, `EN_gb` -> en), by langcodes; "" when none."""
    try:
        return langcodes.Language.get(tag.replace("_", "-")).language or ""
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return tag.split("-")[0].split("_")[0].lower()


_target_lang = functools.lru_cache(maxsize=256)(target_lang)


def iso_date(value: str | None) -> str | None:
    """A TMX date (YYYYMMDDThhmmssZ) as ISO 8601 UTC, or None when it is not one."""
    found = DATE.match((value or "").strip())
    if not found:
        return None
    y, mo, d, h, mi, s = found.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}+00:00"


def tmx_date(value: str | None) -> str | None:
    """An ISO 8601 date as TMX writes it (YYYYMMDDThhmmssZ)."""
    found = DATE.match((value or "").split("+")[0].split(".")[0].replace(":", "").replace("-", "")
                       .rstrip("Z") + "Z") if value else None
    if not found:
        return None
    return "{}{}{}T{}{}{}Z".format(*found.groups())


def _attrs(element) -> dict:
    return {("xml:lang" if key == XML_LANG else key): value for key, value in element.attrib.items()
            if isinstance(key, str)}


def _props_notes(element) -> tuple[list, list]:
    props, notes = [], []
    for child in element:
        name = _name(child)
        if name == "prop":
            props.append({"attrs": _attrs(child), "text": child.text or ""})
        elif name == "note":
            notes.append({"attrs": _attrs(child), "text": child.text or ""})
    return props, notes


class _LiteralCode(ValueError):
    """A segment holding a character of the inline-code range as text."""


CODE_TYPES = {"bold": "b", "italic": "i", "ulined": "u", "link": "a", "lb": "br", "image": "img"}


def _seg(seg) -> list:
    """The segment as tokens: text strings, and (kind, key, xml) for each inline code, kind being
    codes.OPEN, CLOSE or PH and key what identifies the code across variants."""
    tokens: list = []
    seen: dict[str, int] = {}

    def text(value: str | None) -> None:
        if value:
            found = inline.CODE.search(value)
            if found:
                raise _LiteralCode(f"<seg> holds U+{ord(found.group()):04X}, a character of the workbench's "
                                   "inline-code range (U+E100-U+EAFF); remove it")
            tokens.append(value)

    def key(element, name: str) -> tuple:
        seen[name] = seen.get(name, 0) + 1
        return (name, element.get("x") or f"#{seen[name]}")

    def walk(element) -> None:
        text(element.text)
        for child in element:
            name = _name(child)
            xml = etree.tostring(child, encoding="unicode", with_tail=False) if name in CODE_ELEMENTS else None
            if name in ("bpt", "ept"):
                tokens.append((inline.OPEN if name == "bpt" else inline.CLOSE,
                               ("pair", child.get("i") or child.get("x") or "?"), xml, child.get("type")))
            elif name in ("ph", "it", "ut"):
                tokens.append((inline.PH, key(child, name), xml, child.get("type")))
            elif name == "hi":  # a code around translatable text: the text stays, the tags are codes
                attributes = "".join(f' {k}="{_attr_escape(v)}"' for k, v in _attrs(child).items())
                code = key(child, "hi")
                tokens.append((inline.OPEN, code, f"<hi{attributes}>", child.get("type")))
                walk(child)
                tokens.append((inline.CLOSE, code, "</hi>", None))
            elif isinstance(child.tag, str):  # anything else (a <sub> out of place): its text
                walk(child)
            text(child.tail)

    walk(seg)
    return tokens


def _render(tokens: list, ids: dict) -> tuple[str, dict]:
    """The text with each code as its placeholder, and {n: Mark JSON}; `ids` (code key -> n) is
    shared by a unit's variants, so one code has one number in the source and its translations."""
    parts, marks = [], {}
    for token in tokens:
        if isinstance(token, str):
            parts.append(token)
            continue
        kind, code, xml, kind_attr = token
        if code not in ids:
            ids[code] = min(len(ids) + 1, inline.MAX_ID)
        n = ids[code]
        mark = marks.setdefault(str(n), {"type": CODE_TYPES.get(kind_attr or "", "x"), "native": {},
                                         "paired": kind != inline.PH})
        mark["native"]["ph" if kind == inline.PH else kind] = xml
        parts.append(inline.char(kind, n))
    return "".join(parts), marks


def _attr_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _variant(tuv) -> dict | str:
    """A <tuv> as {"tag", "text", "attrs", "props", "notes", "codes"}, or the problem with it."""
    tag = _lang(tuv)
    if not tag:
        return f"line {tuv.sourceline}: <tuv> without xml:lang"
    seg = next((child for child in tuv if _name(child) == "seg"), None)
    if seg is None:
        return f"line {tuv.sourceline}: <tuv> without <seg>"
    try:
        tokens = _seg(seg)
    except _LiteralCode as err:
        return f"line {seg.sourceline}: {err}"
    props, notes = _props_notes(tuv)
    return {"tag": tag, "tokens": tokens, "attrs": _attrs(tuv), "props": props, "notes": notes}


def _entry(tu, source_lang: str) -> TMXEntry:
    line = tu.sourceline
    entry = TMXEntry(line=line, tuid=tu.get("tuid"))
    variants = []
    for tuv in (c for c in tu if _name(c) == "tuv"):
        variant = _variant(tuv)
        if isinstance(variant, str):
            entry.problem = variant
            entry.size = max(1, sum(1 for c in tu if _name(c) == "tuv") - 1)
            return entry
        variants.append(variant)
    sources = [v for v in variants if primary(v["tag"]) == source_lang]
    targets = [v for v in variants if primary(v["tag"]) != source_lang]
    if not sources:
        entry.problem = f"line {line}: <tu> has no {source_lang} variant"
        entry.size = max(1, len(targets))
        return entry
    source = sources[0]
    ids: dict = {}
    source["text"], source["codes"] = _render(source["tokens"], ids)
    for variant in sources[1:] + targets:
        variant["text"], variant["codes"] = _render(variant["tokens"], dict(ids))
    for extra in sources[1:]:
        if extra["text"] != source["text"]:
            targets.append(extra)  # a second source variant is not a translation: skipped below
    if not targets:
        entry.skipped["no translation"] = 1
        return entry
    tu_props, tu_notes = _props_notes(tu)
    tu_attrs = _attrs(tu)
    for variant in targets:
        lang = _target_lang(variant["tag"]) if primary(variant["tag"]) != source_lang else None
        if lang is None:
            reason = (f"language {variant['tag']}" if primary(variant["tag"]) != source_lang
                      else "second source variant")
            entry.skipped[reason] = entry.skipped.get(reason, 0) + 1
            continue
        if not inline.plain(variant["text"]).strip():
            entry.skipped["empty translation"] = entry.skipped.get("empty translation", 0) + 1
            continue
        stamps = {**tu_attrs, **{k: v for k, v in variant["attrs"].items() if k != "xml:lang"}}
        author = stamps.get("changeid") or stamps.get("creationid")
        date = iso_date(stamps.get("changedate")) or iso_date(stamps.get("creationdate"))
        meta = {"tu": tu_attrs, "props": tu_props, "notes": tu_notes,
                "source": {k: source[k] for k in ("attrs", "props", "notes", "codes")},
                "target": {k: variant[k] for k in ("attrs", "props", "notes", "codes")}}
        entry.units.append(TMXUnit(source["text"], variant["text"], source_lang, lang, author, date, line,
                                   source["tag"], variant["tag"], meta))
    return entry


def read_tmx(data: bytes | BinaryIO, name: str) -> Iterator[TMXEntry]:
    """Each <tu> of the file (bytes, or a binary file read as it goes) as a TMXEntry, streaming;
    TMXError for a file that is not TMX at all (not well-formed, another root, no <header>,
    entities declared)."""
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    events = etree.iterparse(source, events=("end",), tag="{*}tu", resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    source_lang = None
    try:
        for _, element in events:
            if source_lang is None:
                source_lang = _header(element.getroottree(), name)
            yield _entry(element, source_lang)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
        if source_lang is None and events.root is not None:
            _header(events.root.getroottree(), name)
    except etree.XMLSyntaxError as err:
        line = err.lineno or (err.position[0] if err.position else "?")
        raise TMXError(f"{name}: line {line}: not well-formed XML ({err.msg})") from None


def _header(tree, name: str) -> str:
    """The source language the <header> names (primary language; *all* and none: en), once the
    document is known to be TMX without entity declarations."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise TMXError(f"{name}: line 1: the document declares XML entities; they are "
                       "refused for safety (remove the <!ENTITY> declarations)")
    root = tree.getroot()
    if _name(root) != "tmx":
        raise TMXError(f"{name}: line {root.sourceline}: root element <{_name(root)}> is not <tmx>")
    header = next((c for c in root if _name(c) == "header"), None)
    if header is None:
        raise TMXError(f"{name}: no <header>; a TMX file names its source language there")
    srclang = header.get("srclang", "")
    return primary(srclang) if srclang and srclang != "*all*" else "en"


def _name(element) -> str:
    """The local name of an element ("" for a comment or processing instruction)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _seg_element(tuv, text: str, codes: dict) -> None:
    """<seg> with `text`, its inline-code placeholders written as the elements they stood for
    (generic <bpt>/<ept>/<ph> for a code the unit's metadata does not know)."""
    pieces, plain_run = [], []
    for ch in text:
        info = inline.parse(ch)
        if info is None:
            plain_run.append(ch)
            continue
        pieces.append(_escape(xml_text("".join(plain_run))))
        plain_run = []
        kind, n = info
        native = ((codes or {}).get(str(n)) or {}).get("native") or {}
        default = {inline.OPEN: f'<bpt i="{n}"></bpt>', inline.CLOSE: f'<ept i="{n}"></ept>',
                   inline.PH: f'<ph x="{n}"></ph>'}[kind]
        pieces.append(native.get("ph" if kind == inline.PH else kind) or default)
    pieces.append(_escape(xml_text("".join(plain_run))))
    try:
        seg = etree.fromstring(f"<seg>{''.join(pieces)}</seg>")
    except etree.XMLSyntaxError:  # codes that no longer pair up: generic ones
        seg = etree.fromstring("<seg>" + "".join(
            _escape(xml_text(ch)) if inline.parse(ch) is None else
            {inline.OPEN: '<bpt i="{}"></bpt>', inline.CLOSE: '<ept i="{}"></ept>',
             inline.PH: '<ph x="{}"></ph>'}[inline.parse(ch)[0]].format(inline.parse(ch)[1]) for ch in text) + "</seg>")
    tuv.append(seg)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _put_attrs(element, attrs: dict) -> None:
    for key, value in attrs.items():  # TMX 1.1's lang is 1.4's xml:lang
        element.set(XML_LANG if key in ("xml:lang", "lang") else key, xml_text(value))


def _put_props_notes(element, props: list, notes: list) -> None:
    for kind, items in (("note", notes), ("prop", props)):
        for item in items or []:
            child = etree.SubElement(element, kind)
            _put_attrs(child, item.get("attrs") or {})
            child.text = xml_text(item.get("text") or "")


def write_tmx(units: list[dict], source_lang: str = "en") -> bytes:
    """TMX 1.4b from rows with source, target, target_lang (and created_by/created_at, and the
    metadata an import kept: tags as written, attributes, props, notes, inline codes)."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "workbench", "creationtoolversion": "0.1", "segtype": "sentence",
        "o-tmf": "workbench", "adminlang": "en", "srclang": source_lang, "datatype": "plaintext"})
    body = etree.SubElement(root, "body")
    for unit in units:
        meta = unit.get("meta") or {}
        tu = etree.SubElement(body, "tu")
        if meta.get("tu"):
            _put_attrs(tu, meta["tu"])
        else:
            if unit.get("created_by"):
                tu.set("creationid", xml_text(unit["created_by"]))
            stamp = tmx_date(unit.get("created_at"))
            if stamp:
                tu.set("creationdate", stamp)
        # TMX 1.4b: <note>s, then <prop>s, then the <tuv>s
        _put_props_notes(tu, meta.get("props"), meta.get("notes"))
        for side, lang, text in (("source", source_lang, unit["source"]),
                                 ("target", unit["target_lang"], unit["target"])):
            held = meta.get(side) or {}
            attrs = held.get("attrs") or {"xml:lang": lang}
            tuv = etree.SubElement(tu, "tuv")
            _put_attrs(tuv, attrs)
            if "xml:lang" not in attrs and "lang" not in attrs:
                tuv.set(XML_LANG, lang)
            _put_props_notes(tuv, held.get("props"), held.get("notes"))
            _seg_element(tuv, text, held.get("codes"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
