"""The paragraphs of a .docx as document-model blocks, read defensively: a .docx is a zip of XML
written by anyone.

Only XML parts are ever decompressed: word/document.xml (the text), word/styles.xml and
word/numbering.xml (to tell a title, a heading, a list from body text), the document's
relationships (link targets), footnotes, endnotes and comments. Media and every other part are
never read, so a zip bomb hidden in word/media costs nothing. Before reading a part, its declared
uncompressed size and compression ratio are checked against the limits (instance settings,
[import] in workbench.toml), and the bytes actually inflated are counted too, since a zip header
can lie.

document.xml is read with lxml's iterparse, one top-level paragraph or table at a time, clearing
what was read: flat in memory. Reading runs, formatting and links costs 25-50 µs a paragraph
(bench/docx_import.py: 20,000 short paragraphs in 0.5-1 s, an article of 300 in 15 ms; the
plain-text reader this replaced was about 5 times faster, python-docx's plain text is slower). Every
paragraph is read, including those in tables and text boxes (python-docx's
`Document.paragraphs` skips both). A document type declaration is refused outright, so no entity
can expand. Any failure is a DocxError naming the file and the fix.

The blocks (docx_blocks): kinds from the paragraph styles (Title, Heading N, List…/numbering,
Quote, Caption), table cells, footnotes and endnotes as note blocks; inline formatting that
differs from the paragraph's base run properties, links, breaks, tabs, pictures and note
references as codes (core/codes.py) whose Mark.native keeps Word's own XML; each block's `ref`
locates its paragraph again for the export (core/formats/docx_export.py). Tracked changes are
read as accepted, hidden text is left out of the text, a comment goes with the block of its
paragraph (attrs notes; creating the article makes it a segment comment for each target language,
services/articles.py), one it cannot place is an import warning.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from workbench.core import hygiene
from workbench.core.codes import Mark
from workbench.core.codes import CODE, plain
from workbench.core.codes import parse as parse_code
from workbench.core.document import Block, CodeBuilder

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
DOCUMENT, STYLES = "word/document.xml", "word/styles.xml"
TITLE_STYLES = {"title", "heading 1"}
_PROLOG_BYTES = 64 * 1024


class DocxError(ValueError):
    """A .docx that cannot be read safely; the message says why and what to do."""


@dataclass(frozen=True)
class DocxLimits:
    """How much a .docx may inflate to; instance settings [import] override the defaults."""

    max_part_bytes: int = 64 * 1024 * 1024  # uncompressed document.xml (a 300-page report is ~5 MB)
    max_ratio: int = 200  # uncompressed / compressed, for parts above 1 MB (real XML: 5-30)
    max_entries: int = 10_000  # files in the zip
    max_paragraphs: int = 200_000


class _Counted(io.RawIOBase):
    """A zip member stream that refuses to inflate past `limit` bytes, whatever its header says."""

    def __init__(self, stream, limit: int, name: str):
        self.stream, self.limit, self.read_so_far, self.name = stream, limit, 0, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.stream.read(len(buffer))
        self.read_so_far += len(chunk)
        if self.read_so_far > self.limit:
            raise DocxError(f"{self.name} inflates past {self.limit:,} bytes")
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _open_part(archive: zipfile.ZipFile, part: str, name: str, limits: DocxLimits):
    try:
        info = archive.getinfo(part)
    except KeyError:
        return None
    if info.file_size > limits.max_part_bytes:
        raise DocxError(f"{name}: {part} would inflate to {info.file_size:,} bytes, more than the "
                        f"limit of {limits.max_part_bytes:,} (settings: [import] max_part_bytes)")
    if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise DocxError(f"{name}: {part} is compressed {info.file_size // max(info.compress_size, 1):,} "
                        f"to 1, more than a document's text can be (limit {limits.max_ratio}); "
                        "it looks like a zip bomb")
    return io.BufferedReader(_Counted(archive.open(info), limits.max_part_bytes, f"{name}: {part}"),
                             buffer_size=256 * 1024)


def _iterparse(stream, tags):
    return etree.iterparse(stream, events=("start", "end"), tag=tags, resolve_entities=False,
                           no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)


_ROOT_START = re.compile(r"<[A-Za-z_]")


class _Prefixed(io.RawIOBase):
    """The bytes already read from a stream, then the rest of it."""

    def __init__(self, prefix: bytes, rest):
        self.prefix, self.rest = prefix, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            chunk, self.prefix = self.prefix[:len(buffer)], self.prefix[len(buffer):]
        else:
            chunk = self.rest.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _refuse_doctype(stream, name: str, part: str):
    """Refuse a part whose prolog declares a document type (where entities are declared).

    Word never writes one. The check reads the prolog before parsing, so not even a small
    entity is expanded; a prolog too long to hold in view is refused as well. Returns the stream
    to parse, from its first byte.
    """
    head = stream.read(_PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("latin-1")
    root = _ROOT_START.search(text.replace("<?", "  ").replace("<!", "  "))
    if "<!DOCTYPE" in (text[:root.start()] if root else text):
        raise DocxError(f"{name}: {part} declares a document type (and so possibly XML entities), "
                        "which Word never writes; it is refused for safety")
    if root is None and len(head) >= _PROLOG_BYTES:
        raise DocxError(f"{name}: {part} has no element in its first {_PROLOG_BYTES:,} bytes; "
                        "not a Word document")
    return io.BufferedReader(_Prefixed(head, stream), buffer_size=256 * 1024)


def _style_names(archive, name: str, limits: DocxLimits, numbered: dict | None = None) -> dict[str, str]:
    """styleId -> the style's name ("Heading1" -> "heading 1"), so localized Word files work too;
    `numbered` gets styleId -> (numId, ilvl) of the styles that number their paragraphs (List
    Bullet, List Number)."""
    stream = _open_part(archive, STYLES, name, limits)
    if stream is None:
        return {}
    names, current = {}, None
    stream = _refuse_doctype(stream, name, STYLES)
    for event, element in _iterparse(stream, (f"{W}style", f"{W}name", f"{W}numId", f"{W}ilvl")):
        if element.tag == f"{W}style" and event == "start":
            current = element.get(f"{W}styleId")
        elif element.tag == f"{W}name" and event == "end" and current is not None:
            names[current] = (element.get(f"{W}val") or "").lower()
        elif element.tag in (f"{W}numId", f"{W}ilvl") and event == "end" and current is not None \
                and numbered is not None:
            num, level = numbered.get(current, ("", "0"))
            value = element.get(f"{W}val") or ""
            numbered[current] = (value, level) if element.tag == f"{W}numId" else (num, value)
        elif element.tag == f"{W}style" and event == "end":
            element.clear()
            current = None
    return names


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """A run's text as Word meant it: OOXML writes a character XML cannot hold as "_xHHHH_" (a
    vertical tab, Word's manual line break, as "_x000B_"; "_x005F_" is the underscore itself). The
    line-break characters become line breaks; any other refused one is left for the import's check."""
    return hygiene.import_text(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))




