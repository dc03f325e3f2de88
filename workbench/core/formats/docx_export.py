"""Export a translation as a Word file: the original package with its paragraphs' text replaced.

The article's original .docx is the skeleton. Every translated block is found again by its `ref`
(core/formats/docx_text.walk gives the same locators the import gave) and its runs are rebuilt
from the translated text: text between codes gets the paragraph's base run properties plus those
of the codes open around it (each Mark's `native` run properties), a link code becomes the
original w:hyperlink (same r:id, so relationships stay as they were), and each standalone code
puts back the original element it stood for (a break, a tab, a picture, a text box, a note
reference, a field). Bookmarks and comment ranges stay at the paragraph's edges, hidden runs
at its end. Footnotes and endnotes are translated the same way. Every other part of the package
is copied unchanged except styles.xml, whose default language becomes the target language.

An article that did not come from a .docx is written as a new document with python-docx.
"""

from __future__ import annotations

import copy
import io
import zipfile

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import RGBColor
from lxml import etree

from workbench.core.codes import Mark
from workbench.core.codes import parse as parse_code
from workbench.core.formats.docx_text import (DOCUMENT, MC_ALTERNATE, MC_CHOICE, MC_FALLBACK, NOTE_PARTS,
                                              RPR_ORDER, STYLES, W, _GROUP, _boxes, local, read_inline,
                                              safe_parser, walk)

# The language tags Word uses for the workbench's target languages.
WORD_LANG = {"az": "az-Latn-AZ", "tr": "tr-TR", "ru": "ru-RU", "en": "en-US"}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def translated_texts(source: str, paragraphs: list[dict], segments: list[dict],
                     translations: dict[int, dict]) -> dict[int, str]:
    """paragraph idx -> its text in the target language (a segment without a translation keeps its
    source), with the codes around and between segments from the source."""
    by_paragraph: dict[int, list[dict]] = {}
    for segment in segments:
        by_paragraph.setdefault(segment["paragraph_idx"], []).append(segment)
    out = {}
    for paragraph in paragraphs:
        parts, position = [], paragraph["start"]
        for segment in by_paragraph.get(paragraph["idx"], []):
            parts.append(source[position:segment["start"]])
            translation = translations.get(segment["id"])
            if translation and translation["text"].strip() and translation["status"] != "untranslated":
                parts.append(translation["text"])
            else:
                parts.append(segment["text"])
            position = segment["end"]
        parts.append(source[position:paragraph["end"]])
        out[paragraph["idx"]] = "".join(parts)
    return out


def export_docx(original: bytes | None, paragraphs: list[dict], segments: list[dict],
                translations: dict[int, dict], lang: str, source: str) -> bytes:
    """The original package with every block's translation in place and the target language set;
    without an original (`None`: the article came from text, Markdown or HTML) a new document."""
    texts = translated_texts(source, paragraphs, segments, translations)
    if original is None:
        return new_docx(paragraphs, texts, lang)
    wanted = {p["ref"]: (texts[p["idx"]], p.get("codes") or {}) for p in paragraphs if p.get("ref")}
    word_lang = WORD_LANG.get(lang, lang)
    changed: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        names = set(archive.namelist())
        for part, found in _parts(archive, names):
            root, located = found
            for ref, paragraph, _ in located:
                if ref in wanted:
                    _rebuild(paragraph, *wanted[ref], word_lang)
            _copy_boxes_to_fallbacks(root)
            changed[part] = _serialize(root)
        if STYLES in names:
            styles = etree.fromstring(archive.read(STYLES), safe_parser())
            _set_default_lang(styles, word_lang)
            changed[STYLES] = _serialize(styles)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for info in archive.infolist():
                package.writestr(info, changed.get(info.filename) or archive.read(info))
    return out.getvalue()


def _parts(archive, names):
    """(part, (root, [(ref, paragraph, cell)])) for the document and its notes, refs as the import made them."""
    if DOCUMENT in names:
        root = etree.fromstring(archive.read(DOCUMENT), safe_parser())
        body = root.find(f"{W}body")
        yield DOCUMENT, (root, list(walk(body, "body")) if body is not None else [])
    for kind, part in NOTE_PARTS:
        if part in names:
            root = etree.fromstring(archive.read(part), safe_parser())
            located = []
            for note in root.iterchildren(f"{W}{kind}"):
                located += list(walk(note, f"{kind}s/{note.get(f'{W}id') or ''}"))
            yield part, (root, located)


