"""XLIFF 1.2 and 2.0 per article and language: export for other CAT tools, import their edits.

Unit ids are segment ids; states map to ours (1.2: MT draft = needs-review-translation with the
mt-suggestion qualifier, edited = translated, approved = final + approved="yes"; 2.0: initial,
translated, final); term findings travel as notes.

Inline codes (core/codes.py) travel as the format's inline elements, with the segment's own code
ids, in source and target: XLIFF 1.2 `<g id="n">…</g>` for a pair, `<x id="n"/>` for a standalone
code, `<bx id="n"/>` / `<ex id="n"/>` for one side of a pair whose partner is in another segment
(ctype says bold, italic, underlined, link, lb, image, or x-…); XLIFF 2.0 `<pc id="n">…</pc>`,
`<ph id="n"/>`, `<sc id="n" isolated="yes"/>` / `<ec id="n" isolated="yes"/>` (type and subType
say fmt xlf:b, link, image…). The import reads those and the other forms tools write back (1.2
`<bpt>/<ept>`, `<ph>`, `<it>`; 2.0 `<sc>/<ec>` pairs) and maps them to the segment's codes:
`map_codes` matches by id, then by order where a tool renumbered them.

Each unit also carries the version it was exported at, so an import never overwrites a segment
someone changed in the workbench since, and the file the article version it was made from. Both
sit where the OASIS schemas allow them (tests/schemas validate every export): XLIFF 1.2 strict
declares no extension attributes without a schema, so the unit's version is a
`<context-group purpose="information"><context context-type="x-workbench-version">` and the
article version the `<file build-num>` (the build of the original document); XLIFF 2.0 takes
attributes of another namespace on `<file>` and `<unit>` (wb:article-version, wb:version). Files
of the earlier 1.2 export, with wb:version on `<trans-unit>` and wb:article-version on `<file>`,
are read as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from workbench.core import codes as inline
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
             "source_changed": "needs-review-translation", "needs_review": "needs-review-translation"}
STATE_OUT_2 = {"mt_draft": "initial", "edited": "translated", "approved": "final", "source_changed": "initial",
               "needs_review": "initial"}
ARTICLE_VERSION = f"{{{WB}}}article-version"  # 2.0 (and 1.2 before codes): <file>'s article version
UNIT_VERSION = f"{{{WB}}}version"  # 2.0 (and 1.2 before codes): the segment version on <unit>
VERSION_CONTEXT = "x-workbench-version"  # 1.2: <context context-type=…> holding the segment version

# Mark types (core/codes.py) as XLIFF 1.2 ctype values: the spec's own where it has one, else x-….
CTYPE_PAIR = {"b": "bold", "i": "italic", "u": "underlined", "a": "link", "s": "x-strike", "code": "x-code",
              "sup": "x-superscript", "sub": "x-subscript"}
CTYPE_STANDALONE = {"br": "lb", "img": "image"}
# … and as XLIFF 2.0 type / subType (the spec's xlf: subtypes for bold, italic, underline, line break).
TYPE_2 = {"b": ("fmt", "xlf:b"), "i": ("fmt", "xlf:i"), "u": ("fmt", "xlf:u"), "br": ("fmt", "xlf:lb"),
          "a": ("link", None), "img": ("image", None), "s": ("fmt", None), "code": ("fmt", None),
          "sup": ("fmt", None), "sub": ("fmt", None)}


class XLIFFError(UserError):
    """An XLIFF file that cannot be imported; names the file, line and problem."""


# A unit's source or target as read: text runs and codes, each code (kind, the file's id).
Parts = tuple  # tuple[str | tuple[str, str], ...]


@dataclass(frozen=True)
class XLIFFUnit:
    segment_id: int
    source_parts: Parts
    target_parts: Parts | None
    status: str | None  # ours, mapped from state/approved
    version: int | None  # None: the unit carries no version (services/interchange.py treats it as a conflict)
    line: int
    notes: tuple[str, ...] = ()  # the file's own notes (not the term notes our export writes)

    @property
    def source(self) -> str:
        """The source with the file's numeric code ids taken as ours (what our export wrote)."""
        return _as_text(self.source_parts)

    @property
    def target(self) -> str | None:
        return None if self.target_parts is None else _as_text(self.target_parts)


