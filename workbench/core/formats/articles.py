"""Read an article from .txt, .md, .html or .docx: its blocks (core/document.py), title and byline.

Markdown, HTML and Word files become blocks with the file's own kinds and inline markup as codes
(the text is the blocks' texts, one a line); plain text keeps its own layout exactly and is
segmented from its text. A file that cannot be read raises ArticleReadError naming the file and
the reason, before anything is stored.
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
from workbench.core.document import Block, CodeBuilder
from workbench.core.segment import BYLINE, Segmentation, segment_blocks, segment_text
from workbench.core.formats import xliff_doc
from workbench.core.formats.docx_text import DocxError, DocxLimits, docx_blocks
from workbench.core.formats.html_text import collapse, html_blocks, too_much_formatting

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


def source_text(data: bytes, name: str) -> str:
    """A text file's characters as the importers read them (the html export reads its original so
    too, to find the blocks again)."""
    return hygiene.clean(hygiene.import_text(decode_text(data, name)), "text", where=name, limit=len(data))


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
        text = source_text(data, name)
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


def _blocks_to_doc(blocks: list, fmt: str, name: str, spaces_as_written: bool = False) -> ArticleDoc:
    """A document from its blocks (Block, or (kind, text) from a reader without inline markup):
    whitespace runs made single spaces, empty blocks dropped, the title the file's title."""
    found: list[Block] = []
    for block in blocks:
        if not isinstance(block, Block):
            kind, text = block
            block = Block(_KIND.get(kind, kind), text)
        # preformatted text keeps its line breaks and spaces, Markdown's text is as markdown-it read it
        if block.kind != "preformatted" and not spaces_as_written:
            # HTML's whitespace is what a browser shows (core/formats/html_text.collapse); a Word
            # paragraph's or an XLIFF unit's spaces are the text's own: runs made one, edges trimmed
            block.text = (collapse(block.text, block.codes) if fmt == "html"
                          else re.sub(r"[ \t\r\n]+", " ", block.text).strip())
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


