"""An XLIFF file written by another tool as an article: read it whole, give it back whole.

Any XLIFF 1.2 or 2.0 (memoQ, Trados, Xcode, Okapi, Matecat, OmegaT…) becomes a document: each
translation unit (or each segment of it, where the file is segmented: 1.2 `<seg-source>` with
`<mrk mtype="seg">` as Okapi and Trados write it, 2.0 `<segment>`) is one block that is one segment
(the other tool's segmentation is kept, never re-split); every `<file>` of the file, in order;
groups flattened with their ids kept in the block's `ref`. Inline elements become inline codes
(core/codes.py) keeping the element itself as native markup: `<g>`, `<x/>`, `<bx/>`, `<ex/>`,
`<bpt>`/`<ept>`, `<ph>`, `<it>`, `<mrk>` (1.2); `<pc>`, `<ph/>`, `<sc/>`/`<ec/>`, `<mrk>` (2.0).
Units marked `translate="no"` are kept as they are (read-only: no segment). Targets already in the
file for the file's target language come with their state (mapped by services), notes as notes.

The export (`fill_xliff`) is the original file with the targets filled in: everything the
workbench did not touch — skeleton, extensions, ids, notes — stays as it was.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

from workbench.core import codes as inline
from workbench.core.document import Block
from workbench.core.errors import UserError
from workbench.core.formats.xmlsafe import local_name, safe_parse

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Vendor namespaces whose state the reader understands.
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
MQ = "MQXliff"

PAIRED_12 = {"g", "mrk"}
STANDALONE_12 = {"x", "bx", "ex", "ph", "it", "bpt", "ept"}
PAIRED_20 = {"pc", "mrk"}
STANDALONE_20 = {"ph", "sc", "ec"}
CTYPE = {"bold": "b", "italic": "i", "underlined": "u", "link": "a", "x-link": "a", "x-bold": "b",
         "x-italic": "i"}


class ForeignXliffError(UserError):
    """A foreign XLIFF file that cannot be read; the message names the file, line and fix."""


@dataclass
class ForeignXliff:
    version: str  # "1.2" or "2.0"
    source_lang: str | None
    target_lang: str | None
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_xliff(data: bytes) -> bool:
    head = data[:4096]
    for encoding in ("utf-8", "utf-16"):
        try:
            text = head.decode(encoding, "ignore")
        except LookupError:  # pragma: no cover
            continue
        if "<xliff" in text:
            return True
    return False


def read(data: bytes, name: str) -> ForeignXliff:
    root = safe_parse(data, name, ForeignXliffError)
    if local_name(root) != "xliff":
        raise ForeignXliffError(f"{name}: line {root.sourceline}: not an XLIFF file (the root element is "
                                f"<{local_name(root)}>, not <xliff>)")
    ns = etree.QName(root).namespace
    if ns == NS20 or (root.get("version") or "").startswith("2"):
        return _read_20(root, name)
    return _read_12(root, name)


# --- XLIFF 1.2 -------------------------------------------------------------------------------------

def _children(element, tag: str):
    return [c for c in element if local_name(c) == tag]


def _read_12(root, name: str) -> ForeignXliff:
    files = [f for f in root.iter() if local_name(f) == "file"]
    if not files:
        raise ForeignXliffError(f"{name}: the XLIFF file holds no <file> element")
    doc = ForeignXliff("1.2", files[0].get("source-language"), files[0].get("target-language"))
    for f_index, file in enumerate(files):
        target_lang = file.get("target-language") or doc.target_lang
        for unit in (u for u in file.iter() if local_name(u) == "trans-unit"):
            doc.blocks.extend(_unit_12(unit, f_index, target_lang, name, doc.warnings))
    return doc


def _state_12(unit, target) -> str | None:
    state = target.get("state") if target is not None else None
    if unit.get("approved") == "yes":
        state = state or "final"
    mq = unit.get(f"{{{MQ}}}status")
    if mq and not state:
        state = {"ManuallyConfirmed": "translated", "Proofread": "signed-off", "Rejected": "needs-review-translation",
                 "NotStarted": "new", "Editing": "needs-translation"}.get(mq)
    return state


def _notes(unit) -> list[str]:
    return [" ".join("".join(n.itertext()).split()) for n in unit if local_name(n) == "note"
            and "".join(n.itertext()).strip()]


def _unit_12(unit, f_index: int, target_lang: str | None, name: str, warnings: list[str]) -> list[Block]:
    uid = unit.get("id") or f"line-{unit.sourceline}"
    translate = unit.get("translate", "yes") != "no"
    source = next(iter(_children(unit, "source")), None)
    target = next(iter(_children(unit, "target")), None)
    seg_source = next(iter(_children(unit, "seg-source")), None)
    base = {"file": f_index, "unit": uid, "xliff": "1.2", "notes": _notes(unit)}
    if source is None:
        warnings.append(f"{name}: line {unit.sourceline}: unit {uid!r} has no <source>; left as it is")
        return []
    if seg_source is not None and any(local_name(m) == "mrk" and m.get("mtype") == "seg" for m in seg_source.iter()):
        blocks = []
        target_marks = {m.get("mid"): m for m in (target.iter() if target is not None else [])
                        if local_name(m) == "mrk" and m.get("mtype") == "seg"}
        sdl_states = {d.get("id"): d.get("conf") for d in unit.iter() if local_name(d) == "seg"
                      and etree.QName(d).namespace == SDL}
        for mark in (m for m in seg_source.iter() if local_name(m) == "mrk" and m.get("mtype") == "seg"):
            mid = mark.get("mid")
            block = _block(mark, f"f{f_index}/u{uid}/m{mid}", {**base, "mrk": mid}, translate, "1.2")
            t = target_marks.get(mid)
            if t is not None and translate:
                state = {"Translated": "translated", "ApprovedTranslation": "final", "ApprovedSignOff": "signed-off",
                         "Draft": "needs-review-translation", "RejectedTranslation": "needs-review-translation"
                         }.get(sdl_states.get(mid) or "") or _state_12(unit, target)
                _target_into(block, t, target_lang, state, "1.2")
            blocks.append(block)
        return blocks
    block = _block(source, f"f{f_index}/u{uid}", base, translate, "1.2")
    if target is not None and translate:
        _target_into(block, target, target_lang, _state_12(unit, target), "1.2")
    return [block]


# --- XLIFF 2.0 -------------------------------------------------------------------------------------

def _read_20(root, name: str) -> ForeignXliff:
    doc = ForeignXliff("2.0", root.get("srcLang"), root.get("trgLang"))
    files = [f for f in root if local_name(f) == "file"]
    if not files:
        raise ForeignXliffError(f"{name}: the XLIFF file holds no <file> element")
    for f_index, file in enumerate(files):
        for unit in (u for u in file.iter() if local_name(u) == "unit"):
            uid = unit.get("id") or f"line-{unit.sourceline}"
            translate = unit.get("translate", "yes") != "no"
            notes = [" ".join("".join(n.itertext()).split()) for n in unit.iter() if local_name(n) == "note"]
            for s_index, segment in enumerate(s for s in unit if local_name(s) in ("segment", "ignorable")):
                source = next((c for c in segment if local_name(c) == "source"), None)
                if source is None:
                    continue
                sid = segment.get("id") or str(s_index)
                kind_translate = translate and local_name(segment) == "segment"
                block = _block(source, f"f{f_index}/u{uid}/s{s_index}",
                               {"file": f_index, "unit": uid, "segment": sid, "xliff": "2.0",
                                "notes": notes if s_index == 0 else []}, kind_translate, "2.0")
                target = next((c for c in segment if local_name(c) == "target"), None)
                if target is not None and kind_translate:
                    _target_into(block, target, doc.target_lang, segment.get("state") or "initial", "2.0")
                doc.blocks.append(block)
    return doc


# --- inline content --------------------------------------------------------------------------------

def _native(element) -> dict:
    """The element itself without its text content (for pairs) or whole (standalone)."""
    shell = etree.Element(element.tag, dict(element.attrib), nsmap=element.nsmap)
    return {"xml": etree.tostring(shell, encoding="unicode")}


def _mark_for(element, paired: bool) -> inline.Mark:
    tag = local_name(element)
    ctype = (element.get("ctype") or element.get("type") or "").lower()
    kind = CTYPE.get(ctype) or ("br" if ctype in ("lb", "x-lb") else "x")
    attrs = {"tag": tag}
    for key in ("id", "rid", "ctype", "type", "subType", "equiv-text", "equiv", "disp", "dataRef"):
        if element.get(key) is not None:
            attrs[key] = element.get(key)
    native = _native(element) if paired else {"xml": etree.tostring(_without_tail(element), encoding="unicode")}
    return inline.Mark(kind, attrs, native, paired)


def _without_tail(element):
    clone = copy.deepcopy(element)
    clone.tail = None
    return clone


def _walk(element, builder_parts: list[str], codes: dict, version: str, ids: dict) -> None:
    """Append the element's content (text and inline codes) to builder_parts."""
    paired_tags = PAIRED_12 if version == "1.2" else PAIRED_20
    standalone_tags = STANDALONE_12 if version == "1.2" else STANDALONE_20
    if element.text:
        builder_parts.append(element.text)
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            if child.tail:
                builder_parts.append(child.tail)
            continue
        tag = local_name(child)
        key = (tag, child.get("id"), child.get("rid"))
        if tag in paired_tags and not (tag == "mrk" and child.get("mtype") == "seg"):
            n = len(codes) + 1
            codes[str(n)] = _mark_for(child, True)
            ids[("pair", child.get("id") or f"auto{n}")] = n
            builder_parts.append(inline.open_char(n))
            _walk(child, builder_parts, codes, version, ids)
            builder_parts.append(inline.close_char(n))
        elif tag in standalone_tags:
            n = len(codes) + 1
            codes[str(n)] = _mark_for(child, False)
            ids[key] = n
            builder_parts.append(inline.ph_char(n))
        elif tag == "mrk":  # a segment marker inside: its content
            _walk(child, builder_parts, codes, version, ids)
        else:  # an unknown element (an extension): kept whole as a standalone code
            n = len(codes) + 1
            codes[str(n)] = _mark_for(child, False)
            builder_parts.append(inline.ph_char(n))
        if child.tail:
            builder_parts.append(child.tail)