# --- The document model of a .docx: blocks with kinds, levels and inline codes -----------------

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"
MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
NUMBERING, FOOTNOTES, ENDNOTES, COMMENTS = ("word/numbering.xml", "word/footnotes.xml",
                                            "word/endnotes.xml", "word/comments.xml")
NOTE_PARTS = (("footnote", FOOTNOTES), ("endnote", ENDNOTES))
CONTAINERS = ("p", "tbl", "sdt", "customXml")  # what a body or a cell holds that holds paragraphs


def rels_part(part: str) -> str:
    """word/document.xml -> word/_rels/document.xml.rels"""
    folder, _, leaf = part.rpartition("/")
    return f"{folder}/_rels/{leaf}.rels"


def local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _off(element) -> bool:
    """A toggle property switched off (<w:b w:val="0"/>)."""
    return (element.get(f"{W}val") or "").lower() in ("0", "false", "off")


# Walking a part: every paragraph with its locator (`ref`), the same walk for import and export.

def walk(container, prefix: str, cell: tuple | None = None):
    """(ref, paragraph, (row, col) of its table cell or None) for each paragraph in a container
    (the body, a cell, a note, a text box), in reading order: a text box's paragraphs come before
    the paragraph anchoring it. A paragraph's ref counts its kind among its siblings:
    "body/p/17", "body/tbl/2/r/1/c/0/p/0", "body/p/3/txbx/0/p/0", "footnotes/2/p/0"."""
    counts: dict[str, int] = {}
    for child in container:
        name = local(child)
        if name not in CONTAINERS:
            continue
        index = counts.get(name, 0)
        counts[name] = index + 1
        yield from walk_element(child, f"{prefix}/{name}/{index}", cell)


