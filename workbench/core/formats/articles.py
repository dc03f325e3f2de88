"""Read an article from .txt, .md, .html or .docx into plain text with its title and byline.

Every format becomes one plain text whose paragraphs are lines (txt keeps its own layout
exactly); segment offsets then index that text. A file that cannot be read raises
ArticleReadError naming the file and the reason, before anything is stored.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core import hygiene, source_language
from workbench.core.errors import UserError
from workbench.core import codes as inline
from workbench.core.document import Block
from workbench.core.segment import BYLINE, Segmentation, segment_blocks, segment_text
from workbench.core.formats import xliff_doc
from workbench.core.formats.docx_text import DocxError, DocxLimits, docx_paragraphs
from workbench.core.formats.html_text import html_blocks

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".docx": "docx", ".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff",
           ".mqxliff": "xliff"}
UPLOAD_TYPES = tuple(FORMATS)
UPLOAD_HINT = ".txt, .md, .html, .docx or XLIFF (.xlf, .xliff, .sdlxliff, .mqxliff)"


class ArticleReadError(UserError):
    """An article file that cannot be imported; the message names the file and the fix."""


@dataclass
class ArticleDoc:
    text: str
    title: str
    byline: str | None
    format: str
    filename: str | None = None
    # Visible text the import left out on purpose (page furniture), said to the person importing.
    warnings: list[str] = field(default_factory=list)
    # The document model (core/document.py): the file's blocks with their kinds and inline codes;
    # None for plain text, which is segmented from `text` as it is (byte-exact).
    blocks: list[Block] | None = None
    # The file as it came, for an export in its own format (html, docx: the skeleton).
    original: bytes | None = None
    # The language the text reads as and the one the file declares (core/source_language.py).
    source_language: source_language.SourceLanguage | None = None
    declared_language: str | None = None  # the file's own tag (<html lang>, w:lang), as written


def segment_doc(doc: ArticleDoc) -> Segmentation:
    """Paragraphs and segments of a parsed document: its blocks as the file gives them, or, for
    plain text, paragraphs and a headline found in the text."""
    return segment_blocks(doc.blocks) if doc.blocks is not None else segment_text(doc.text)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 with or without a BOM; anything else is refused rather than guessed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise ArticleReadError(
            f"{name}: line {line}: not valid UTF-8 (byte 0x{data[err.start]:02x}); "
            "save the file as UTF-8 and import it again") from None


def read_article(path: Path, limits: DocxLimits | None = None, whole_page: bool = False) -> ArticleDoc:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArticleReadError(f"{path}: cannot read the file ({err.strerror})") from None
    return parse_article(data, path.name, limits=limits, whole_page=whole_page)


def parse_article(data: bytes, name: str, fmt: str | None = None,
                  limits: DocxLimits | None = None, whole_page: bool = False) -> ArticleDoc:
    """Parse the bytes of an uploaded or read file; `fmt` overrides the file's extension;
    `limits` bound what a .docx may inflate to (the instance's [import] settings). A whole web page
    (HTML) gives only its story unless `whole_page` (page_story.py)."""
    fmt = fmt or FORMATS.get(Path(name).suffix.lower())
    if fmt is None:
        raise ArticleReadError(
            f"{name}: unknown article format {Path(name).suffix or '(no extension)'!r}; "
            "use .txt, .md, .html, .docx or XLIFF (.xlf, .xliff, .sdlxliff, .mqxliff)")
    if fmt == "docx":
        doc = _from_docx(data, name, limits or DocxLimits())
    elif fmt == "xliff":
        doc = _from_xliff(data, name)
    else:
        # a form feed between pages, a vertical tab, NEL, U+2028/2029: line breaks, as they mean; any
        # other control character is refused here, naming the file's line (Markdown would make a NUL
        # U+FFFD, HTML drop it: the check after reading could not say where it was)
        text = hygiene.clean(hygiene.import_text(decode_text(data, name)), "text", where=name, limit=len(data))
        found = inline.CODE.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            raise ArticleReadError(
                f"{name}: line {line}: private-use character U+{ord(found.group()):04X}; the workbench marks "
                "inline formatting with these characters, so a file may not hold them. Remove it and import again")
        doc = (_from_html(text, name, whole_page) if fmt == "html"
               else {"txt": _from_txt, "md": _from_markdown}[fmt](text, name))
    if not doc.text.strip():
        raise ArticleReadError(f"{name}: the file holds no text to translate")
    if fmt in ("html", "docx", "xliff"):
        doc.original = data
    doc.filename = name
    if fmt == "docx":
        doc.declared_language = _docx_language(data)
    doc.source_language = source_language.identify(doc.text, doc.declared_language)
    if (language_warning := source_language.warning(doc.source_language, name)) is not None:
        doc.warnings.append(language_warning)
    doc.title = _shortened(doc.title, hygiene.LIMITS["title"])
    doc.byline = doc.byline and _shortened(doc.byline, hygiene.LIMITS["byline"])
    return doc


def _shortened(line: str, limit: int) -> str:
    """A title or byline taken from the text, cut at a word within the limit (a title someone
    types is checked, not cut: services/articles.py)."""
    if len(line) <= limit:
        return line
    cut = line[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut) + "…"


MARKDOWN_MAX_NESTING = 20  # markdown-it's own limit
_MARKERS = re.compile(r"^(?:\s*(?:>|[-*+]|\d{1,9}[.)])(?=\s|$))*")  # quote and list markers opening a line


def _first_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()][:3]


def _from_txt(text: str, name: str) -> ArticleDoc:
    lines = _first_lines(text)
    title = lines[0] if lines else name
    byline = next((line for line in lines[1:] if BYLINE.match(line)), None)
    return ArticleDoc(text, title, byline, "txt")


# Kinds the older (kind, text) readers give, as the document model's block kinds.
_KIND = {"body": "paragraph", "title": "title", "heading": "heading", "byline": "byline",
         "separator": "separator"}


def _blocks_to_doc(blocks: list, fmt: str, name: str) -> ArticleDoc:
    """A document from its blocks (Block, or (kind, text) from a reader without inline markup):
    whitespace runs made single spaces, empty blocks dropped, the title the file's title."""
    found: list[Block] = []
    for block in blocks:
        if not isinstance(block, Block):
            kind, text = block
            block = Block(_KIND.get(kind, kind), text)
        block.text = re.sub(r"[ \t\r\n]+", " ", block.text).strip()
        if inline.plain(block.text).strip() or block.kind == "separator":
            found.append(block)
    plain = [(b.kind, b.plain) for b in found]
    title = next((t for k, t in plain if k == "title"), next((t for k, t in plain if k != "separator"), name))
    byline = next((t for k, t in plain if k == "byline"), None)
    if byline is None:
        byline = next((t for _, t in plain[:3] if BYLINE.match(t)), None)
    return ArticleDoc("\n".join(b.text for b in found) + "\n", title, byline, fmt, blocks=found)


MARKDOWN_CONTENT = ("inline", "fence", "code_block", "html_block")
# markdown-it-py (pure Python) spends 10-30 µs on each link or emphasis mark it must try to pair,
# against well under 1 µs a character of prose: 400 KB of "[" took 4 s, 400 KB of news copy with a
# link per paragraph 0.2 s. An article has hundreds of such marks; past this many the file is
# refused before parsing (bench/markdown_import.py measures both sides).
MARKDOWN_MAX_MARKS = 20_000
_MARKS = re.compile(r"[\[\]*_]")


def _refuse_costly_markup(text: str, name: str) -> None:
    """Refuse a file with more link/emphasis marks than any article has, naming where it passed."""
    if text.count("[") + text.count("]") + text.count("*") + text.count("_") <= MARKDOWN_MAX_MARKS:
        return
    for count, mark in enumerate(_MARKS.finditer(text), 1):
        if count > MARKDOWN_MAX_MARKS:
            line = text.count("\n", 0, mark.start()) + 1
            raise ArticleReadError(
                f"{name}: line {line}: more than {MARKDOWN_MAX_MARKS:,} Markdown link and emphasis marks "
                "([ ] * _), far more than an article holds; reading them would hold the server for seconds. "
                "Import it as plain text (.txt) instead, or remove the stray marks.")


def _from_markdown(text: str, name: str) -> ArticleDoc:
    """Headings, paragraphs and list items as blocks. Raw HTML blocks are read as HTML; code
    blocks are left out and named in a warning; nesting beyond markdown-it's limit is refused
    (the parser skips the text inside, which would be lost without a word)."""
    from markdown_it import MarkdownIt

    _refuse_costly_markup(text, name)
    tokens = MarkdownIt("commonmark").parse(text)
    _refuse_skipped_nesting(tokens, text.splitlines(), name)
    blocks, warnings, pending_kind = [], [], "body"
    for token in tokens:
        if token.type == "heading_open":
            pending_kind = "title" if token.tag == "h1" and not any(k == "title" for k, _ in blocks) else "heading"
        elif token.type == "inline":
            blocks.append((pending_kind, _plain_inline(token)))
            pending_kind = "body"
        elif token.type == "html_block":
            found, dropped = html_blocks(token.content, name)
            blocks += [("body" if kind == "title" else kind, part) for kind, part in found]
            warnings += dropped
        elif token.type in ("fence", "code_block") and token.content.strip():
            code = " ".join(token.content.split())
            warnings.append(f"{name}: line {token.map[0] + 1}: a code block was left out "
                            f"(code is not translated): {code[:60]!r}{'…' if len(code) > 60 else ''}")
        elif token.type == "hr":
            blocks.append(("separator", "--"))
    doc = _blocks_to_doc(blocks, "md", name)
    doc.warnings = warnings
    return doc


def _refuse_skipped_nesting(tokens, lines: list[str], name: str) -> None:
    """markdown-it stops reading a container nested deeper than its limit (20) and skips its
    lines: a quote or list with text on its lines and no content token inside lost that text."""
    for i, token in enumerate(tokens):
        if not token.type.endswith("_open") or token.map is None:
            continue
        depth, has_content = 0, False
        for inner in tokens[i:]:
            depth += inner.nesting
            has_content = has_content or inner.type in MARKDOWN_CONTENT
            if depth == 0:
                break
        if (not has_content and token.type in ("blockquote_open", "list_item_open", "bullet_list_open",
                                                "ordered_list_open")
                and any(_MARKERS.sub("", line).strip() for line in lines[token.map[0]:token.map[1]])):
            raise ArticleReadError(
                f"{name}: line {token.map[0] + 1}: quotes or lists nested more than "
                f"{MARKDOWN_MAX_NESTING} levels deep; the text inside cannot be read. Flatten the nesting and "
                "import the file again.")


def _plain_inline(token) -> str:
    """The text of a Markdown inline token without its markup (links keep their text)."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


_HTML_LANG = re.compile(r"<html\b[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.I)
_DOCX_LANG = re.compile(rb"<w:lang\b[^>]*?\bw:val=\"([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\"")


def _from_html(text: str, name: str, whole_page: bool = False) -> ArticleDoc:
    blocks, warnings = html_blocks(text, name, whole_page=whole_page)
    doc = _blocks_to_doc(blocks, "html", name)
    doc.warnings = warnings
    found = _HTML_LANG.search(text[:20_000])
    doc.declared_language = found.group(1) if found else None
    return doc


def _docx_language(data: bytes) -> str | None:
    """The document's default language (w:lang in the styles' defaults), if it says one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/styles.xml")
            if info.file_size > DocxLimits.max_part_bytes:
                return None
            found = _DOCX_LANG.search(archive.read(info))
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError):
        return None
    return found.group(1).decode("ascii") if found else None


def _from_docx(data: bytes, name: str, limits: DocxLimits) -> ArticleDoc:
    try:
        paragraphs = docx_paragraphs(data, name, limits)
    except DocxError as err:
        raise ArticleReadError(f"{err}; save it again from Word or LibreOffice as .docx") from None
    blocks, seen_title = [], False
    for kind, text in paragraphs:
        if kind == "title" and seen_title:
            kind = "heading"
        seen_title = seen_title or kind == "title"
        blocks.append((kind, text))
    return _blocks_to_doc(blocks, "docx", name)


def _from_xliff(data: bytes, name: str) -> ArticleDoc:
    """An XLIFF file from another tool: its units as blocks, one segment each (core/formats/xliff_doc.py)."""
    try:
        found = xliff_doc.read(data, name)
    except xliff_doc.ForeignXliffError as err:
        raise ArticleReadError(str(err)) from None
    for block in found.blocks:
        block.text = hygiene.clean(hygiene.import_text(block.text), "text",
                                   where=f"{name}: unit {block.attrs.get('unit')}")
    doc = _blocks_to_doc(found.blocks, "xliff", name)
    doc.title = Path(name).stem or name
    doc.byline = None
    doc.warnings = found.warnings
    return doc