def _block(source, ref: str, attrs: dict, translate: bool, version: str) -> Block:
    parts: list[str] = []
    codes: dict = {}
    _walk(source, parts, codes, version, {})
    text = "".join(parts)
    if not translate:
        return Block("preformatted", text, attrs={**attrs, "translate": False}, codes=codes, ref=ref)
    return Block("paragraph", text, attrs={**attrs, "whole": True}, codes=codes, ref=ref)


def _target_into(block: Block, target, target_lang: str | None, state: str | None, version: str) -> None:
    """The file's target for the unit, as tagged text with the source's code ids (matched by the
    element's id, then by order), into the block's attrs."""
    parts: list[str] = []
    codes: dict = {}
    _walk(target, parts, codes, version, {})
    text = "".join(parts)
    if not inline.plain(text).strip():
        return
    source_by_key = {}
    for n, mark in block.codes.items():
        source_by_key.setdefault((mark.attrs.get("tag"), mark.attrs.get("id")), []).append(int(n))
    mapping = {}
    for n, mark in codes.items():
        found = source_by_key.get((mark.attrs.get("tag"), mark.attrs.get("id")))
        if found:
            mapping[int(n)] = found.pop(0)
    def renumber(m):
        kind, n = inline.parse(m.group())
        return inline.char(kind, mapping[n]) if n in mapping else ""
    tagged = inline.CODE.sub(renumber, text)
    block.attrs["target"] = {"lang": target_lang, "text": tagged, "state": state,
                             "lost_codes": len(codes) - len(mapping)}