def walk_element(element, ref: str, cell: tuple | None = None):
    name = local(element)
    if name == "p":
        if next(element.iter(f"{W}txbxContent"), None) is not None:  # most paragraphs hold no text box
            for k, box in enumerate(_boxes(element)):
                yield from walk(box, f"{ref}/txbx/{k}")
        yield ref, element, cell
    elif name == "tbl":
        for r, row in enumerate(element.iterchildren(f"{W}tr")):
            for c, column in enumerate(row.iterchildren(f"{W}tc")):
                yield from walk(column, f"{ref}/r/{r}/c/{c}", (r, c))
    elif name == "sdt":
        for content in element.iterchildren(f"{W}sdtContent"):
            yield from walk(content, ref, cell)
    elif name == "customXml":
        yield from walk(element, ref, cell)


def _boxes(element):
    """The text boxes inside a paragraph (not their mc:Fallback copies, not boxes in boxes)."""
    for child in element:
        if child.tag == MC_FALLBACK:
            continue
        if child.tag == f"{W}txbxContent":
            yield child
            continue
        yield from _boxes(child)


# Run properties as features: what differs from the paragraph's base becomes an inline code.

# Properties that are one feature together (bold for Latin and for complex scripts...).
_GROUP = {"bCs": "b", "iCs": "i", "szCs": "sz", "cs": "rtl"}
# Not formatting a reader sees (proofing language, spelling marks, revision marks).
_IGNORED = {"lang", "noProof", "rPrChange", "webHidden", "specVanish", "vanish", "snapToGrid"}
# Word's order of run properties (CT_RPr): Word refuses a file whose properties are out of order.
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
             "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
             "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
             "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
             "oMath"]
_MONOSPACE = ("courier", "consolas", "mono", "menlo", "lucida console", "monaco", "inconsolata")


_W_DECLARATION = f' xmlns:w="{W[1:-1]}"'


def xml(element) -> str:
    """An element's XML without the namespace declarations it does not use, and without the
    WordprocessingML one (whoever reads it back declares w:): "<w:b/>"."""
    copy = etree.fromstring(etree.tostring(element, with_tail=False))
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, encoding="unicode").replace(_W_DECLARATION, "", 1)


def features(rpr) -> dict[str, str]:
    """group -> the XML of its properties, for a run's w:rPr (None: no properties)."""
    out: dict[str, str] = {}
    if rpr is None:
        return out
    for child in rpr:
        name = local(child)
        if not name or name in _IGNORED:
            continue
        if name == "rFonts":
            child = _without_hint(child)
            if child is None:
                continue
        group = _GROUP.get(name, name)
        out[group] = out.get(group, "") + xml(child)
    return out


def _without_hint(fonts):
    """w:rFonts without w:hint (which script's font to prefer: no formatting); None if nothing is left."""
    if fonts.get(f"{W}hint") is None:
        return fonts
    copy = etree.Element(fonts.tag, {k: v for k, v in fonts.attrib.items() if k != f"{W}hint"})
    return copy if len(copy.attrib) else None


def _mark_type(group: str, value: str, styles: dict[str, str]) -> tuple[str, dict]:
    """The portable type of a run property: b, i, u, s, sup, sub, code, or x."""
    if not value:
        return "x", {"off": group}
    element = etree.fromstring(f'<w:root xmlns:w="{W[1:-1]}">{value}</w:root>')[0]
    if group in ("b", "i") and not _off(element):
        return group, {}
    if group == "u" and (element.get(f"{W}val") or "single") != "none":
        return "u", {}
    if group in ("strike", "dstrike") and not _off(element):
        return "s", {}
    if group == "vertAlign":
        return {"superscript": "sup", "subscript": "sub"}.get(element.get(f"{W}val"), "x"), {}
    if group == "rStyle":
        style = styles.get(element.get(f"{W}val") or "", (element.get(f"{W}val") or "").lower())
        kind = {"strong": "b", "emphasis": "i", "intense emphasis": "i"}.get(style)
        if kind is None and ("code" in style or "source" in style or "verbatim" in style):
            kind = "code"
        return kind or "x", {"style": style}
    if group == "rFonts" and any(m in value.lower() for m in _MONOSPACE):
        return "code", {}
    return "x", {}


