"""Export an article in one target language as txt, md or html, in the source's layout.

Every paragraph (block) is written from its source text with each segment's span replaced by the
segment's translation (the text between segments, and markup around a whole sentence, stay as the
source has them). Inline codes become markup again: the block's Mark for that id, as the source
format wrote it (`native`) when the export is in that format, else the format's own markup for the
code's type. A code the translation lacks is simply absent; a pair the translation opens and never
closes is closed at the end of the block (html never gets an unclosed element).

- html: an article imported from HTML is written into its original page (head, attributes,
  scripts, everything outside the translated blocks as it was; `<html lang>` the target
  language), each block's content replaced where `ref` (core/formats/html_text.py) locates it.
  Any other article becomes a clean page from its blocks (headings, lists, quotes, tables, pre).
- md: from the blocks with their kinds, containers and list markers (a Markdown article's own
  markers and numbering), inline markup from the codes; translated text escaped (md_escape).
- txt: a plain-text article byte for byte with its segments replaced; any other the plain text
  of its blocks, one a line.

A segment without a translation falls back to its source text; html marks it so an editor sees
what is still English.
"""

from __future__ import annotations

import re

from bs4 import NavigableString
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter
from markupsafe import escape

from workbench.core import codes as inline
from workbench.core.formats import html_text
from workbench.core.formats.articles import markdown_destination, source_text

EXPORT_FORMATS = ("txt", "md", "html")
MEDIA_TYPES = {"txt": "text/plain", "md": "text/markdown", "html": "text/html", "xliff": "application/xliff+xml"}
UNTRANSLATED = '<span class="untranslated" lang="en" title="not translated yet">'


def _paragraph_pieces(article: dict, paragraphs: list[dict], segments: list[dict],
                      translations: dict[int, dict]):
    """Yield (paragraph, [(text, translated?) and the text between them as (gap, None)])."""
    source = article["source_text"]
    paragraphs = [_own_kind(p) for p in paragraphs]
    by_paragraph: dict[int, list[dict]] = {}
    for segment in segments:
        by_paragraph.setdefault(segment["paragraph_idx"], []).append(segment)
    for paragraph in paragraphs:
        pieces, position = [], paragraph["start"]
        for segment in by_paragraph.get(paragraph["idx"], []):
            pieces.append((source[position:segment["start"]], None))
            translation = translations.get(segment["id"])
            if translation and translation["text"].strip() and translation["status"] != "untranslated":
                pieces.append((translation["text"], True))
            else:
                pieces.append((segment["text"], False))
            position = segment["end"]
        pieces.append((source[position:paragraph["end"]], None))
        yield paragraph, pieces


def _own_kind(paragraph: dict) -> dict:
    """A code block the segmenter copies as it is (kind "separator": no segments) is written as
    the code block it is."""
    attrs = paragraph.get("attrs") or {}
    if paragraph["kind"] == "separator" and attrs.get("translate") is False and ("fence" in attrs or "indented" in attrs):
        return {**paragraph, "kind": "preformatted"}
    return paragraph


def export_article(article: dict, paragraphs: list[dict], segments: list[dict],
                   translations: dict[int, dict], fmt: str, lang: str, original: dict | None = None) -> str | bytes:
    """The article in one language as `fmt`. `original` is the file the article's latest version
    came from ({format, name, data}), the skeleton of an export in that format."""
    blocks = list(_paragraph_pieces(article, paragraphs, segments, translations))
    source_format = article.get("format") or "txt"
    if fmt == "txt":
        if source_format == "txt":
            return _export_txt(article, blocks)
        return "".join(_Render(p.get("codes"), "txt", source_format).pieces(pieces) + "\n" for p, pieces in blocks
                       if not (p["kind"] == "separator" and "html" in (p.get("attrs") or {})))
    if fmt == "md":
        return _export_md(blocks, source_format)
    if fmt == "html":
        # the page itself when its blocks know where they are in it (an import before refs: a clean page)
        if original and original.get("format") == "html" and source_format == "html" and \
                any(p.get("ref") for p, _ in blocks):
            return _export_html_page(blocks, lang, original)
        return _export_html(article, blocks, lang, source_format)
    # fmt == "docx": the Word writer (core/formats/docx_export.py) is dispatched here.
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def _export_txt(article, blocks) -> str:
    """The source text with every segment replaced: line breaks and spacing stay as they were."""
    source, out, position = article["source_text"], [], 0
    for paragraph, pieces in blocks:
        out.append(source[position:paragraph["start"]])
        out.extend(text for text, _ in pieces)
        position = paragraph["end"]
    out.append(source[position:])
    return "".join(out)