def blocks_whole_text(blocks: list[Block]) -> str:
    return "\n".join(b.text for b in blocks) + "\n"


# --- the way back ----------------------------------------------------------------------------------

STATE_BACK_12 = {"edited": "translated", "approved": "final", "mt_draft": "needs-review-translation",
                 "source_changed": "needs-review-translation", "needs_review": "needs-review-translation"}
STATE_BACK_20 = {"edited": "translated", "approved": "final", "mt_draft": "initial", "source_changed": "initial",
                 "needs_review": "initial"}


def _content_from_tagged(parent, tagged: str, marks: dict) -> None:
    """Fill `parent` (a <target> or <mrk>) with the tagged text, codes back as their elements."""
    for child in list(parent):
        parent.remove(child)
    parent.text = None
    stack = [parent]
    last = None  # the last element appended to the current parent (text goes to its tail)

    def add_text(value: str):
        nonlocal last
        node = stack[-1]
        if last is not None and last.getparent() is node:
            last.tail = (last.tail or "") + value
        else:
            node.text = (node.text or "") + value

    buffer = []
    for ch in tagged:
        info = inline.parse(ch)
        if info is None:
            buffer.append(ch)
            continue
        if buffer:
            add_text("".join(buffer))
            buffer = []
        kind, n = info
        mark = marks.get(str(n))
        if mark is None:
            continue
        native = mark.native if isinstance(mark, inline.Mark) else mark.get("native", {})
        xml = native.get("xml")
        if not xml:
            continue
        if kind == inline.OPEN:
            element = etree.fromstring(xml)
            stack[-1].append(element)
            stack.append(element)
            last = None
        elif kind == inline.CLOSE:
            if len(stack) > 1:
                last = stack.pop()
        else:
            element = etree.fromstring(xml)
            stack[-1].append(element)
            last = element
    if buffer:
        add_text("".join(buffer))
    while len(stack) > 1:  # a pair left open by a translation missing its close: closed here
        last = stack.pop()