def _copy_boxes_to_fallbacks(root) -> None:
    """A text box is written twice, as a drawing (mc:Choice, what Word and LibreOffice show) and as
    VML (mc:Fallback, for older readers); the translated drawing's paragraphs are copied into the
    fallback so both say the same."""
    for alternate in root.iter(MC_ALTERNATE):
        choice = alternate.find(MC_CHOICE)
        fallback = alternate.find(MC_FALLBACK)
        if choice is None or fallback is None:
            continue
        shown, old = list(_boxes(choice)), list(fallback.iter(f"{W}txbxContent"))
        if len(shown) != len(old):
            continue
        for box, copy_into in zip(shown, old):
            for child in list(copy_into):
                copy_into.remove(child)
            for child in box:
                copy_into.append(copy.deepcopy(child))


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fragment(value: str) -> list:
    """Elements of a run-properties fragment ("<w:b/><w:bCs/>")."""
    if not value:
        return []
    return list(etree.fromstring(f'<w:rPr xmlns:w="{W[1:-1]}">{value}</w:rPr>', safe_parser()))


def _groups(value: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for element in _fragment(value):
        out.setdefault(_GROUP.get(local(element), local(element)), []).append(element)
    return out


def _order(element) -> int:
    name = local(element)
    return RPR_ORDER.index(name) if name in RPR_ORDER else len(RPR_ORDER)


def _run_properties(base: dict[str, str], marks: list[Mark], word_lang: str):
    groups = {group: _fragment(value) for group, value in base.items()}
    for mark in marks:
        if mark.type == "a":
            groups.update(_groups(mark.native.get("rPr", "")))
            for group in mark.native.get("off", []):
                groups.pop(group, None)
        elif "group" in mark.native:
            if mark.native.get("rPr"):
                groups[mark.native["group"]] = _fragment(mark.native["rPr"])
            else:
                groups.pop(mark.native["group"], None)
    props = etree.Element(f"{W}rPr")
    elements = [e for found in groups.values() for e in found]
    lang = etree.Element(f"{W}lang")
    lang.set(f"{W}val", word_lang)
    elements.append(lang)
    for element in sorted(elements, key=_order):
        props.append(element)
    return props


def _rebuild(paragraph, text: str, stored: dict, word_lang: str) -> None:
    """Replace a paragraph's runs by runs built from `text` (with codes)."""
    found = read_inline(paragraph, {}, {})
    marks = {n: Mark.from_json(m) if isinstance(m, dict) else m for n, m in stored.items()}
    for child in list(paragraph):
        if child.tag != f"{W}pPr":
            paragraph.remove(child)
    for element in found.starts:
        paragraph.append(element)
    container, stack, buffer, used = paragraph, [], [], set()

    def flush():
        if not buffer:
            return
        run = etree.SubElement(container, f"{W}r")
        run.append(_run_properties(found.base, [m for _, m in stack], word_lang))
        _add_text(run, "".join(buffer))
        buffer.clear()

    for char in text:
        code = parse_code(char)
        if code is None:
            buffer.append(char)
            continue
        flush()
        kind, n = code
        mark = marks.get(str(n))
        if kind == "open" and mark is not None and n not in {m for m, _ in stack}:
            if mark.type == "a":
                if any(m.type == "a" for _, m in stack):
                    continue  # a link inside a link: Word cannot hold it
                container = etree.SubElement(paragraph, f"{W}hyperlink", mark.native.get("attrs") or {})
            stack.append((n, mark))
        elif kind == "close" and n in {m for m, _ in stack}:
            while stack:
                m, closed = stack.pop()
                if closed.type == "a":
                    container = paragraph
                if m == n:
                    break
        elif kind == "ph" and n not in used:
            used.add(n)
            for node in _standalone(found, n, mark):
                container.append(node)
    flush()
    for n in sorted(set(found.standalone) - used):  # a code the translation lost: kept, at the end
        for node in _standalone(found, n, marks.get(str(n))):
            paragraph.append(node)
    for element in found.kept:
        paragraph.append(element)


def _standalone(found, n: int, mark: Mark | None) -> list:
    """The original elements behind standalone code n (moved, so text boxes inside keep their
    translated paragraphs), or rebuilt from the Mark's native XML."""
    piece = found.standalone.get(n)
    if piece is not None:
        if piece.whole:
            return list(piece.whole)
        run = etree.Element(f"{W}r")
        if piece.rpr is not None:
            run.append(copy.deepcopy(piece.rpr))
        run.append(piece.child)
        return [run]
    if mark is not None and mark.native.get("xml"):
        return list(etree.fromstring(f'<w:r xmlns:w="{W[1:-1]}">{mark.native["xml"]}</w:r>', safe_parser()))
    return []


def _add_text(run, text: str) -> None:
    """Text into a run: tabs and line breaks as Word's own elements."""
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(run, f"{W}br")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                etree.SubElement(run, f"{W}tab")
            if chunk:
                element = etree.SubElement(run, f"{W}t")
                element.text = chunk
                if chunk != chunk.strip():
                    element.set(XML_SPACE, "preserve")


def _set_default_lang(styles, word_lang: str) -> None:
    """The document's language: w:lang of the run defaults in styles.xml."""
    defaults = styles.find(f"{W}docDefaults")
    if defaults is None:
        defaults = etree.Element(f"{W}docDefaults")
        styles.insert(0, defaults)
    run_default = defaults.find(f"{W}rPrDefault")
    if run_default is None:
        run_default = etree.Element(f"{W}rPrDefault")
        defaults.insert(0, run_default)
    props = run_default.find(f"{W}rPr")
    if props is None:
        props = etree.SubElement(run_default, f"{W}rPr")
    lang = props.find(f"{W}lang")
    if lang is None:
        lang = etree.Element(f"{W}lang")
        later = [c for c in props if _order(c) > _order(lang)]
        if later:
            later[0].addprevious(lang)
        else:
            props.append(lang)
    lang.set(f"{W}val", word_lang)


# --- A new document from the blocks (an article imported from txt, md or html) ---------------

_STYLE = {"title": "Title", "quote": "Quote", "caption": "Caption"}


def new_docx(paragraphs: list[dict], texts: dict[int, str], lang: str) -> bytes:
    """A plain Word document from the blocks: headings, lists, quotes, tables, bold, italic,
    underline, links and line breaks."""
    document = docx.Document()
    _set_default_lang(document.styles.element, WORD_LANG.get(lang, lang))
    cells: list[dict] = []
    for paragraph in paragraphs:
        if paragraph["kind"] == "table_cell":
            cells.append(paragraph)
            continue
        _add_table(document, cells, texts)
        cells = []
        kind, level = paragraph["kind"], paragraph.get("level") or 0
        if kind == "separator":
            document.add_paragraph()
            continue
        if kind == "heading":
            style = f"Heading {min(max(level, 1), 9)}"
        elif kind == "list_item":
            style = ("List Number" if (paragraph.get("attrs") or {}).get("ordered") else "List Bullet") \
                + (f" {level}" if 2 <= level <= 3 else "")
        else:
            style = _STYLE.get(kind)
        _fill(document.add_paragraph(style=style), texts[paragraph["idx"]], paragraph.get("codes") or {})
    _add_table(document, cells, texts)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_table(document, cells: list[dict], texts: dict[int, str]) -> None:
    """Table cells (attrs row, col) as Word tables: a cell's paragraphs stay in one cell, a table
    starts again where a cell's place comes back to an earlier one; cells without places are one
    a row."""
    tables: list[list[tuple[tuple[int, int], dict]]] = []
    for i, cell in enumerate(cells):
        attrs = cell.get("attrs") or {}
        place = (int(attrs.get("row", i)), int(attrs.get("col", 0)))
        current = tables[-1] if tables else None
        if current is None or (place != current[-1][0] and place <= current[-1][0]):
            tables.append([])
        tables[-1].append((place, cell))
    for found in tables:
        table = document.add_table(rows=max(r for (r, _), _ in found) + 1, cols=max(c for (_, c), _ in found) + 1)
        table.style = "Table Grid"
        filled: set[tuple[int, int]] = set()
        for (row, col), cell in found:
            target = table.cell(row, col)
            paragraph = target.add_paragraph() if (row, col) in filled else target.paragraphs[0]
            filled.add((row, col))
            _fill(paragraph, texts[cell["idx"]], cell.get("codes") or {})


def _fill(paragraph, text: str, stored: dict) -> None:
    """Runs for a text with codes: formatting from the open codes' types, links as w:hyperlink."""
    marks = {n: Mark.from_json(m) if isinstance(m, dict) else m for n, m in stored.items()}
    stack: list[tuple[int, Mark]] = []
    buffer: list[str] = []
    link = None

    def flush():
        nonlocal link
        if not buffer:
            return
        run = paragraph.add_run("".join(buffer))
        buffer.clear()
        types = {m.type for _, m in stack}
        run.bold = True if "b" in types else None
        run.italic = True if "i" in types else None
        run.underline = True if "u" in types else None
        if "s" in types:
            run.font.strike = True
        if "sup" in types:
            run.font.superscript = True
        if "sub" in types:
            run.font.subscript = True
        if "code" in types:
            run.font.name = "Courier New"
        href = next((m.attrs.get("href") for _, m in stack if m.type == "a" and m.attrs.get("href")), None)
        if href:
            if link is None:
                element = paragraph._p.makeelement(qn("w:hyperlink"), {})
                element.set(qn("r:id"), paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
                paragraph._p.append(element)
                link = element
            run.underline, run.font.color.rgb = True, RGBColor(0x05, 0x63, 0xC1)
            link.append(run._r)
        else:
            link = None

    for char in text:
        code = parse_code(char)
        if code is None:
            buffer.append(char)
            continue
        flush()
        kind, n = code
        mark = marks.get(str(n))
        if kind == "open" and mark is not None:
            stack.append((n, mark))
            link = None
        elif kind == "close" and n in {m for m, _ in stack}:
            while stack and stack.pop()[0] != n:
                pass
            link = None
        elif kind == "ph" and mark is not None and mark.type == "br":
            paragraph.add_run().add_break()
    flush()