class Piece:
    """One thing a paragraph shows, in order: text, or a standalone code (a break, a tab, a
    picture, a note reference, a field)."""

    def __init__(self, kind, link, rpr, text="", mark=None, child=None, whole=None):
        self.kind, self.link, self.rpr, self.text = kind, link, rpr, text
        self.mark, self.child, self.whole = mark, child, whole


class Inline:
    """A paragraph's inline content read: its text with codes and what an export needs to put the
    paragraph back together (the original elements behind each standalone code, what stays)."""

    def __init__(self):
        self.pieces: list[Piece] = []
        self.starts: list = []  # bookmark and comment range starts: kept at the paragraph's start
        self.kept: list = []  # ends, hidden runs, comment references: kept at its end
        self.inserted = self.deleted = self.hidden = 0
        self.notes: list[tuple[str, str]] = []  # (footnote/endnote, id) referenced
        self.comments: list[str] = []  # comment ids anchored here
        self.text = ""
        self.codes: dict = {}
        self.base: dict[str, str] = {}
        self.standalone: dict[int, Piece] = {}
        self._field: list | None = None
        self._field_depth = 0


_KEEP_AT_START = {"bookmarkStart", "commentRangeStart", "permStart", "moveFromRangeStart", "moveToRangeStart"}
_KEEP_AT_END = {"bookmarkEnd", "commentRangeEnd", "permEnd", "moveFromRangeEnd", "moveToRangeEnd"}
_DROPPED = {"pPr", "proofErr"}


def read_inline(paragraph, styles: dict[str, str], links: dict[str, str]) -> Inline:
    """Read a paragraph's runs: text with paired codes for formatting that differs from the
    paragraph's base and for hyperlinks, standalone codes for breaks, tabs, pictures, note
    references and fields. Tracked insertions are read, deletions left out (accepted); hidden
    runs are kept aside, never text."""
    found = Inline()
    _flatten(paragraph, None, found)
    if found._field is not None:  # a field going on into the next paragraph (a table of contents)
        found.pieces.append(Piece("ph", None, None, mark=("x", {"field": True}), whole=found._field))
        found._field = None
    _build(found, styles, links)
    return found


def _flatten(container, link, found: Inline) -> None:
    for child in container:
        name = local(child)
        if found._field is not None:  # inside a complex field: all of it is one standalone code
            found._field.append(child)
            if name == "r":
                for char in child.iterchildren(f"{W}fldChar"):
                    kind = char.get(f"{W}fldCharType")
                    found._field_depth += {"begin": 1, "end": -1}.get(kind, 0)
                if found._field_depth == 0:
                    whole, found._field = found._field, None
                    found.pieces.append(Piece("ph", link, None, mark=("x", {"field": True}), whole=whole))
            continue
        if not name or name in _DROPPED:
            continue
        if name == "r":
            _run(child, link, found)
        elif name == "hyperlink":
            _flatten(child, child, found)
        elif name in ("ins", "moveTo"):
            found.inserted += 1
            _flatten(child, link, found)
        elif name in ("del", "moveFrom"):
            found.deleted += 1
        elif name in ("smartTag", "customXml"):
            _flatten(child, link, found)
        elif name == "sdt":
            for content in child.iterchildren(f"{W}sdtContent"):
                _flatten(content, link, found)
        elif name in _KEEP_AT_START:
            found.starts.append(child)
            if name == "commentRangeStart":
                found.comments.append(child.get(f"{W}id"))
        elif name in _KEEP_AT_END:
            found.kept.append(child)
        else:  # a simple field, a formula, anything else: one standalone code, kept whole
            found.pieces.append(Piece("ph", link, None, mark=("x", {}), whole=[child]))


