"""An HTML article as document-model blocks (core/document.py), with a report of the visible text left out.

CMS pages put their copy in divs, tables, lists, figures and captions as often as in <p>, so every
block-level element is a paragraph boundary and every piece of text inside the article lands in
some block, with the block's real kind: the first <h1> is the title, h1-h6 headings (with their
level), list items (ordered or not, nesting level, the list's start), quotes (depth), captions,
table cells (row and column), preformatted text, bylines (a byline or author class).

Inline markup inside a block becomes inline codes (core/codes.py) and never adds or removes a space:
`<b>May 5</b>.` reads "May 5." with a code pair around "May 5". Every code keeps the exact opening
tag of the source and its closing tag (`Mark.native`), so an export gives back what came in: a
link its URL and title, a <span class=credit> its class. An element that holds no text (an empty
anchor, an icon), a line break, an image, and inline content a reader never sees (a script or a
hidden span inside a paragraph) are standalone codes carrying the whole element.

`ref` locates each block in the original page: "i/k" is the k-th run of inline content (the
children between two block-level children) of the i-th container element in document order
(`containers`); "title" the <title> element (the title when the page has no <h1>). The html
export (core/formats/export.py) parses the original the same way and finds each block again.

What is not imported is left out on purpose and, when a reader would have seen it, reported:
invisible content (script, style, template, noscript, hidden elements) silently; page furniture
(nav, footer, aside, forms, and everything outside the <article> or <main> when the page has one)
as a warning that quotes what was dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.element import CData, Declaration
from markupsafe import escape

from workbench.core import codes as inline
from workbench.core.document import Block, CodeBuilder
from workbench.core.formats import page_story

# Never visible in a browser: left out without a word.
INVISIBLE = {"script", "style", "noscript", "template", "head", "meta", "link", "svg", "math",
             "iframe", "object", "embed", "canvas", "video", "audio", "map", "datalist", "select",
             "option", "textarea", "input"}
# Visible, but page furniture rather than the article: left out and reported.
FURNITURE = {"nav", "footer", "aside", "form", "button", "dialog", "menu"}
# Block-level elements: each starts and ends a paragraph (a <br> is an inline code now).
BLOCKS = {"address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dir",
          "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
          "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main", "ol", "p", "pre", "section",
          "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "body",
          "html", "noscript", "option", "output", "search", "nav", "menu", "form"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Inline elements with a portable meaning; any other inline element is type "x".
INLINE_TYPES = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "s": "s", "del": "s", "strike": "s",
                "a": "a", "code": "code", "sup": "sup", "sub": "sub", "span": "x"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SPACE = re.compile(r"[ \t\r\n\f]+")  # HTML whitespace; a no-break space is text and stays
_WHITE = " \t\r\n\f"
_SKIPPED_STRINGS = (Comment, Doctype, Declaration, ProcessingInstruction, CData)
# An HTML start tag as html.parser reads it (attribute values may hold ">" inside quotes).
_START_TAG = re.compile(r"""<[a-zA-Z][^\s/>]*(?:\s*(?:[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?|/(?!>)))*\s*/?>""")
TITLE_REF = "title"


def parse(text: str) -> BeautifulSoup:
    """The page as the importer and the export read it (one parser, so the locators agree)."""
    return BeautifulSoup(text, "html.parser")


def _is_hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or (
        re.search(r"display\s*:\s*none", tag.get("style") or "") is not None)


def containers(soup: BeautifulSoup) -> list[Tag]:
    """Every element that holds blocks, in document order: a block-level element, or an inline one
    with a block-level element inside (<a><div>…</div></a>). The index in this list is the first
    part of a block's ref."""
    holding: set[int] = set()
    everything = soup.find_all(True)
    for tag in everything:
        if tag.name.lower() in BLOCKS:
            for parent in tag.parents:
                if id(parent) in holding:
                    break
                holding.add(id(parent))
    return [tag for tag in everything if tag.name.lower() in BLOCKS or id(tag) in holding]


def runs(tag, is_container) -> list[list]:
    """The runs of inline content of a container: its children between two container children
    (every run counts, empty or not, so the numbering is the same on both sides)."""
    out: list[list] = [[]]
    for child in tag.children:
        if isinstance(child, Tag) and is_container(child):
            out.append([])
        else:
            out[-1].append(child)
    return out


def locate(soup: BeautifulSoup) -> dict[str, list]:
    """{ref: the nodes of that run} for every run of the page (the export's side of `ref`)."""
    found = containers(soup)
    ids = {id(tag) for tag in found}
    out: dict[str, list] = {}
    for i, tag in [(-1, soup), *enumerate(found)]:
        for k, nodes in enumerate(runs(tag, lambda t: id(t) in ids)):
            out[f"{i}/{k}"] = nodes
    return out


@dataclass(frozen=True)
class _Context:
    """What the containers around a run say about it."""
    heading: int = 0
    byline: bool = False
    nearest: str | None = None  # list_item, quote, caption, table_cell, preformatted
    lists: tuple = ()  # (ordered, start) of each list around, outermost first
    quotes: int = 0
    cell: dict = field(default_factory=dict)
    pre: bool = False


class _Reader:
    """Reads the runs of a page into blocks, walking with an explicit stack (hostile pages nest
    thousands deep)."""

    def __init__(self, text: str, soup: BeautifulSoup):
        self.text = text
        self.soup = soup
        self.found = containers(soup)
        self.index = {id(tag): i for i, tag in enumerate(self.found)}
        # elements with some text inside, found in one pass (an element without any is kept whole)
        self.texty: set[int] = set()
        for string in soup.find_all(string=True):
            if type(string) is NavigableString and str(string):
                for parent in string.parents:
                    if id(parent) in self.texty:
                        break
                    self.texty.add(id(parent))
        self.overflow = 0  # inline elements past the codes a block may have
        self.cells: dict[int, dict] = {}  # table cell -> its row and column, a table at a time
        starts, position = [], 0
        for line in text.split("\n"):
            starts.append(position)
            position += len(line) + 1
        self.line_starts = starts

    def is_container(self, tag: Tag) -> bool:
        return id(tag) in self.index

    def blocks(self, root, furniture: bool = False, story: page_story.Story | None = None) -> list[Block]:
        """The blocks of `root`; page furniture in it left out unless `furniture` (to quote it); the
        blocks `story` skips inside its own left out."""
        self.furniture = furniture
        self.overflow = 0
        out: list[Block] = []
        stack: list = [(root, _Context())]
        while stack:
            item, context = stack.pop()
            if isinstance(item, tuple):  # a run: (ref, nodes)
                block = self._run_block(item[1], context, item[0], out)
                if block is not None:
                    out.append(block)
                continue
            tag = item
            name = tag.name.lower() if tag is not self.soup else "[document]"
            if tag is not root and (name in INVISIBLE or self._drops(name) or _is_hidden(tag)
                                    or (story is not None and story.skips(tag))):
                continue
            if name == "hr":
                out.append(Block("separator", "--", ref=f"{self.index.get(id(tag), -1)}/0"))
                continue
            inner = self._enter(tag, name, context)
            number = self.index.get(id(tag), -1)
            # its runs, numbered as `runs` numbers them, and the containers between them, in order
            ordered, run = [], []
            for child in tag.children:
                if isinstance(child, Tag) and self.is_container(child):
                    ordered += [((f"{number}/{len(ordered) // 2}", run), inner), (child, inner)]
                    run = []
                else:
                    run.append(child)
            ordered.append(((f"{number}/{len(ordered) // 2}", run), inner))
            stack.extend(reversed(ordered))
        return out

    def _cell(self, tag: Tag) -> dict:
        """Row and column of a table cell (from 0), and whether it is a header cell; every cell of
        its table placed at the first one asked (a table of 20,000 cells in one pass)."""
        if id(tag) not in self.cells:
            table = _up(tag, "table")
            rows = [r for r in table.find_all("tr") if _up(r, "table") is table] if table else []
            for r, row in enumerate(rows):
                cells = (c for c in row.children if isinstance(c, Tag) and c.name.lower() in ("td", "th"))
                for c, cell in enumerate(cells):
                    self.cells[id(cell)] = {"row": r, "col": c}
        return {"header": tag.name.lower() == "th", **self.cells.get(id(tag), {})}

    def _drops(self, name: str) -> bool:
        return name in FURNITURE and not self.furniture

    def _enter(self, tag: Tag, name: str, context: _Context) -> _Context:
        classes = " ".join(tag.get("class") or []).lower() if tag is not self.soup else ""
        if name in HEADINGS:
            context = replace(context, heading=HEADINGS[name])
        if "byline" in classes or "author" in classes:
            context = replace(context, byline=True)
        if name in ("ul", "ol", "dir", "menu"):
            start = 1
            if name == "ol":
                try:
                    start = int(tag.get("start") or 1)
                except ValueError:
                    start = 1
            context = replace(context, lists=context.lists + ((name == "ol", start),))
        elif name == "li":
            context = replace(context, nearest="list_item")
        elif name == "blockquote":
            context = replace(context, nearest="quote", quotes=context.quotes + 1)
        elif name in ("figcaption", "caption"):
            context = replace(context, nearest="caption")
        elif name in ("td", "th"):
            context = replace(context, nearest="table_cell", cell=self._cell(tag))
        elif name == "pre":
            context = replace(context, nearest="preformatted", pre=True)
        return context

    def _run_block(self, nodes: list, context: _Context, ref: str, before: list[Block]) -> Block | None:
        if all(isinstance(n, NavigableString) and (isinstance(n, _SKIPPED_STRINGS) or not n.strip(_WHITE))
               for n in nodes):
            return None  # the layout's whitespace between two blocks
        builder = CodeBuilder()
        self._inline(nodes, builder, context.pre)
        text = builder.value()
        text = text if context.pre else collapse(text, builder.codes)
        if not inline.plain(text).strip():
            return None
        kind, level, attrs = "paragraph", 0, {}
        if context.heading:
            level = context.heading
            kind = "title" if level == 1 and not any(b.kind == "title" for b in before) else "heading"
        elif context.byline:
            kind = "byline"
        elif context.nearest == "list_item":
            kind, level = "list_item", max(len(context.lists), 1)
            ordered, start = context.lists[-1] if context.lists else (False, 1)
            attrs = {"ordered": ordered} | ({"start": start} if ordered else {})
        elif context.nearest == "quote":
            kind, level = "quote", context.quotes
        elif context.nearest in ("caption", "table_cell", "preformatted"):
            kind = context.nearest
            attrs = dict(context.cell) if kind == "table_cell" else {}
        return Block(kind, text, level=level, attrs=attrs, codes=dict(builder.codes), ref=ref)

    def _inline(self, nodes: list, builder: CodeBuilder, pre: bool) -> None:
        stack: list = list(reversed(nodes))
        while stack:
            node = stack.pop()
            if isinstance(node, tuple):  # ("close", n)
                builder.close(node[1])
            elif isinstance(node, Comment) and len(builder.codes) < inline.MAX_ID:
                # kept where it is, as a code (an export gives it back)
                builder.standalone(inline.Mark("x", native={"open": f"<!--{node}-->"}))
            elif isinstance(node, _SKIPPED_STRINGS):
                continue
            elif isinstance(node, NavigableString):
                builder.text(str(node))
            elif isinstance(node, Tag):
                name = node.name.lower()
                if len(builder.codes) >= inline.MAX_ID:  # no code left for this block: its text only
                    self.overflow += 1
                    if not (name in INVISIBLE or self._drops(name) or _is_hidden(node)):
                        stack.extend(reversed(list(node.children)))
                    continue
                if name in INVISIBLE or self._drops(name) or _is_hidden(node) or name in VOID or id(node) not in self.texty:
                    builder.standalone(self._whole(node, name))
                    continue
                mark = inline.Mark(INLINE_TYPES.get(name, "x"), _portable(node, name),
                                   {"open": self.start_tag(node), "close": f"</{self._source_name(node)}>"})
                n = builder.open(mark)
                stack.append(("close", n))
                stack.extend(reversed(list(node.children)))

    def _whole(self, tag: Tag, name: str) -> inline.Mark:
        """A standalone code for an element kept whole: a line break, an image, an empty element,
        content no reader sees."""
        kind = {"br": "br", "img": "img"}.get(name) or INLINE_TYPES.get(name, "x")
        source = self.start_tag(tag) if name in VOID else str(tag)
        return inline.Mark(kind, _portable(tag, name), {"open": source}, paired=False)

    def start_tag(self, tag: Tag) -> str:
        """The element's opening tag exactly as the source has it (rebuilt when it cannot be found)."""
        if tag.sourceline is not None and tag.sourcepos is not None and tag.sourceline <= len(self.line_starts):
            at = self.line_starts[tag.sourceline - 1] + tag.sourcepos
            found = _START_TAG.match(self.text, at)
            if found and found.group()[1:1 + len(tag.name)].lower() == tag.name.lower():
                return found.group()
        attrs = "".join(f' {k}="{escape(" ".join(v) if isinstance(v, list) else v)}"' for k, v in tag.attrs.items())
        return f"<{tag.name}{attrs}>"

    def _source_name(self, tag: Tag) -> str:
        opening = self.start_tag(tag)
        return opening[1:1 + len(tag.name)]


def _portable(tag: Tag, name: str) -> dict:
    keys = {"a": ("href", "title"), "img": ("alt", "src", "title")}.get(name, ())
    return {k: tag[k] for k in keys if isinstance(tag.get(k), str)}


def _up(tag: Tag, name: str) -> Tag | None:
    """The nearest ancestor called `name` (bs4's find_parent, without its filter machinery)."""
    parent = tag.parent
    while parent is not None and (parent.name or "").lower() != name:
        parent = parent.parent
    return parent


def collapse(text: str, codes: dict | None = None) -> str:
    """HTML whitespace as a browser shows it: runs one space, none at the block's edges, a space
    next to a code not doubled by one on its other side. An image (a code of type img in `codes`)
    is a solid thing on the line: the spaces on both its sides stay."""
    solid = {inline.ph_char(int(n)) for n, mark in (codes or {}).items()
             if (mark.type if hasattr(mark, "type") else mark.get("type")) == "img"}
    out, space = [], True
    for ch in text:
        if ch in solid:
            out.append(ch)
            space = False
        elif inline.is_code(ch):
            out.append(ch)
        elif ch in _WHITE:
            if not space:
                out.append(" ")
                space = True
        else:
            out.append(ch)
            space = False
    for i in range(len(out) - 1, -1, -1):
        if out[i] in solid or not inline.is_code(out[i]):
            if out[i] == " ":
                del out[i]
            break
    return "".join(out)


def _visible_text(reader: _Reader, tag: Tag) -> str:
    return " ".join(block.plain for block in reader.blocks(tag, furniture=True) if block.kind != "separator")


def _root(reader: _Reader, soup: BeautifulSoup) -> Tag:
    """The article itself when the page marks it (the first <article>, else <main>), else the body."""
    for name in ("article", "main"):
        found = soup.find(name)
        if found is not None and _visible_text(reader, found).strip():
            return found
    return soup.body or soup


def _left_out(reader: _Reader, soup: BeautifulSoup, root: Tag) -> list[tuple[str, str]]:
    """(where, text) for each piece of visible text that is not imported."""
    dropped: list[tuple[str, str]] = []
    for tag in root.find_all(sorted(FURNITURE)):
        if tag.find_parent(sorted(FURNITURE)) is None and tag.find_parent(sorted(INVISIBLE)) is None:
            text = _visible_text(reader, tag)
            if text:
                dropped.append((f"<{tag.name}>", text))
    if root is not soup and root is not soup.body:
        dropped.extend(_outside(reader, soup.body or soup, root))
    return dropped


def _outside(reader: _Reader, body: Tag, root: Tag) -> list[tuple[str, str]]:
    """(where, text) of visible text in `body` outside `root`: the siblings of root and its parents."""
    found = []
    for parent in [root, *root.parents]:
        if parent is body or parent.parent is None:
            break
        for sibling in parent.parent.children:
            if sibling is parent or isinstance(sibling, _SKIPPED_STRINGS):
                continue
            if isinstance(sibling, Tag):
                text, where = _visible_text(reader, sibling), f"<{sibling.name}> outside <{root.name}>"
            else:
                text, where = _SPACE.sub(" ", str(sibling)).strip(), f"text outside <{root.name}>"
            if text:
                found.append((where, text))
    return found


def _describe(name: str, dropped: list[tuple[str, str]]) -> str:
    def quote(text: str) -> str:
        text = _SPACE.sub(" ", text).strip()
        return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"

    shown = "; ".join(f"{where}: {quote(text)}" for where, text in dropped[:5])
    more = f"; and {len(dropped) - 5} more" if len(dropped) > 5 else ""
    return (f"{name}: left out {len(dropped)} piece(s) of page text that are not part of the article "
            f"({shown}{more}); paste that text separately if it belongs to the article")


def html_blocks(text: str, name: str, whole_page: bool = False) -> tuple[list[Block], list[str]]:
    """The article's blocks, and warnings naming visible text that was left out. A whole web page
    gives only its story (page_story.py), unless `whole_page` asks for all its text."""
    soup = parse(text)
    reader = _Reader(text, soup)
    story = None if whole_page else page_story.choose(soup, text)
    if whole_page or story is not None:
        blocks = [block for element in (story.elements if story else [soup.body or soup])
                  for block in reader.blocks(element, furniture=whole_page, story=story)]
        dropped = []
    else:
        root = _root(reader, soup)
        dropped = _left_out(reader, soup, root)
        blocks = reader.blocks(root)
    if not any(b.kind == "title" for b in blocks) and soup.title and soup.title.get_text().strip():
        blocks.insert(0, Block("title", _SPACE.sub(" ", soup.title.get_text()).strip(), level=1, ref=TITLE_REF))
    warnings = [_describe(name, dropped)] if dropped else []
    if story is not None and story.left_out:
        warnings.append(page_story.report(name, story))
    if reader.overflow:
        warnings.append(too_much_formatting(name, reader.overflow))
    return blocks, warnings


def too_much_formatting(name: str, count: int) -> str:
    return (f"{name}: {count} piece(s) of inline formatting past the {inline.MAX_ID} a paragraph may hold "
            "were left out (their text is kept); split the paragraph if the formatting matters")