# --- inline codes back to markup ----------------------------------------------------------------

# Characters that make Markdown markup (or raw HTML, which Markdown passes through) anywhere in a
# line, and the ones that do only at its start. Escaped, a translation reads as the text it is:
# "<script>" in a segment must not become a script in a CMS that renders the export.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=|]|\d+(?=[.)]))")
_HTML_TAGS = {"b": "b", "i": "i", "u": "u", "s": "s", "code": "code", "sup": "sup", "sub": "sub", "x": "span"}
_MD_PAIRS = {"b": "**", "i": "*", "s": "~~", "code": "`"}
_HTML_NATIVE = re.compile(r"<[A-Za-z!/]")
_MD_SYNTAX = {"b", "i", "s", "code", "a", "br", "img"}


def _md_line_start(text: str) -> str:
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if not m[2][0].isdigit() else f"{m[1]}{m[2]}\\", text)


def md_escape(text: str) -> str:
    return _md_line_start(_MD_INLINE.sub(r"\\\1", text))


class _Render:
    """One block's text (source pieces and translations) with its codes as markup of `fmt`."""

    def __init__(self, codes: dict | None, fmt: str, source_format: str, *, table: bool = False,
                 mark_untranslated: bool = False):
        self.marks = {int(k): inline.Mark.from_json(v) for k, v in (codes or {}).items()}
        self.fmt, self.table, self.mark_untranslated = fmt, table, mark_untranslated
        # a code's own markup is written back in the format it came from (a Markdown article's
        # HTML blocks and inline HTML are HTML, which Markdown passes through)
        self.native = (fmt == source_format and fmt in ("html", "md")) or (fmt == "md" and source_format == "html")
        self.from_html = source_format == "html"
        self.opened: dict[int, str] = {}

    def pieces(self, pieces: list[tuple[str, bool | None]]) -> str:
        out: list[str] = []
        stack: list[int] = []
        for text, translated in pieces:
            wrap = (self.fmt == "html" and self.mark_untranslated and translated is False and _balanced(text))
            if wrap:
                out.append(UNTRANSLATED)
            chunk: list[str] = []
            for ch in text:
                info = inline.parse(ch)
                if info is None:
                    chunk.append(ch)
                    continue
                self._text("".join(chunk), out, stack)
                chunk = []
                kind, n = info
                mark = self.marks.get(n)
                if mark is None:
                    continue
                if kind == inline.OPEN and n not in stack:
                    stack.append(n)
                    self.opened[n] = self.open(mark)
                    out.append(self.opened[n])
                elif kind == inline.CLOSE and n in stack:
                    while stack:  # a pair crossing another closes the inner one (never left open)
                        m = stack.pop()
                        out.append(self.close(self.marks[m]))
                        if m == n:
                            break
                elif kind == inline.PH:
                    out.append(self.standalone(mark))
            self._text("".join(chunk), out, stack)
            if wrap:
                out.append("</span>")
        while stack:
            out.append(self.close(self.marks[stack.pop()]))
        return "".join(out)

    def _text(self, text: str, out: list[str], stack: list[int]) -> None:
        if not text:
            return
        if self.fmt == "html":
            out.append(str(escape(text)))
        elif self.fmt == "md":
            if any(self.opened.get(n, "").startswith("`") for n in stack):
                out.append(text)  # a code span's content is literal
                return
            text = _MD_INLINE.sub(r"\\\1", text)
            if self.table:
                text = text.replace("|", "\\|")
            at_line_start = not out or out[-1].endswith("\n")
            out.append(_md_line_start(text) if at_line_start else text)
        else:
            out.append(text)

    def _own(self, mark: inline.Mark, side: str) -> str | None:
        """The code's own markup, when the export can write it back."""
        value = mark.native.get(side) if self.native else None
        if value is None:
            return None
        html = _HTML_NATIVE.match(mark.native.get("open", "")) is not None
        if self.fmt == "html" and not html:
            return None  # Markdown syntax is no HTML
        if self.fmt == "md" and self.from_html and mark.type in _MD_SYNTAX and (mark.paired or mark.type != "a"):
            return None  # Markdown has its own syntax for it
        return value

    def open(self, mark: inline.Mark) -> str:
        own = self._own(mark, "open")
        if own is not None:
            return own
        if self.fmt == "html":
            if mark.type == "a":
                title = f' title="{escape(mark.attrs["title"])}"' if mark.attrs.get("title") else ""
                return f'<a href="{escape(mark.attrs.get("href", ""))}"{title}>'
            return f"<{_HTML_TAGS.get(mark.type, 'span')}>"
        if self.fmt == "md":
            return "[" if mark.type == "a" else _MD_PAIRS.get(mark.type, "")
        return ""

    def close(self, mark: inline.Mark) -> str:
        own = self._own(mark, "close")
        if own is not None:
            return own
        if self.fmt == "html":
            return "</a>" if mark.type == "a" else f"</{_HTML_TAGS.get(mark.type, 'span')}>"
        if self.fmt == "md":
            if mark.type == "a":
                return f"]({markdown_destination(mark.attrs.get('href', ''), mark.attrs.get('title'))})"
            return _MD_PAIRS.get(mark.type, "")
        return ""

    def standalone(self, mark: inline.Mark) -> str:
        own = self._own(mark, "open")
        if own is not None:
            return own
        if mark.type == "br":
            return {"html": "<br>", "md": "\\\n"}.get(self.fmt, "\n")
        if mark.type == "img":
            alt, src, title = (mark.attrs.get(k) or "" for k in ("alt", "src", "title"))
            if self.fmt == "html":
                return f'<img src="{escape(src)}" alt="{escape(alt)}">'
            if self.fmt == "md":
                return "![" + _MD_INLINE.sub(r"\\\1", alt) + f"]({markdown_destination(src, title or None)})"
        return ""


