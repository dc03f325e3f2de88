"""The text of an HTML article as (kind, text) blocks, with a report of the visible text left out.

CMS pages put their copy in divs, tables, lists, figures and captions as often as in <p>, so every
block-level element is a paragraph boundary and every piece of text inside the article lands in
some block. Inline markup (<b>, <a>, <span> ...) never adds or removes a space: `<b>May 5</b>.`
reads "May 5.". What is not imported is left out on purpose and, when a reader would have seen it,
reported: invisible content (script, style, template, noscript, hidden elements) silently; page
furniture (nav, footer, aside, forms, and everything outside the <article> or <main> when the page
has one) as a warning that quotes what was dropped.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.element import CData, Declaration

from workbench.core.formats import page_story

# Never visible in a browser: left out without a word.
INVISIBLE = {"script", "style", "noscript", "template", "head", "meta", "link", "svg", "math",
             "iframe", "object", "embed", "canvas", "video", "audio", "map", "datalist", "select",
             "option", "textarea", "input"}
# Visible, but page furniture rather than the article: left out and reported.
FURNITURE = {"nav", "footer", "aside", "form", "button", "dialog", "menu"}
# Block-level elements: each starts and ends a paragraph.
BLOCKS = {"address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dir",
          "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
          "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main", "ol", "p", "pre", "section",
          "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br", "body",
          "html", "noscript", "option", "output", "search", "nav", "menu", "form"}
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_SPACE = re.compile(r"[ \t\r\n\f]+")  # HTML whitespace; a no-break space is text and stays
_SKIPPED_STRINGS = (Comment, Doctype, Declaration, ProcessingInstruction, CData)
_LEAVE_BLOCK = object()  # a marker on the walker's stack: the block element ends here


def _is_hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or (
        re.search(r"display\s*:\s*none", tag.get("style") or "") is not None)


class _Collector:
    """Walks the tree once, flushing the inline text gathered so far at every block boundary."""

    def __init__(self):
        self.blocks: list[tuple[str, str]] = []
        self.parts: list[str] = []
        self.kinds: list[str] = ["body"]
        self.story: page_story.Story | None = None  # a whole page: the blocks inside the story to skip

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.parts)).strip(" ")
        self.parts = []
        if text.strip():
            kind = self.kinds[-1]
            if kind == "title" and any(k == "title" for k, _ in self.blocks):
                kind = "heading"
            self.blocks.append((kind, text))

    def walk(self, node: Tag, pre: bool = False) -> None:
        """Visit the children of `node`, with an explicit stack: hostile pages nest thousands deep."""
        self._run([(child, pre) for child in reversed(list(node.children))])

    def element(self, tag: Tag, pre: bool) -> None:
        self._run([(tag, pre)])

    def _run(self, stack: list) -> None:
        while stack:
            node, pre = stack.pop()
            if node is _LEAVE_BLOCK:
                self.flush()
                self.kinds.pop()
            elif isinstance(node, _SKIPPED_STRINGS):
                continue
            elif isinstance(node, NavigableString):
                self._text(str(node), pre)
            elif isinstance(node, Tag):
                name = node.name.lower()
                if name in INVISIBLE or _is_hidden(node) or (self.story and self.story.skips(node)):
                    continue
                if name == "hr":
                    self.flush()
                    self.blocks.append(("separator", "--"))
                    continue
                pre_inside = pre or name == "pre"
                if name in BLOCKS:
                    self.flush()
                    self.kinds.append(self._kind(node))
                    stack.append((_LEAVE_BLOCK, pre))
                stack.extend((child, pre_inside) for child in reversed(list(node.children)))

    def _text(self, text: str, pre: bool) -> None:
        if not pre:
            self.parts.append(text)
            return
        for i, line in enumerate(text.split("\n")):  # preformatted text: each line is a paragraph
            if i:
                self.flush()
            self.parts.append(line)

    def _kind(self, tag: Tag) -> str:
        classes = " ".join(tag.get("class") or []).lower()
        if tag.name == "h1":
            return "title"
        if tag.name in HEADINGS:
            return "heading"
        if "byline" in classes or "author" in classes:
            return "byline"
        return self.kinds[-1] if self.kinds[-1] == "byline" else "body"


def _visible_text(tag: Tag) -> str:
    collector = _Collector()
    collector.element(tag, False)
    collector.flush()
    return " ".join(text for kind, text in collector.blocks if kind != "separator")


def _root(soup: BeautifulSoup) -> Tag:
    """The article itself when the page marks it (the first <article>, else <main>), else the body."""
    for name in ("article", "main"):
        found = soup.find(name)
        if found is not None and _visible_text(found).strip():
            return found
    return soup.body or soup


def _left_out(soup: BeautifulSoup, root: Tag) -> list[tuple[str, str]]:
    """(where, text) for each piece of visible text that is not imported."""
    dropped: list[tuple[str, str]] = []
    for tag in root.find_all(sorted(FURNITURE)):
        if tag.find_parent(sorted(FURNITURE)) is None and tag.find_parent(sorted(INVISIBLE)) is None:
            text = _visible_text(tag)
            if text:
                dropped.append((f"<{tag.name}>", text))
    if root is not soup and root is not soup.body:
        dropped.extend(_outside(soup.body or soup, root))
    return dropped


def _outside(body: Tag, root: Tag) -> list[tuple[str, str]]:
    """(where, text) of visible text in `body` outside `root`: the siblings of root and its parents."""
    found = []
    for parent in [root, *root.parents]:
        if parent is body or parent.parent is None:
            break
        for sibling in parent.parent.children:
            if sibling is parent or isinstance(sibling, _SKIPPED_STRINGS):
                continue
            if isinstance(sibling, Tag):
                text, where = _visible_text(sibling), f"<{sibling.name}> outside <{root.name}>"
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


def html_blocks(text: str, name: str, whole_page: bool = False) -> tuple[list[tuple[str, str]], list[str]]:
    """(kind, text) blocks of the article, and warnings naming visible text that was left out. A whole
    web page gives only its story (page_story.py), unless `whole_page` asks for all its text."""
    soup = BeautifulSoup(text, "html.parser")
    if whole_page or (story := page_story.choose(soup, text)) is not None:
        return _story_blocks(soup, story if not whole_page else None, name)
    root = _root(soup)
    dropped = _left_out(soup, root)
    collector = _Collector()
    for tag in root.find_all(sorted(FURNITURE)):
        tag.decompose()
    if isinstance(root, Tag) and root.name != "[document]":
        collector.element(root, False)
    else:
        collector.walk(root)
    collector.flush()
    blocks = collector.blocks
    if not any(k == "title" for k, _ in blocks) and soup.title and soup.title.get_text().strip():
        blocks.insert(0, ("title", _SPACE.sub(" ", soup.title.get_text()).strip()))
    return blocks, [_describe(name, dropped)] if dropped else []


def _story_blocks(soup: BeautifulSoup, story: page_story.Story | None, name: str):
    """The blocks of a page's story (walked from the page's own elements), or, without a story,
    every visible block of the page; the warning naming what the story left out."""
    collector = _Collector()
    collector.story = story
    for element in story.elements if story else [soup.body or soup]:
        if element.name == "[document]":
            collector.walk(element)
        else:
            collector.element(element, False)
        collector.flush()
    blocks = collector.blocks
    if not any(k == "title" for k, _ in blocks) and soup.title and soup.title.get_text().strip():
        blocks.insert(0, ("title", _SPACE.sub(" ", soup.title.get_text()).strip()))
    return blocks, [page_story.report(name, story)] if story and story.left_out else []