def _run(run, link, found: Inline) -> None:
    rpr = run.find(f"{W}rPr")
    vanish = rpr.find(f"{W}vanish") if rpr is not None else None
    if vanish is not None and not _off(vanish):
        found.hidden += 1
        found.kept.append(run)
        return
    if run.find(f"{W}commentReference") is not None:
        found.kept.append(run)
        found.comments.append(run.find(f"{W}commentReference").get(f"{W}id"))
        return
    chars = [c.get(f"{W}fldCharType") for c in run.iterchildren(f"{W}fldChar")]
    if "begin" in chars:  # a field (a page number, a date, a cross-reference): kept whole
        depth = chars.count("begin") - chars.count("end")
        if depth > 0:
            found._field, found._field_depth = [run], depth
        else:
            found.pieces.append(Piece("ph", link, None, mark=("x", {"field": True}), whole=[run]))
        return
    for child in run:
        name = local(child)
        if name in ("rPr", "lastRenderedPageBreak", "instrText", "delText", "softHyphen") or not name:
            continue
        if name == "t":
            found.pieces.append(Piece("text", link, rpr, text=_unescape(child.text or "")))
        elif name == "noBreakHyphen":
            found.pieces.append(Piece("text", link, rpr, text="\u2011"))
        elif name in ("br", "cr"):
            page = child.get(f"{W}type") in ("page", "column")
            found.pieces.append(Piece("ph", link, rpr, mark=("x", {"break": child.get(f"{W}type")}) if page
                                      else ("br", {}), child=child))
        elif name == "tab":
            found.pieces.append(Piece("ph", link, rpr, mark=("x", {"tab": True}), child=child))
        elif name in ("footnoteReference", "endnoteReference"):
            note = name[:-len("Reference")]
            found.notes.append((note, child.get(f"{W}id")))
            found.pieces.append(Piece("ph", link, rpr, mark=("x", {"note": note, "id": child.get(f"{W}id")}),
                                      child=child))
        elif name in ("drawing", "pict", "object") or child.tag == MC_ALTERNATE:
            described = next(child.iter(WP_DOCPR), None)
            alt = described.get("descr") or described.get("title") or "" if described is not None else ""
            found.pieces.append(Piece("ph", link, rpr, mark=("img", {"alt": alt} if alt else {}), child=child))
        else:  # a symbol, a page number, a footnote's own number mark
            found.pieces.append(Piece("ph", link, rpr, mark=("x", {}), child=child))


def _base(pieces: list[Piece]) -> dict[str, str]:
    """The paragraph's base formatting: that of most of its characters outside links."""
    weight: dict[str, int] = {}
    by_key: dict[str, dict] = {}
    for piece in pieces:
        if piece.kind == "text" and piece.link is None and piece.text:
            feats = features(piece.rpr)
            key = repr(sorted(feats.items()))
            weight[key] = weight.get(key, 0) + len(piece.text)
            by_key[key] = feats
    if not weight:
        texts = [p for p in pieces if p.kind == "text" and p.text]
        return features(texts[0].rpr) if texts else {}
    return by_key[max(weight, key=weight.get)]


def _diff(feats: dict[str, str], base: dict[str, str]) -> dict[str, str]:
    out = {g: v for g, v in feats.items() if base.get(g) != v}
    out.update({g: "" for g in base if g not in feats})
    return out


def link_href(link, links: dict[str, str]) -> str:
    target = links.get(link.get(f"{R}id") or "", "")
    anchor = link.get(f"{W}anchor")
    return f"{target}#{anchor}" if anchor else target