def _balanced(text: str) -> bool:
    """Every pair of the text opens and closes inside it (a span may wrap it)."""
    pairs = inline.paired_ids(text)
    return all(kind == inline.PH or n in pairs for kind, n in inline.codes_in(text))


# --- containers: a Markdown article's own, or made from the kinds -------------------------------

def _paths(paragraphs: list[dict]) -> list[list[dict]]:
    """The containers (quotes, list items) around each block, outermost first: a Markdown
    article's as it had them, else made from list levels and quote depths."""
    out, items, quotes, ids = [], [], [], [0]

    def new() -> int:
        ids[0] += 1
        return -ids[0]

    for paragraph in paragraphs:
        attrs = paragraph.get("attrs") or {}
        if "path" in attrs:
            out.append(attrs["path"])
            items, quotes = [], []
            continue
        kind, level = paragraph["kind"], max(paragraph.get("level") or 1, 1)
        if kind == "list_item":
            quotes = []
            ordered, start = bool(attrs.get("ordered")), int(attrs.get("start") or 1)
            items = items[:level]
            while len(items) < level - 1:
                items.append({"li": new(), "list": new(), "m": "-", "tight": True, "count": 1})
            if len(items) == level and items[-1]["ordered"] == ordered:
                previous = items.pop()
                number = previous["count"] + 1
                items.append({"li": new(), "list": previous["list"], "ordered": ordered, "count": number,
                              "m": f"{number}." if ordered else "-", "tight": True})
            else:
                items = items[:level - 1]
                items.append({"li": new(), "list": new(), "ordered": ordered, "count": start,
                              "m": f"{start}." if ordered else "-", "tight": True})
            out.append([dict(c) for c in items])
        elif kind == "quote":
            items = []
            quotes = quotes[:level] + [{"q": new()} for _ in range(level - len(quotes))]
            out.append(list(quotes))
        else:
            items, quotes = [], []
            out.append([])
    return out