def markdown_parser():
    """CommonMark with GFM tables and strikethrough: the importer's and the tests' one parser."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _from_markdown(text: str, name: str) -> ArticleDoc:
    """Every Markdown block as a block of its kind: headings with their level (the title is the
    file's first # heading), paragraphs, list items (marker, ordered, start, nesting), quotes,
    table cells, code blocks (preformatted, not translated), separators; inline markup as codes
    with their Markdown as `native`. Raw HTML blocks are read as HTML; nesting beyond markdown-it's
    limit is refused (the parser skips the text inside, which would be lost without a word)."""
    _refuse_costly_markup(text, name)
    tokens = markdown_parser().parse(text)
    _refuse_skipped_nesting(tokens, text.splitlines(), name)
    blocks, warnings = _MarkdownReader(tokens, name, text.splitlines()).read()
    doc = _blocks_to_doc(blocks, "md", name, spaces_as_written=True)
    doc.warnings = warnings
    return doc


class _MarkdownReader:
    """Walks markdown-it's token stream once. Containers (quotes, list items) are kept as a path in
    each block's attrs ("path": [{"q": id}, {"li": id, "list": id, "m": "1.", "tight": true}…]),
    outermost first, so the export writes the same containers and markers again."""

    def __init__(self, tokens, name: str, lines: list[str]):
        self.tokens, self.name, self.lines = tokens, name, lines
        self.path: list[dict] = []
        self.lists: list[dict] = []
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.ids = 0
        self.table: dict | None = None
        self.overflow = 0

    def _id(self) -> int:
        self.ids += 1
        return self.ids

    def read(self) -> tuple[list[Block], list[str]]:
        pending: tuple[str, int, dict] | None = None
        for i, token in enumerate(self.tokens):
            kind = token.type
            if kind == "blockquote_open":
                self.path.append({"q": self._id()})
            elif kind in ("bullet_list_open", "ordered_list_open"):
                ordered = kind == "ordered_list_open"
                start = int(token.attrs.get("start") or 1) if ordered else None
                self.lists.append({"list": self._id(), "ordered": ordered, "start": start,
                                   "marker": token.markup, "tight": self._tight(i)})
            elif kind == "list_item_open":
                found = self.lists[-1]
                self.path.append({"li": self._id(), "list": found["list"], "m": (token.info or "") + token.markup,
                                  "tight": found["tight"]})
            elif kind in ("blockquote_close", "list_item_close"):
                self.path.pop()
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "heading_open":
                level = int(token.tag[1])
                first = level == 1 and not any(b.kind == "title" for b in self.blocks)
                pending = ("title" if first else "heading", level, {})
            elif kind == "table_open":
                self.table = {"table": self._id(), "row": -1, "align": []}
            elif kind == "tr_open":
                self.table["row"] += 1
                self.table["col"] = -1
            elif kind in ("th_open", "td_open"):
                self.table["col"] += 1
                align = re.match(r"text-align:(\w+)", token.attrs.get("style") or "")
                if self.table["row"] == 0:
                    self.table["align"].append(align.group(1) if align else None)
                pending = ("table_cell", 0, {"table": self.table["table"], "row": self.table["row"],
                                             "col": self.table["col"], "header": kind == "th_open",
                                             "align": self.table["align"]})
            elif kind == "inline":
                block_kind, level, attrs = pending or self._container_kind()
                pending = None
                self._add(self._inline(token), block_kind, level, attrs)
            elif kind == "html_block":
                # read as HTML; the block's own HTML is kept (on its first block) so an export writes
                # it again with the translations in place, like an HTML page's
                found, dropped = html_blocks(token.content, self.name)
                found = [b for b in found if b.kind == "separator" or b.plain.strip()]
                group = {"html": self._id(), "html_source": token.content.rstrip("\n")}
                if not found:  # markup without words (an image, a comment): copied as it is
                    found = [Block("separator", "--", attrs={"translate": False})]
                for i, block in enumerate(found):
                    block.kind = "heading" if block.kind == "title" else block.kind
                    block.attrs = {**block.attrs, **(group if i == 0 else {"html": group["html"]})}
                    if self.path:
                        block.attrs["path"] = [dict(c) for c in self.path]
                    self.blocks.append(block)
                self.warnings += dropped
            elif kind in ("fence", "code_block"):
                content = token.content[:-1] if token.content.endswith("\n") else token.content
                attrs = {"translate": False}
                attrs |= {"fence": token.markup, "info": token.info} if kind == "fence" else {"indented": True}
                self._add(Block("preformatted", content), "preformatted", 0, attrs)
            elif kind == "hr":
                line = self.lines[token.map[0]] if token.map and token.map[0] < len(self.lines) else ""
                markup = _MARKERS.sub("", line).strip()  # the rule as written (inside a quote or list too)
                self._add(Block("separator", "--"), "separator", 0,
                          {"markup": markup if re.fullmatch(r"([-*_])(?:[ \t]*\1){2,}", markup) else "---"})
        if self.overflow:
            self.warnings.append(too_much_formatting(self.name, self.overflow))
        return self.blocks, self.warnings

    def _tight(self, at: int) -> bool:
        """Whether the list opening at `at` is tight (markdown-it hides its items' paragraphs)."""
        level, depth = self.tokens[at].level, 0
        for token in self.tokens[at:]:
            depth += token.nesting
            if token.type == "paragraph_open" and token.level == level + 2:
                return token.hidden
            if depth == 0:
                break
        return True

    def _container_kind(self) -> tuple[str, int, dict]:
        if not self.path:
            return "paragraph", 0, {}
        innermost = self.path[-1]
        if "li" in innermost:
            found = self.lists[-1]
            attrs = {"ordered": found["ordered"], "marker": found["marker"]}
            if found["ordered"]:
                attrs["start"] = found["start"]
            return "list_item", sum("li" in c for c in self.path), attrs
        return "quote", sum("q" in c for c in self.path), {}

    def _add(self, built, kind: str, level: int, attrs: dict) -> None:
        block = built if isinstance(built, Block) else built.block(kind)
        block.kind, block.level = kind, level
        block.attrs = dict(attrs) | ({"path": [dict(c) for c in self.path]} if self.path else {})
        self.blocks.append(block)

    def _inline(self, token) -> CodeBuilder:
        builder, open_ids = CodeBuilder(), []
        pairs = {"strong": "b", "em": "i", "s": "s"}
        skipped: list[bool] = []  # per open pair: True when it got no code (the block has none left)
        for child in token.children or []:
            kind = child.type
            full = len(builder.codes) >= inline.MAX_ID
            if full and kind not in ("text", "text_special", "softbreak", "code_inline") and not (
                    kind.endswith("_close") and skipped and not skipped[-1]):
                self.overflow += not kind.endswith("_close")
                if kind.endswith("_open"):
                    skipped.append(True)
                elif kind.endswith("_close") and skipped:
                    skipped.pop()
                elif kind == "image":
                    builder.text(child.content)
                continue
            if kind.endswith("_open"):
                skipped.append(False)
            elif kind.endswith("_close") and skipped:
                skipped.pop()
            if kind in ("text", "text_special"):
                builder.text(child.content)
            elif kind == "softbreak":
                builder.text(" ")
            elif kind == "hardbreak":
                builder.standalone(inline.Mark("br", native={"open": "\\\n"}))
            elif kind.endswith("_open") and kind[:-5] in pairs:
                open_ids.append(builder.open(inline.Mark(pairs[kind[:-5]], native={"open": child.markup,
                                                                                   "close": child.markup})))
            elif kind == "link_open":
                href, title = child.attrs.get("href", ""), child.attrs.get("title")
                attrs = {"href": href} | ({"title": title} if title else {})
                if child.markup == "autolink":
                    native = {"open": "<", "close": ">"}
                else:
                    native = {"open": "[", "close": f"]({markdown_destination(href, title)})"}
                open_ids.append(builder.open(inline.Mark("a", attrs, native)))
            elif kind.endswith("_close") and open_ids:
                builder.close(open_ids.pop())
            elif kind == "code_inline" and full:
                builder.text(child.content)
            elif kind == "code_inline":
                fence = child.markup
                pad = " " if child.content[:1] == "`" or child.content[-1:] == "`" or (
                    child.content[:1] == " " == child.content[-1:] and child.content.strip()) else ""
                n = builder.open(inline.Mark("code", native={"open": fence + pad, "close": pad + fence}))
                builder.text(child.content)
                builder.close(n)
            elif kind == "image":
                src, title = child.attrs.get("src", ""), child.attrs.get("title")
                attrs = {"alt": child.content, "src": src} | ({"title": title} if title else {})
                native = f"![{child.content}]({markdown_destination(src, title)})"
                builder.standalone(inline.Mark("img", attrs, {"open": native}))
            elif kind == "html_inline":
                builder.standalone(inline.Mark("x", native={"open": child.content}))
            elif child.content:
                builder.text(child.content)
        return builder


def markdown_destination(href: str, title: str | None) -> str:
    """A link's destination and title as Markdown writes them: `url "title"`."""
    dest = f"<{href}>" if (not href or re.search(r"[\s()<>]", href)) else href
    if title:
        dest += ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return dest


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
    """Blocks with the Word file's kinds and inline formatting (core/formats/docx_text.py); a
    second Title-styled paragraph is a heading."""
    try:
        read = docx_blocks(data, name, limits)
    except DocxError as err:
        raise ArticleReadError(f"{err}; save it again from Word or LibreOffice as .docx") from None
    seen_title = False
    for block in read.blocks:
        if block.kind == "title" and seen_title:
            block.kind, block.level = "heading", 1
        seen_title = seen_title or block.kind == "title"
    doc = _blocks_to_doc(read.blocks, "docx", name)
    doc.warnings = read.warnings
    return doc


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