def _build(found: Inline, styles: dict[str, str], links: dict[str, str]) -> None:
    builder = CodeBuilder()
    base = found.base = _base(found.pieces)
    # Properties every text run of a link shares go with the link's own code (Word's "Hyperlink" style).
    absorbed: dict[int, dict[str, str]] = {}
    for piece in found.pieces:
        if piece.link is not None and piece.kind == "text" and piece.text:
            diff = _diff(features(piece.rpr), base)
            key = id(piece.link)
            absorbed[key] = {g: v for g, v in diff.items() if absorbed.get(key, diff).get(g) == v}
    stack: list[tuple[int, str, str]] = []  # (code id, group, value); a link is group "a"
    current_link = None

    def close_all():
        while stack:
            builder.close(stack.pop()[0])

    for piece in found.pieces:
        if piece.link is not current_link:
            close_all()
            current_link = piece.link
            if current_link is not None:
                attrs = {"href": link_href(current_link, links)}
                if current_link.get(f"{W}tooltip"):
                    attrs["title"] = current_link.get(f"{W}tooltip")
                shared = absorbed.get(id(current_link), {})
                native = {"attrs": dict(current_link.attrib), "rPr": "".join(shared.values()),
                          "off": sorted(g for g, v in shared.items() if not v)}
                stack.append((builder.open(Mark("a", attrs, native)), "a", ""))
        if piece.kind == "ph":
            kind, attrs = piece.mark
            native = {"xml": "".join(xml(e) for e in piece.whole) if piece.whole else
                      (xml(piece.rpr) if piece.rpr is not None else "") + xml(piece.child)}
            n = builder.standalone(Mark(kind, dict(attrs), native))
            found.standalone[n] = piece
            continue
        if not piece.text:
            continue
        inner_base = dict(base)
        if current_link is not None:
            for g, v in absorbed.get(id(current_link), {}).items():
                if v:
                    inner_base[g] = v
                else:
                    inner_base.pop(g, None)
        wanted = _diff(features(piece.rpr), inner_base)
        # close what this run does not have (and what was opened after it), then open what it adds
        keep = 0
        for depth, (_, group, value) in enumerate(stack):
            if group == "a" or (group in wanted and wanted[group] == value):
                keep = depth + 1
            else:
                break
        while len(stack) > keep:
            builder.close(stack.pop()[0])
        opened = {group for _, group, _ in stack}
        for group in sorted(set(wanted) - opened, key=lambda g: RPR_ORDER.index(g) if g in RPR_ORDER else 99):
            kind, attrs = _mark_type(group, wanted[group], styles)
            stack.append((builder.open(Mark(kind, attrs, {"rPr": wanted[group], "group": group})),
                          group, wanted[group]))
        builder.text(piece.text)
    close_all()
    found.text, found.codes = builder.value(), builder.codes


# --- Reading a package into blocks ----------------------------------------------------------

@dataclass
class DocxRead:
    blocks: list[Block]
    warnings: list[str]


def docx_paragraphs(data: bytes, name: str, limits: DocxLimits = DocxLimits()) -> list[tuple[str, str]]:
    """(kind, text) per body paragraph, the plain shape: kind "title" for the Title and Heading 1
    styles, else "body"; breaks and tabs are spaces."""
    out = []
    for block in docx_blocks(data, name, limits).blocks:
        if block.kind == "note":
            continue
        text = CODE.sub(lambda m: _plain_char(m.group(), block.codes), block.text)
        title = block.kind == "title" or (block.kind == "heading" and block.level == 1)
        out.append(("title" if title else "body", text))
    return out


def _plain_char(ch: str, codes: dict) -> str:
    found = parse_code(ch)
    if found is None:
        return ch
    mark = codes.get(str(found[1]))
    if found[0] == "ph" and mark is not None and (mark.type == "br" or "tab" in mark.attrs or "break" in mark.attrs):
        return " "
    return ""