def _key(container: dict) -> tuple:
    return ("q", container["q"]) if "q" in container else ("li", container["li"])


def _shared(a: list[dict], b: list[dict]) -> int:
    n = 0
    while n < len(a) and n < len(b) and _key(a[n]) == _key(b[n]):
        n += 1
    return n


def _groups(blocks, paths):
    """(paragraph, pieces, path) per block, table cells gathered into one ("table", cells, path)."""
    out = []
    for (paragraph, pieces), path in zip(blocks, paths):
        html = (paragraph.get("attrs") or {}).get("html")
        if html is not None:  # a Markdown file's HTML block: its blocks go back into its HTML
            if out and out[-1][0] == "html" and out[-1][3] == html:
                out[-1][1].append((paragraph, pieces))
            else:
                out.append(["html", [(paragraph, pieces)], path, html])
            continue
        if paragraph["kind"] == "table_cell":
            table = (paragraph.get("attrs") or {}).get("table")
            if out and out[-1][0] == "table" and out[-1][3] == table:
                out[-1][1].append((paragraph, pieces))
                continue
            out.append(["table", [(paragraph, pieces)], path, table])
        else:
            out.append([paragraph, pieces, path, None])
    return out


def _rows(cells) -> tuple[list[list], list]:
    """A table's cells as rows of columns (an empty cell, which has no block, as None)."""
    align = list((cells[0][0].get("attrs") or {}).get("align") or [])
    grid: dict[int, dict[int, tuple]] = {}
    for paragraph, pieces in cells:
        attrs = paragraph.get("attrs") or {}
        grid.setdefault(int(attrs.get("row", 0)), {})[int(attrs.get("col", 0))] = (paragraph, pieces)
    width = max([len(align)] + [max(row) + 1 for row in grid.values()])
    rows = [[grid[r].get(c) for c in range(width)] for r in sorted(grid)]
    return rows, align + [None] * (width - len(align))


# --- Markdown ----------------------------------------------------------------------------------

def _export_md(blocks, source_format: str) -> str:
    paths = _paths([p for p, _ in blocks])
    out: list[str] = []
    previous: list[dict] | None = None
    for paragraph, pieces, path, _ in _groups(blocks, paths):
        body = (_md_table(pieces, source_format) if paragraph == "table"
                else _html_block(pieces) if paragraph == "html"
                else _md_block(paragraph, pieces, source_format))
        shared = _shared(previous, path) if previous is not None else 0
        if previous is not None and not _joined(previous, path, shared):
            out.append("".join(_continue(c) for c in path[:shared]).rstrip())
        first = "".join(_continue(c) if i < shared else _opening(c) for i, c in enumerate(path))
        rest = "".join(_continue(c) for c in path)
        for i, line in enumerate(body.split("\n")):
            out.append(((first if i == 0 else rest) + line) if line else (first if i == 0 else rest).rstrip())
        previous = path
    return "\n".join(out) + "\n"


def _joined(previous: list[dict], path: list[dict], shared: int) -> bool:
    """Whether a block follows the previous one without a blank line: the next item of the same
    tight list, or anything more inside the tight list item just written (a blank line there would
    make the list loose). A list opening elsewhere starts after a blank line, and so does an ordered
    list from 2 inside an item (it could not interrupt a paragraph)."""
    inner = path[shared - 1] if shared else None
    tight_item = inner is not None and "li" in inner and bool(inner.get("tight"))
    if shared == len(path):
        return tight_item
    fresh = path[shared]
    if "li" in fresh:
        if not fresh.get("tight"):
            return False
        if shared < len(previous) and "li" in previous[shared] and previous[shared]["list"] == fresh["list"]:
            return True
        number = fresh["m"][:-1]
        return tight_item and (not number.isdigit() or int(number) == 1)
    return tight_item