@dataclass(frozen=True)
class MappedUnit:
    """A unit's texts with the segment's own code ids (`map_codes`)."""

    source: str | None  # None: the file's source codes are not the segment's
    target: str | None
    problems: list[str]  # what is wrong with the target's codes, in words ([]: nothing)


# ---------------------------------------------------------------------------------------- export


def write_xliff(article: dict, lang: str, segments: list[dict], translations: dict[int, dict],
                term_findings: dict[int, list[dict]], paragraphs: list[dict] | None = None,
                comments: dict[int, list[dict]] | None = None) -> bytes:
    """XLIFF 1.2 (valid against the OASIS strict schema). `paragraphs` (store.paragraphs) say what
    each segment's codes stand for (ctype); without them the codes are written without a ctype."""
    marks = _marks(paragraphs)
    E = lambda tag, attrib=None: etree.Element(f"{{{NS}}}{tag}", attrib or {})  # noqa: E731
    root = etree.Element(f"{{{NS}}}xliff", {"version": "1.2"}, nsmap={None: NS})
    file = etree.SubElement(root, f"{{{NS}}}file", {
        "original": f"article-{article['id']}", "source-language": article.get("source_lang") or "en",
        "target-language": lang, "datatype": "plaintext", "build-num": str(article.get("version") or 1)})
    header = etree.SubElement(file, f"{{{NS}}}header")
    header.append(E("tool", {"tool-id": "workbench", "tool-name": "workbench"}))
    body = etree.SubElement(file, f"{{{NS}}}body")
    for segment in segments:
        translation = translations.get(segment["id"])
        unit_marks = marks.get(segment.get("paragraph_idx"), {})
        unit = etree.SubElement(body, f"{{{NS}}}trans-unit", {
            "id": str(segment["id"]), "resname": f"segment-{segment['idx'] + 1}", XML_SPACE: "preserve"})
        _write_inline(etree.SubElement(unit, f"{{{NS}}}source"), segment["text"], unit_marks, version=1)
        notes = []
        if translation and translation["status"] != "untranslated" and translation["text"]:
            target = etree.SubElement(unit, f"{{{NS}}}target", {"state": STATE_OUT[translation["status"]]})
            _write_inline(target, translation["text"], unit_marks, version=1)
            if translation["status"] == "mt_draft":
                target.set("state-qualifier", "mt-suggestion")
            if translation["status"] == "approved":
                unit.set("approved", "yes")
            notes = _notes(term_findings.get(translation["id"], []))
        else:
            # Nothing translated yet: a copy of the source marked "new", the form OmegaT, Okapi and
            # translate-toolkit offer to a translator (without a <target> OmegaT offers nothing); a
            # copy that comes back unchanged and still "new" stays untranslated (read_xliff).
            _write_inline(etree.SubElement(unit, f"{{{NS}}}target", {"state": "new"}), segment["text"], unit_marks,
                          version=1)
        group = etree.SubElement(unit, f"{{{NS}}}context-group", {"purpose": "information"})
        etree.SubElement(group, f"{{{NS}}}context", {"context-type": VERSION_CONTEXT}).text = \
            str(translation["version"] if translation else 0)
        for text in notes:
            etree.SubElement(unit, f"{{{NS}}}note", {"from": "workbench", "priority": "2"}).text = xml_text(text)
        for comment in (comments or {}).get(segment["id"], []):  # the segment's comments, for the other tool
            etree.SubElement(unit, f"{{{NS}}}note", {"from": comment["author"]}).text = xml_text(comment["body"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _notes(findings: list[dict]) -> list[str]:
    return [f"Term {f['concept']}: {f['status']} (source “{f['source_text']}”"
            + (f", target “{f['target_text']}”)" if f["target_text"] else ")")
            for f in findings if f["status"] != "ok"]


def write_xliff2(article: dict, lang: str, segments: list[dict], translations: dict[int, dict],
                 term_findings: dict[int, list[dict]], paragraphs: list[dict] | None = None,
                 comments: dict[int, list[dict]] | None = None) -> bytes:
    """XLIFF 2.0 (valid against the OASIS core schema); `paragraphs` as for write_xliff."""
    marks = _marks(paragraphs)
    root = etree.Element(f"{{{NS2}}}xliff", {"version": "2.0", "srcLang": article.get("source_lang") or "en",
                                             "trgLang": lang}, nsmap={None: NS2, "wb": WB})
    file = etree.SubElement(root, f"{{{NS2}}}file", {"id": f"article-{article['id']}"})
    file.set(ARTICLE_VERSION, str(article.get("version") or 1))
    for segment in segments:
        translation = translations.get(segment["id"])
        unit_marks = marks.get(segment.get("paragraph_idx"), {})
        unit = etree.SubElement(file, f"{{{NS2}}}unit", {"id": str(segment["id"]),
                                                          "name": f"segment-{segment['idx'] + 1}"})
        unit.set(UNIT_VERSION, str(translation["version"] if translation else 0))
        notes = _notes(term_findings.get(translation["id"], [])) if translation else []
        remarks = (comments or {}).get(segment["id"], [])
        if notes or remarks:
            holder = etree.SubElement(unit, f"{{{NS2}}}notes")
            for text in notes:
                etree.SubElement(holder, f"{{{NS2}}}note", {"category": "terminology"}).text = xml_text(text)
            for comment in remarks:
                etree.SubElement(holder, f"{{{NS2}}}note", {"category": "comment"}).text = \
                    xml_text(comment["body"])
        translated = translation and translation["status"] != "untranslated" and translation["text"]
        seg = etree.SubElement(unit, f"{{{NS2}}}segment",
                               {"state": STATE_OUT_2[translation["status"]] if translated else "initial"})
        source = etree.SubElement(seg, f"{{{NS2}}}source", {XML_SPACE: "preserve"})
        _write_inline(source, segment["text"], unit_marks, version=2)
        target = etree.SubElement(seg, f"{{{NS2}}}target", {XML_SPACE: "preserve"})
        # untranslated: a copy of the source in state "initial" (see the 1.2 writer)
        _write_inline(target, translation["text"] if translated else segment["text"], unit_marks, version=2)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _marks(paragraphs: list[dict] | None) -> dict[int, dict[str, dict]]:
    """paragraph index -> {code id: Mark as dict}."""
    return {p["idx"]: p.get("codes") or {} for p in paragraphs or []}


def _pairs_that_nest(text: str) -> set[int]:
    """Ids whose open and close are each once in `text` and nest with the other such pairs: written
    as one element around their content (<g>, <pc>); the others as separate start and end codes."""
    seen = inline.codes_in(text)
    candidates = {n for n in inline.paired_ids(text)
                  if seen.count((inline.OPEN, n)) == 1 and seen.count((inline.CLOSE, n)) == 1}
    while True:
        stack: list[int] = []
        broken = None
        for kind, n in seen:
            if n not in candidates:
                continue
            if kind == inline.OPEN:
                stack.append(n)
            elif stack and stack[-1] == n:
                stack.pop()
            else:  # a close before its open, or two pairs crossing: this one is not written as a pair
                broken = n
                break
        if broken is None:
            return candidates
        candidates.discard(broken)


def _append_text(element, value: str) -> None:
    if not value:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + value
    else:
        element.text = (element.text or "") + value


def _write_inline(holder, text: str, marks: dict[str, dict], version: int) -> None:
    """`text` into `holder` (<source>, <target>) with its codes as inline elements."""
    text = xml_text(text) or ""
    holder.text = ""  # a text node, even empty, keeps pretty_print from indenting inside the content
    nesting = _pairs_that_nest(text)
    ns = NS if version == 1 else NS2
    found_codes = inline.codes_in(text)
    # 2.0: a start and an end code of one pair that do not nest are <sc id="n"/> … <ec startRef="n"/>
    # (the start first); any other lone start or end is isolated.
    linked = {n for n in inline.paired_ids(text)
              if found_codes.count((inline.OPEN, n)) == found_codes.count((inline.CLOSE, n)) == 1
              and found_codes.index((inline.OPEN, n)) < found_codes.index((inline.CLOSE, n))}
    stack = [holder]
    start = 0
    for match in inline.CODE.finditer(text):
        _append_text(stack[-1], text[start:match.start()])
        start = match.end()
        found = inline.parse(match.group())
        if found is None:  # in the code range but no code id (U+E100): kept as text
            _append_text(stack[-1], match.group())
            continue
        kind, n = found
        mark = marks.get(str(n)) or {}
        kind_of = mark.get("type", "")
        if kind == inline.OPEN and n in nesting:
            stack.append(etree.SubElement(stack[-1], f"{{{ns}}}{'g' if version == 1 else 'pc'}",
                                          {"id": str(n), **_code_attrs(kind_of, version, paired=True)}))
        elif kind == inline.CLOSE and n in nesting:
            stack.pop()
        elif kind == inline.PH:
            etree.SubElement(stack[-1], f"{{{ns}}}{'x' if version == 1 else 'ph'}",
                             {"id": str(n), **_code_attrs(kind_of, version, paired=False)})
        elif version == 1:
            attrs = {"id": str(n)}
            if kind == inline.OPEN:
                attrs.update(_code_attrs(kind_of, 1, paired=True))
            etree.SubElement(stack[-1], f"{{{NS}}}{'bx' if kind == inline.OPEN else 'ex'}", attrs)
        else:
            attrs = _code_attrs(kind_of, 2, paired=True)
            if kind == inline.OPEN:
                attrs = {"id": str(n), **({} if n in linked else {"isolated": "yes"}), **attrs}
                etree.SubElement(stack[-1], f"{{{NS2}}}sc", attrs)
            else:
                attrs = {"startRef": str(n)} if n in linked else {"id": str(n), "isolated": "yes"}
                etree.SubElement(stack[-1], f"{{{NS2}}}ec", attrs)
    _append_text(stack[-1], text[start:])


def _code_attrs(mark_type: str, version: int, paired: bool) -> dict[str, str]:
    if not mark_type:
        return {}
    if version == 1:
        ctype = (CTYPE_PAIR if paired else CTYPE_STANDALONE).get(mark_type)
        return {"ctype": ctype or f"x-{mark_type}"} if mark_type.isalnum() else {}
    kind, sub = TYPE_2.get(mark_type, ("other", None))
    return {"type": kind, **({"subType": sub} if sub else {})}


# ---------------------------------------------------------------------------------------- import


def _file_notes(unit, attribute: str, ours: str) -> tuple[str, ...]:
    """The unit's notes but the term notes our export writes (1.2 from="workbench", 2.0
    category="terminology"): a translator's or a tool's remarks, shown as comments."""
    return tuple(" ".join("".join(note.itertext()).split()) for note in unit.iter()
                 if local_name(note) == "note" and note.get(attribute) != ours and "".join(note.itertext()).strip())


def _untouched_copy(source, target, state: str | None, untranslated_states: tuple[str, ...]) -> bool:
    """A target that is still the copy of the source our export wrote, in a state that says it is
    not translated: the translator left the unit alone (it is not a translation into English)."""
    return (state or "").lower() in untranslated_states and _parts(target) == _parts(source)


def _status(unit, target) -> str | None:
    if target is None:
        return None
    state = (target.get("state") or "").lower()
    if unit.get("approved") == "yes" or state in ("final", "signed-off"):
        return "approved"
    if state.startswith("needs-review") or state in ("needs-adaptation", "needs-l10n"):
        return "needs_review"  # the tool says someone must still look at it (README's table)
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


def _version_value(unit) -> str | None:
    """The version the unit carries: 1.2's version context (this export), else the wb:version
    attribute (2.0, and 1.2 files of the earlier export)."""
    for group in unit:
        if local_name(group) != "context-group":
            continue
        for context in group:
            if local_name(context) == "context" and context.get("context-type") == VERSION_CONTEXT:
                return (context.text or "").strip()
    return unit.get(UNIT_VERSION)


def _version(unit, unit_id: str, name: str) -> int | None:
    """The segment version the unit was exported at; None when the unit carries none.

    A version that is there but not one our export writes (`abc`, `-1`, `²`, 20 digits) means
    the file was altered: its changes cannot be checked against newer work, so it is refused.
    """
    value = _version_value(unit)
    if value is None:
        return None
    version = _number(value)
    if version is None:
        raise XLIFFError(f"{name}: line {unit.sourceline}: unit {unit_id!r} has version {value[:40]!r}, "
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
    file = files[0] if files else None
    value = "" if file is None else (file.get(ARTICLE_VERSION) or file.get("build-num") or "")
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
        if target is not None and _untouched_copy(parts["source"], target, target.get("state"), ("new", "needs-translation")):
            target = None
        units.append(XLIFFUnit(int(unit.get("id")), _parts(parts["source"]),
                               _parts(target) if target is not None else None,
                               _status(unit, target), _version(unit, unit.get("id"), name), unit.sourceline,
                               _file_notes(unit, "from", "workbench")))
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
        if target is not None and _untouched_copy(parts["source"], target, state or "initial", ("initial",)):
            target = None
        status = None if target is None else ("approved" if state == "final" else "edited")
        units.append(XLIFFUnit(int(unit.get("id")), _parts(parts["source"]),
                               _parts(target) if target is not None else None,
                               status, _version(unit, unit.get("id"), name), unit.sourceline,
                               _file_notes(unit, "category", "terminology")))
        raw_ids.append(unit.get("id"))
    _check_unique(units, raw_ids, name)
    return article_id, lang, units


# Inline elements, XLIFF 1.2 and 2.0, as (kind, the attribute naming the code).
_OPENING = {"bx", "bpt", "sc"}
_CLOSING = {"ex", "ept", "ec"}
_STANDALONE = {"x", "ph"}
_PAIRED = {"g", "pc"}


def _parts(element) -> Parts:
    """The text of <source>/<target> as text runs and (kind, file's id) codes."""
    out: list = []
    _walk(element, out)
    merged: list = []
    for part in out:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return tuple(merged)


def _add_text(out: list, value: str | None) -> None:
    """Text, with code characters written as text (an earlier export) read as those codes."""
    if not value:
        return
    start = 0
    for match in inline.CODE.finditer(value):
        found = inline.parse(match.group())
        if found is None:
            continue
        out.append(value[start:match.start()])
        out.append((found[0], str(found[1])))
        start = match.end()
    out.append(value[start:])


def _code_id(element, pair_attr: str) -> str:
    return (element.get(pair_attr) or element.get("id") or "").strip()


def _walk(element, out: list) -> None:
    _add_text(out, element.text)
    for child in element:
        name = local_name(child)
        if name in _PAIRED:
            code = _code_id(child, "id")
            out.append((inline.OPEN, code))
            _walk(child, out)
            out.append((inline.CLOSE, code))
        elif name in _STANDALONE:
            out.append((inline.PH, _code_id(child, "id")))
        elif name == "it":  # 1.2 isolated tag: pos="open" or "close"
            out.append((inline.CLOSE if child.get("pos") == "close" else inline.OPEN, _code_id(child, "rid")))
        elif name in _OPENING:
            out.append((inline.OPEN, _code_id(child, "rid")))
        elif name in _CLOSING:
            out.append((inline.CLOSE, _code_id(child, "rid" if name != "ec" else "startRef")))
        elif name == "cp":  # 2.0: a character XML cannot hold; the save refuses it by name
            try:
                out.append(chr(int(child.get("hex") or "", 16)))
            except (ValueError, OverflowError):
                pass
        elif name in ("sm", "em", ""):  # 2.0 annotation markers; processing instructions
            pass
        else:  # <mrk> and anything unknown: its text is text
            _walk(child, out)
        _add_text(out, child.tail)


def _as_text(parts: Parts, mapping: dict[str, int] | None = None) -> str:
    """Parts as text with code characters: the file's ids mapped (or taken as numbers); a code
    that maps to no id of ours is left out."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        kind, code = part
        n = mapping.get(code) if mapping is not None else _code_number(code)
        if n is not None:
            out.append(inline.char(kind, n))
    return "".join(out)


def _code_number(code: str) -> int | None:
    n = _number(code)
    return n if n is not None and 1 <= n <= inline.MAX_ID else None


def _kinds(codes: list[tuple[str, object]]) -> dict:
    found: dict = {}
    for kind, code in codes:
        found.setdefault(code, set()).add(kind)
    return found


def map_codes(unit: XLIFFUnit, segment_text: str) -> MappedUnit:
    """The unit's source and target with the segment's own code ids, and what is wrong with the
    target's codes (core/codes.problems in words, plus codes the source does not have).

    A file code is the segment's code with the same id when the source has it with the same kinds
    (open, close, standalone); the file's other source codes are the segment's remaining ones in
    order (a tool that renumbered them), and so are target codes whose ids the source does not
    hold. The source is None when its codes cannot all be mapped (then it no longer matches)."""
    ours = inline.codes_in(segment_text)
    our_kinds = _kinds(ours)
    our_ids = list(our_kinds)
    source_codes = [part for part in unit.source_parts if not isinstance(part, str)]
    file_kinds = _kinds(source_codes)
    mapping: dict[str, int] = {}
    for code, kinds in file_kinds.items():
        n = _code_number(code)
        if n in our_kinds and our_kinds[n] == kinds and n not in mapping.values():
            mapping[code] = n
    left = [n for n in our_ids if n not in mapping.values()]
    for code in [c for c in file_kinds if c not in mapping]:
        if left and our_kinds[left[0]] == file_kinds[code]:
            mapping[code] = left.pop(0)
    source = _as_text(unit.source_parts, mapping) if all(c in mapping for c in file_kinds) else None
    if unit.target_parts is None:
        return MappedUnit(source, None, [])
    target_codes = [part for part in unit.target_parts if not isinstance(part, str)]
    target_kinds = _kinds(target_codes)
    target_map = {code: n for code, n in mapping.items() if code in target_kinds}
    unknown = [code for code in target_kinds if code not in target_map]
    free = [n for n in our_ids if n not in target_map.values()]
    for code in list(unknown):  # by id first: a code the file's source lost but ours has
        n = _code_number(code)
        if n in free and our_kinds[n] >= target_kinds[code]:
            target_map[code] = n
            free.remove(n)
            unknown.remove(code)
    for code in list(unknown):  # then by order
        match = next((n for n in free if our_kinds[n] >= target_kinds[code]), None)
        if match is not None:
            target_map[code] = match
            free.remove(match)
            unknown.remove(code)
    target = _as_text(unit.target_parts, target_map)
    problems = []
    if unknown:
        problems.append("inline code id" + ("s " if len(unknown) > 1 else " ")
                        + ", ".join(repr(c) for c in unknown) + " not in the source")
    if inline.plain(target).strip():  # an emptied target is no translation: nothing to check
        problems += inline.problems(segment_text, target)
    return MappedUnit(source, target, problems)
