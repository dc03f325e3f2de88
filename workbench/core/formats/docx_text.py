"""The paragraphs of a .docx, read defensively: a .docx is a zip of XML written by anyone.

Only two parts are ever decompressed: word/document.xml (the text) and word/styles.xml (to tell
a title from body text). Media and every other part are never read, so a zip bomb hidden in
word/media costs nothing. Before reading a part, its declared uncompressed size and compression
ratio are checked against the limits (instance settings, [import] in workbench.toml), and the
bytes actually inflated are counted too, since a zip header can lie.

document.xml is read with lxml's iterparse, element by element, clearing what was read: about
20x faster than python-docx on many short paragraphs (bench/docx_import.py) and flat in memory.
Every paragraph is read, including those in tables and text boxes (python-docx's
`Document.paragraphs` skips both). A document type declaration is refused outright, so no entity
can expand. Any failure is a DocxError naming the file and the fix.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from workbench.core import hygiene

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


def _style_names(archive, name: str, limits: DocxLimits) -> dict[str, str]:
    """styleId -> the style's name ("Heading1" -> "heading 1"), so localized Word files work too."""
    stream = _open_part(archive, STYLES, name, limits)
    if stream is None:
        return {}
    names, current = {}, None
    stream = _refuse_doctype(stream, name, STYLES)
    for event, element in _iterparse(stream, (f"{W}style", f"{W}name")):
        if element.tag == f"{W}style" and event == "start":
            current = element.get(f"{W}styleId")
        elif element.tag == f"{W}name" and event == "end" and current is not None:
            names[current] = (element.get(f"{W}val") or "").lower()
        elif element.tag == f"{W}style" and event == "end":
            element.clear()
    return names


def docx_paragraphs(data: bytes, name: str, limits: DocxLimits = DocxLimits()) -> list[tuple[str, str]]:
    """(kind, text) per paragraph: kind "title" for Title / Heading 1 styles, else "body"."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if len(archive.infolist()) > limits.max_entries:
            raise DocxError(f"{name}: the zip holds {len(archive.infolist()):,} files, more than "
                            f"{limits.max_entries:,}; not a document")
        styles = _style_names(archive, name, limits)
        stream = _open_part(archive, DOCUMENT, name, limits)
        if stream is None:
            raise DocxError(f"{name}: no {DOCUMENT} inside; not a Word document")
        return _paragraphs(stream, styles, name, limits)
    except DocxError:
        raise
    except etree.XMLSyntaxError as err:
        raise DocxError(f"{name}: line {err.lineno}: the document's XML is broken ({err.msg})") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError,
            RuntimeError, ValueError, OSError) as err:
        raise DocxError(f"{name}: not a readable .docx file (a damaged or unsupported zip: {err})") from None


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """A run's text as Word meant it: OOXML writes a character XML cannot hold as "_xHHHH_" (a
    vertical tab, Word's manual line break, as "_x000B_"; "_x005F_" is the underscore itself). The
    line-break characters become line breaks; any other refused one is left for the import's check."""
    return hygiene.import_text(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))


def _paragraphs(stream, styles: dict[str, str], name: str, limits: DocxLimits) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    stack: list[list[str]] = []  # text of each open paragraph (text boxes nest paragraphs)
    style_of: list[str] = []
    fallback = 0  # inside mc:Fallback: a second copy of what mc:Choice holds
    tags = (f"{W}p", f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}pStyle", MC_FALLBACK)
    stream = _refuse_doctype(stream, name, DOCUMENT)
    for event, element in _iterparse(stream, tags):
        tag = element.tag
        if event == "start":
            if tag == MC_FALLBACK:
                fallback += 1
            elif tag == f"{W}p" and not fallback:
                stack.append([])
                style_of.append("")
            continue
        if tag == MC_FALLBACK:
            fallback -= 1
            element.clear()
        elif fallback or not stack:
            continue
        elif tag == f"{W}t":
            stack[-1].append(_unescape(element.text or ""))
        elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            stack[-1].append(" ")
        elif tag == f"{W}pStyle":
            style_of[-1] = styles.get(element.get(f"{W}val") or "", (element.get(f"{W}val") or "").lower())
        elif tag == f"{W}p":
            text, style = "".join(stack.pop()), style_of.pop()
            blocks.append(("title" if style in TITLE_STYLES else "body", text))
            if len(blocks) > limits.max_paragraphs:
                raise DocxError(f"{name}: more than {limits.max_paragraphs:,} paragraphs; "
                                "split the document (settings: [import] max_paragraphs)")
            if not stack:  # a top-level paragraph: free it and what came before it
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    return blocks