def _html_block(members) -> str:
    """A Markdown file's HTML block with its blocks' translations in place."""
    source = next(((p.get("attrs") or {}).get("html_source") for p, _ in members
                   if (p.get("attrs") or {}).get("html_source") is not None), "")
    return _fill(source, members)


def _opening(container: dict) -> str:
    return "> " if "q" in container else container["m"] + " "


def _continue(container: dict) -> str:
    return "> " if "q" in container else " " * (len(container["m"]) + 1)


def _md_block(paragraph: dict, pieces, source_format: str) -> str:
    kind, attrs = paragraph["kind"], paragraph.get("attrs") or {}
    if kind == "separator":
        return attrs.get("markup") or "---"
    if kind == "preformatted":
        text = inline.plain("".join(t for t, _ in pieces))
        if attrs.get("indented"):
            return "\n".join("    " + line if line else "" for line in text.split("\n"))
        fence = attrs.get("fence") or "```"
        return f"{fence}{attrs.get('info') or ''}\n{text}\n{fence}"
    text = _Render(paragraph.get("codes"), "md", source_format).pieces(pieces)
    if source_format == "txt":
        text = " ".join(text.split("\n"))
    if kind in ("title", "heading"):
        return "#" * min(max(paragraph.get("level") or 1, 1), 6) + " " + text
    if kind == "byline" and source_format != "md":
        return f"*{text}*"
    return text


def _md_table(cells, source_format: str) -> str:
    rows, align = _rows(cells)

    def cell(found) -> str:
        if found is None:
            return ""
        return _Render(found[0].get("codes"), "md", source_format, table=True).pieces(found[1])

    lines = ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    rule = {"left": ":---", "right": "---:", "center": ":---:"}
    lines.insert(1, "| " + " | ".join(rule.get(a, "---") for a in align) + " |")
    return "\n".join(lines)


# --- HTML --------------------------------------------------------------------------------------

def _export_html_page(blocks, lang: str, original: dict) -> str:
    """The original page with each block's content replaced by its translation."""
    return _fill(source_text(original["data"], original.get("name") or "original.html"), blocks, lang)


def _fill(page: str, blocks, lang: str | None = None) -> str:
    """HTML (a page, or a Markdown file's HTML block) with the content of each block found by its
    ref replaced by the block's text and translations; `<html lang>` set when `lang` is given."""
    soup = html_text.parse(page)
    where = html_text.locate(soup)
    marker = next(c for c in "\ue000\ue001\ue002\ue003\uf8ff" if c not in page)
    placed: list[str] = []
    for paragraph, pieces in blocks:
        ref = paragraph.get("ref")
        if paragraph["kind"] == "separator" or not ref:
            continue
        if ref == html_text.TITLE_REF:
            if soup.title is not None:
                soup.title.string = inline.plain("".join(t for t, _ in pieces))
            continue
        nodes = where.get(ref)
        if not nodes:
            continue
        markup = _Render(paragraph.get("codes"), "html", "html", mark_untranslated=True).pieces(pieces)
        # the markup goes in as written (each code's own tag, byte for byte): a placeholder now,
        # the markup once the page is serialised
        token = f"{marker}{len(placed)}{marker}"
        placed.append(markup)
        new = [NavigableString(token)]
        if paragraph["kind"] != "preformatted":  # the layout's line breaks around the text stay
            lead, tail = str(nodes[0]), str(nodes[-1])
            if type(nodes[0]) is NavigableString:
                new.insert(0, NavigableString(lead[:len(lead) - len(lead.lstrip())]))
            if type(nodes[-1]) is NavigableString:
                new.append(NavigableString(tail[len(tail.rstrip()):]))
        for node in new:
            nodes[0].insert_before(node)
        for node in nodes:
            node.extract()
    element = soup.find("html")
    if element is not None and lang:
        element["lang"] = lang
    return re.sub(f"{marker}(\\d+){marker}", lambda m: placed[int(m.group(1))], soup.decode(formatter=_AS_WRITTEN))