def docx_blocks(data: bytes, name: str, limits: DocxLimits = DocxLimits()) -> DocxRead:
    """The document model of a .docx: every paragraph of the body, its tables and text boxes as a
    block, footnotes and endnotes as note blocks after the paragraph citing them, comments and
    tracked changes said in warnings. Limits as for the plain reader."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if len(archive.infolist()) > limits.max_entries:
            raise DocxError(f"{name}: the zip holds {len(archive.infolist()):,} files, more than "
                            f"{limits.max_entries:,}; not a document")
        numbered: dict[str, tuple[str, str]] = {}
        styles = _style_names(archive, name, limits, numbered)
        reader = _Reader(archive, name, limits, styles, numbered)
        stream = _open_part(archive, DOCUMENT, name, limits)
        if stream is None:
            raise DocxError(f"{name}: no {DOCUMENT} inside; not a Word document")
        return reader.read(stream)
    except DocxError:
        raise
    except etree.XMLSyntaxError as err:
        raise DocxError(f"{name}: line {err.lineno}: the document's XML is broken ({err.msg})") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError,
            RuntimeError, ValueError, OSError) as err:
        raise DocxError(f"{name}: not a readable .docx file (a damaged or unsupported zip: {err})") from None


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True)


def parse_part(archive, part: str, name: str, limits: DocxLimits):
    """The root element of a whole part (numbering, notes, comments, relationships), read within
    the limits; None when the package has no such part."""
    stream = _open_part(archive, part, name, limits)
    if stream is None:
        return None
    return etree.parse(_refuse_doctype(stream, name, part), parser=safe_parser()).getroot()


def relationships(archive, part: str, name: str, limits: DocxLimits) -> dict[str, str]:
    """Relationship id -> target of a part (a hyperlink's URL)."""
    root = parse_part(archive, rels_part(part), name, limits)
    if root is None:
        return {}
    return {rel.get("Id"): rel.get("Target") or "" for rel in root.iter(PKG_REL)}


def _numbering(root) -> dict[str, dict[str, str]]:
    """numId -> {ilvl: numFmt} ("bullet", "decimal", ...)."""
    if root is None:
        return {}
    abstract = {}
    for item in root.iterchildren(f"{W}abstractNum"):
        abstract[item.get(f"{W}abstractNumId")] = {
            lvl.get(f"{W}ilvl"): (lvl.find(f"{W}numFmt").get(f"{W}val") if lvl.find(f"{W}numFmt") is not None
                                  else "decimal")
            for lvl in item.iterchildren(f"{W}lvl")}
    out = {}
    for num in root.iterchildren(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        out[num.get(f"{W}numId")] = dict(abstract.get(ref.get(f"{W}val") if ref is not None else None, {}))
    return out


_HEADING = re.compile(r"heading (\d)")
_SKIPPED_NOTES = {"separator", "continuationSeparator", "continuationNotice"}


class _Reader:
    def __init__(self, archive, name, limits, styles, numbered):
        self.archive, self.name, self.limits = archive, name, limits
        self.styles, self.numbered = styles, numbered
        self.blocks: list[Block] = []
        self.count = self.inserted = self.deleted = self.hidden = 0
        self.anchors: dict[str, Block] = {}  # comment id -> the block it is anchored in
        self.numbering = _numbering(parse_part(archive, NUMBERING, name, limits))
        self.notes: dict[tuple[str, str], list[Block]] = {}
        for kind, part in NOTE_PARTS:
            root = parse_part(archive, part, name, limits)
            if root is None:
                continue
            links = relationships(archive, part, name, limits)
            for note in root.iterchildren(f"{W}{kind}"):
                if note.get(f"{W}type") in _SKIPPED_NOTES:
                    continue
                number = note.get(f"{W}id") or ""
                self.notes[(kind, number)] = [
                    self._block(ref, p, cell, links, (kind, number))[0]
                    for ref, p, cell in walk(note, f"{kind}s/{number}")]
        self.links = relationships(archive, DOCUMENT, name, limits)

    def read(self, stream) -> DocxRead:
        counts: dict[str, int] = {}
        stream = _refuse_doctype(stream, self.name, DOCUMENT)
        for event, element in _iterparse(stream, tuple(f"{W}{n}" for n in CONTAINERS)):
            parent = element.getparent()
            if event != "end" or parent is None or parent.tag != f"{W}body":
                continue
            kind = local(element)
            index = counts.get(kind, 0)
            counts[kind] = index + 1
            for ref, p, cell in walk_element(element, f"body/{kind}/{index}"):
                self._add(ref, p, cell)
            element.clear()  # free what was read
            while element.getprevious() is not None:
                del parent[0]
        for blocks in self.notes.values():  # notes no paragraph cites: at the end
            self.blocks += blocks
        return DocxRead(self.blocks, self._warnings())

    def _add(self, ref, p, cell) -> None:
        block, found = self._block(ref, p, cell, self.links)
        self.blocks.append(block)
        for note in found.notes:
            self.blocks += self.notes.pop(note, [])
        for comment in found.comments:
            self.anchors.setdefault(comment, block)

    def _block(self, ref, p, cell, links, note=None) -> tuple[Block, Inline]:
        self.count += 1
        if self.count > self.limits.max_paragraphs:
            raise DocxError(f"{self.name}: more than {self.limits.max_paragraphs:,} paragraphs; "
                            "split the document (settings: [import] max_paragraphs)")
        found = read_inline(p, self.styles, links)
        for piece in found.pieces:
            code = CODE.search(piece.text)
            if code:
                raise DocxError(f"{self.name}: the paragraph starting “{plain(found.text)[:40]}” holds the "
                                f"private-use character U+{ord(code.group()):04X}; the workbench marks inline "
                                "formatting with these characters, so a file may not hold them. Remove it")
        self.inserted += found.inserted
        self.deleted += found.deleted
        self.hidden += found.hidden
        kind, level, attrs = self._kind(p, cell, note)
        return Block(kind, found.text, level, attrs, dict(found.codes), ref), found

    def _kind(self, p, cell, note) -> tuple[str, int, dict]:
        if note is not None:
            return "note", 0, {"note": note[0], "id": note[1]}
        if cell is not None:
            return "table_cell", 0, {"row": cell[0], "col": cell[1]}
        props = p.find(f"{W}pPr")
        style_id = ""
        num_id = level = None
        if props is not None:
            style = props.find(f"{W}pStyle")
            style_id = style.get(f"{W}val") or "" if style is not None else ""
            numbering = props.find(f"{W}numPr")
            if numbering is not None:
                found_id, found_level = numbering.find(f"{W}numId"), numbering.find(f"{W}ilvl")
                num_id = found_id.get(f"{W}val") if found_id is not None else None
                level = found_level.get(f"{W}val") if found_level is not None else None
        style = self.styles.get(style_id, style_id.lower())
        if style == "title":
            return "title", 0, {}
        heading = _HEADING.fullmatch(style)
        if heading:
            return "heading", int(heading.group(1)), {}
        if style in ("quote", "intense quote"):
            return "quote", 1, {}
        if style == "caption":
            return "caption", 0, {}
        style_num, style_level = self.numbered.get(style_id, (None, None))
        from_style = num_id is None
        num_id = num_id if num_id is not None else style_num
        level = level if level is not None else style_level
        if (num_id and num_id != "0") or style.startswith("list"):
            depth = int(level) + 1 if (level or "").isdigit() else 1
            suffix = re.search(r" (\d)$", style)
            if from_style and suffix and level is None:
                depth = int(suffix.group(1))
            fmt = self.numbering.get(num_id or "", {}).get(level or "0")
            ordered = fmt not in ("bullet", "none") if fmt else "number" in style
            return "list_item", depth, {"ordered": ordered}
        return "paragraph", 0, {}

    def _warnings(self) -> list[str]:
        out = []
        if self.inserted or self.deleted:
            out.append(f"{self.name}: {self.inserted + self.deleted} tracked changes ({self.inserted} "
                       f"insertions, {self.deleted} deletions) were read as accepted: the text to translate "
                       "has the insertions and not the deletions. Accept or reject them in Word and import "
                       "again if that is not what you want.")
        if self.hidden:
            out.append(f"{self.name}: {self.hidden} runs of hidden text (Word's Hidden font effect) are not "
                       "text to translate; the export keeps them as they are, at the end of their paragraph.")
        root = parse_part(self.archive, COMMENTS, self.name, self.limits)
        if root is not None:
            for comment in root.iterchildren(f"{W}comment"):
                body = " ".join(" ".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                                         for p in comment.iter(f"{W}p")).split())
                author = comment.get(f"{W}author") or "someone"
                anchor = self.anchors.get(comment.get(f"{W}id"))
                if anchor is not None and body:  # a comment for the translators of that paragraph
                    anchor.attrs.setdefault("notes", []).append(f"Word comment by {author}: {body}")
                elif body:
                    out.append(f"{self.name}: comment by {author}: {body}")
        return out