def fill(original: bytes, lang: str, units: list[dict]) -> bytes:
    """The original file with each translated unit's target filled in. `units` are
    {"ref", "text" (tagged), "status", "codes"} for the segments that have a translation."""
    root = safe_parse(original, "original", ForeignXliffError)
    version = "2.0" if etree.QName(root).namespace == NS20 else "1.2"
    by_ref = {u["ref"]: u for u in units}
    files = [f for f in root.iter() if local_name(f) == "file"]
    if version == "2.0":
        if not root.get("trgLang"):
            root.set("trgLang", lang)
        for f_index, file in enumerate(files):
            for unit in (u for u in file.iter() if local_name(u) == "unit"):
                uid = unit.get("id")
                for s_index, segment in enumerate(s for s in unit if local_name(s) in ("segment", "ignorable")):
                    work = by_ref.get(f"f{f_index}/u{uid}/s{s_index}")
                    if not work:
                        continue
                    target = next((c for c in segment if local_name(c) == "target"), None)
                    if target is None:
                        target = etree.SubElement(segment, f"{{{NS20}}}target")
                    _content_from_tagged(target, work["text"], work["codes"])
                    if local_name(segment) == "segment":
                        segment.set("state", STATE_BACK_20.get(work["status"], "translated"))
    else:
        for f_index, file in enumerate(files):
            if not file.get("target-language"):
                file.set("target-language", lang)
            ns = etree.QName(file).namespace or NS12
            for unit in (u for u in file.iter() if local_name(u) == "trans-unit"):
                uid = unit.get("id") or f"line-{unit.sourceline}"
                target = next(iter(_children(unit, "target")), None)
                marks = [u for r, u in by_ref.items() if r.startswith(f"f{f_index}/u{uid}/m")]
                whole = by_ref.get(f"f{f_index}/u{uid}")
                if not whole and not marks:
                    continue
                if target is None:
                    target = etree.Element(f"{{{ns}}}target")
                    seg_source = next(iter(_children(unit, "seg-source")), None)
                    source = next(iter(_children(unit, "source")))
                    (seg_source if seg_source is not None else source).addnext(target)
                if whole:
                    _content_from_tagged(target, whole["text"], whole["codes"])
                    target.set("state", STATE_BACK_12.get(whole["status"], "translated"))
                    if whole["status"] == "approved":
                        unit.set("approved", "yes")
                else:
                    _fill_marks(unit, target, f"f{f_index}/u{uid}/m", by_ref, ns)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def _fill_marks(unit, target, prefix: str, by_ref: dict, ns: str) -> None:
    """A segmented unit (<seg-source> with <mrk mtype="seg">): each translated segment into the
    target's <mrk> of the same mid (made from the source's when the target lacks it)."""
    seg_source = next(iter(_children(unit, "seg-source")))
    target_marks = {m.get("mid"): m for m in target.iter() if local_name(m) == "mrk" and m.get("mtype") == "seg"}
    if not target_marks:  # an empty target: the seg-source's shape, its segments emptied
        for child in list(target):
            target.remove(child)
        target.text = seg_source.text
        for child in seg_source:
            target.append(copy.deepcopy(child))
        target_marks = {m.get("mid"): m for m in target.iter() if local_name(m) == "mrk" and m.get("mtype") == "seg"}
    for mid, mark in target_marks.items():
        work = by_ref.get(f"{prefix}{mid}")
        if work:
            _content_from_tagged(mark, work["text"], work["codes"])