class _AsWritten(HTMLFormatter):
    """Serialises a page as its source wrote it as far as the tree knows: attributes in their
    order, void elements without a slash, only & < > (and quotes in attributes) escaped."""

    def attributes(self, tag):
        return list(tag.attrs.items())


_AS_WRITTEN = _AsWritten(entity_substitution=EntitySubstitution.substitute_xml, void_element_close_prefix=None,
                         empty_attributes_are_booleans=True)


_BLOCK_TAGS = {"title": "h1", "paragraph": "p", "body": "p", "quote": "p", "list_item": "p", "note": "p"}


def _export_html(article, blocks, lang: str, source_format: str) -> str:
    """A clean page from the blocks: their kinds as elements, lists and quotes nested as they were."""
    body, title = [], article["title"]
    stack: list[tuple[tuple, str]] = []  # (container key, closing tag)
    paths = _paths([p for p, _ in blocks])
    for paragraph, pieces, path, _ in _groups(blocks, paths):
        wanted: list[tuple[tuple, str, str]] = []
        for container in path:
            if "q" in container:
                wanted.append((("q", container["q"]), "<blockquote>", "</blockquote>"))
            else:
                number = container["m"][:-1]
                if number.isdigit():
                    start = f' start="{int(number)}"' if int(number) != 1 else ""
                    wanted.append((("list", container["list"]), f"<ol{start}>", "</ol>"))
                else:
                    wanted.append((("list", container["list"]), "<ul>", "</ul>"))
                wanted.append((("li", container["li"]), "<li>", "</li>"))
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep][0] == wanted[keep][0]:
            keep += 1
        while len(stack) > keep:
            body.append(stack.pop()[1])
        for key, opening, closing in wanted[keep:]:
            body.append(opening)
            stack.append((key, closing))
        if paragraph == "table":
            body.append(_html_table(pieces, source_format))
            continue
        if paragraph == "html":
            body.append(_html_block(pieces))
            continue
        kind = paragraph["kind"]
        if kind == "separator":
            body.append("<hr>")
            continue
        if kind == "preformatted":
            body.append(f"<pre>{escape(inline.plain(''.join(t for t, _ in pieces)))}</pre>")
            continue
        inner = _Render(paragraph.get("codes"), "html", source_format, mark_untranslated=True).pieces(pieces)
        if kind == "title":
            title = inline.plain("".join(t for t, _ in pieces))
        tight_item = bool(path) and "li" in path[-1] and path[-1].get("tight")
        if kind in ("title", "heading"):
            level = min(max(paragraph.get("level") or 1, 1), 6)
            body.append(f"<h{level}>{inner}</h{level}>")
        elif kind == "byline":
            body.append(f'<p class="byline">{inner}</p>')
        elif kind == "caption":
            body.append(f"<figure><figcaption>{inner}</figcaption></figure>")
        elif tight_item:
            body.append(inner)
        else:
            body.append(f"<{_BLOCK_TAGS.get(kind, 'p')}>{inner}</{_BLOCK_TAGS.get(kind, 'p')}>")
    while stack:
        body.append(stack.pop()[1])
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n"
            "<style>.untranslated{background:#fff3cd}</style>\n</head>\n<body>\n<article>\n"
            + "\n".join(body) + "\n</article>\n</body>\n</html>\n")


def _html_table(cells, source_format: str) -> str:
    rows, align = _rows(cells)
    out = ["<table>"]
    for r, row in enumerate(rows):
        out.append("<tr>")
        for c, found in enumerate(row):
            header = found is not None and (found[0].get("attrs") or {}).get("header")
            tag = "th" if header or (found is None and r == 0) else "td"
            style = f' style="text-align:{align[c]}"' if align[c] else ""
            inner = "" if found is None else _Render(found[0].get("codes"), "html", source_format,
                                                     mark_untranslated=True).pieces(found[1])
            out.append(f"<{tag}{style}>{inner}</{tag}>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)
