"""Which elements of a saved web page are the story, so an HTML import takes only those.

A whole news page (navigation, header, footer, asides, share bars, related links, cookie notices,
newsletter boxes, comments) holds the story somewhere inside. A maintained extractor, trafilatura
(chosen by measurement: bench/page_extraction.py, docs/benchmarks.md), reads the page and gives the
story's text, but without headings, links or formatting. So the extractor only DECIDES: each
block of the original page whose own text is in the extracted text is story, and the HTML walker
(html_text.py) then walks those blocks, with their own markup, from the original tree.

On top of the extractor's decision, three small rules written here (measured in the same bench):
the headline (the <h1> the extractor names as the title) is kept; a standfirst or a caption inside
the story's own container is kept (extractors leave out figcaptions and standfirsts); and a block
inside a container named as furniture (newsletter, share, related, advert, comments, cookie ...)
is left out even when the extractor kept it.

A page that is not a whole page (no landmark such as <nav>, <header>, <footer>, <aside> or a
div named so, or little text) is imported as before: `choose` returns None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

# Elements whose text a browser never shows (the walker skips them too).
_INVISIBLE = {"script", "style", "noscript", "template", "head", "meta", "link", "svg", "math",
              "iframe", "object", "embed", "canvas", "video", "audio", "map", "datalist", "select",
              "option", "textarea", "input", "title"}
# Elements that start and end a block of text (as the walker reads them).
_BLOCKS = {"address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dir",
           "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
           "h5", "h6", "header", "hgroup", "legend", "li", "main", "ol", "p", "pre", "section",
           "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "body", "html",
           "nav", "menu", "form", "dialog"}
_LANDMARK_TAGS = {"nav", "header", "footer", "aside"}
_LANDMARK_ROLES = {"navigation", "banner", "contentinfo", "complementary"}
# A token of a class or id that names page furniture (split on - _ and spaces, lower case).
_FURNITURE_WORDS = {
    "nav", "navigation", "navbar", "menu", "footer", "sidebar", "masthead", "breadcrumb",
    "breadcrumbs", "cookie", "cookies", "consent", "gdpr", "onetrust", "share", "sharebar", "social",
    "related", "newsletter", "signup", "subscribe", "promo", "pagepromo", "ad", "ads", "advert",
    "advertisement", "epic", "contributions", "comments", "comment", "discussion", "tags", "submeta",
    "onwards", "popular", "trending", "widget", "toolbar"}
_STANDFIRST_WORDS = {"standfirst", "subtitle", "subheadline", "dek", "summary", "intro", "lede",
                     "deck", "strapline"}
_BYLINE_WORDS = {"byline", "author", "authors", "contributor"}
_CAPTION_WORDS = {"caption", "figcaption", "photo", "image", "media", "credit", "infodescription"}
_WORDS = re.compile(r"[^a-z0-9]+")
_SPACE = re.compile(r"\s+")
MIN_PAGE_CHARS = 500  # a page with less visible text than this is a fragment, imported whole
# Real news pages nest 20-60 elements deep. The matching below walks each block's ancestors, so a
# page nested deeper (a hostile file) is imported as before, by the walker alone.
MAX_DEPTH = 200


@dataclass
class Story:
    """The story's blocks (none inside another, in page order) and what was left out."""

    elements: list[Tag]
    skipped: set[int] = field(default_factory=set)  # id() of blocks inside `elements` to skip
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (where, text) per region

    def skips(self, tag: Tag) -> bool:
        return id(tag) in self.skipped


def _norm(text: str) -> str:
    """Text compared between the extractor and the page: quotes, dashes and spaces made one."""
    text = text.replace("\u00a0", " ").translate(str.maketrans("‘’“”–—", "''\"\"--"))
    return _SPACE.sub(" ", text).strip().lower()


def _tokens(tag: Tag) -> set[str]:
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    names += " " + str(tag.get("data-component") or "") + " " + str(tag.get("data-gu-name") or "")
    return {word for word in _WORDS.split(names.lower()) if word}


def _hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or (
        re.search(r"display\s*:\s*none", str(tag.get("style") or "")) is not None)


def _visible_tags(root: Tag):
    """Every visible element under `root` in page order (an explicit stack: pages nest deep)."""
    stack = [child for child in reversed(root.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if tag.name in _INVISIBLE or _hidden(tag):
            continue
        yield tag
        stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))


def own_text(tag: Tag) -> str:
    """The text a block holds itself: not that of blocks nested inside it."""
    parts, stack = [], list(reversed(tag.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag):
            if node.name in _INVISIBLE or _hidden(node) or node.name in _BLOCKS:
                continue
            if node.name == "br":
                parts.append(" ")
            stack.extend(reversed(node.contents))
    return _SPACE.sub(" ", "".join(parts)).strip()


def whole_text(tag: Tag) -> str:
    """All the visible text of an element, in page order."""
    parts, stack = [], [tag]
    while stack:
        node = stack.pop()
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name not in _INVISIBLE and not _hidden(node):
            if node.name in _BLOCKS or node.name == "br":
                parts.append(" ")
            stack.extend(reversed(node.contents))
    return _SPACE.sub(" ", "".join(parts)).strip()


def _depth_over(root: Tag, limit: int) -> bool:
    stack = [(child, 1) for child in root.contents if isinstance(child, Tag)]
    while stack:
        tag, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in tag.contents if isinstance(child, Tag))
    return False


def is_whole_page(soup: BeautifulSoup) -> bool:
    """A saved page rather than an article fragment: it has page landmarks and some length."""
    body = soup.body or soup
    if _depth_over(body, MAX_DEPTH):
        return False
    marked = False
    for tag in _visible_tags(body):
        if (tag.name in _LANDMARK_TAGS and not tag.find_parent(("article", "figure", "blockquote"))) or (
                str(tag.get("role") or "") in _LANDMARK_ROLES) or (
                _tokens(tag) & {"nav", "navigation", "menu", "header", "footer", "sidebar", "masthead",
                                "cookie", "consent"}):
            marked = True
            break
    return marked and len(whole_text(body)) >= MIN_PAGE_CHARS


def extracted_text(html: str) -> tuple[str, list[str]]:
    """(title, paragraphs) of the story as trafilatura reads the page."""
    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                        include_tables=True, favor_precision=False)
    if found is None:
        return "", []
    return found.title or "", [line for line in (found.text or "").splitlines() if line.strip()]


def decide(soup: BeautifulSoup, title: str, paragraphs: list[str]) -> Story | None:
    """Map the extractor's story text back onto the page's blocks, with the rules in the module doc."""
    body = soup.body or soup
    blocks = [(tag, own_text(tag)) for tag in _visible_tags(body) if tag.name in _BLOCKS]
    blocks = [(tag, text) for tag, text in blocks if text]
    if not blocks:
        return None
    lines = [_norm(cell) for p in paragraphs for cell in _cells(p) if _norm(cell)]
    joined = "\n".join(lines)
    chosen: list[Tag] = []
    for tag, text in blocks:
        if _matches(_norm(text), lines, joined) and not _in_furniture(tag, body):
            chosen.append(tag)
    headline = _headline(body, title)
    if headline is not None and all(headline is not tag for tag in chosen):
        chosen.append(headline)
    if not chosen:
        return None
    region = _region(chosen, body)
    ids = {id(tag) for tag in chosen}
    for tag, text in blocks:
        if id(tag) in ids or _in_furniture(tag, body) or not _inside(tag, region):
            continue
        words = _tokens(tag) | {t for p in tag.parents if p is not region and _inside(p, region)
                                for t in _tokens(p)}
        if tag.name in ("figcaption", "caption") or words & (_CAPTION_WORDS | _BYLINE_WORDS) or (
                len(text) >= 15 and words & _STANDFIRST_WORDS and _before_body(tag, chosen, headline)):
            chosen.append(tag)
            ids.add(id(tag))
    top = _whole_parts(body, blocks, ids)
    taken = {id(tag) for tag in top}
    skipped = {id(tag) for tag, _ in blocks if id(tag) not in ids
               and any(id(p) in taken for p in tag.parents)}
    return Story(top, skipped, _left_out(body, taken, skipped))


def _whole_parts(body: Tag, blocks: list[tuple[Tag, str]], chosen: set[int]) -> list[Tag]:
    """The largest elements holding story blocks only (a whole list, quote, table or article, so
    the walker reads them with their context: list levels, quotes, bylines), in page order; a story
    block holding other blocks too (text between <br>s with an ad inside) is taken as it is."""
    impure: set[int] = set()  # holds, or is, a block of text that is not story
    has_story: set[int] = set()
    for tag, _ in blocks:
        marks = has_story if id(tag) in chosen else impure
        for node in [tag, *tag.parents]:
            if id(node) in marks:
                break
            marks.add(id(node))
    found, stack = [], [child for child in reversed(body.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if id(tag) not in has_story:
            continue
        if id(tag) not in impure or id(tag) in chosen:
            found.append(tag)
        else:
            stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))
    return found


def _cells(line: str) -> list[str]:
    """An extracted line as the page's blocks hold it: a list item without its "- ", a table row
    ("| a | b |") as its cells."""
    line = re.sub(r"^\s*[-*•]\s+", "", line)
    if line.strip().startswith("|"):
        return [cell for cell in line.split("|") if cell.strip(" -")]
    return [line]


def _matches(text: str, lines: list[str], joined: str) -> bool:
    """A block is story when its text is an extracted paragraph, lies within one (a long enough
    piece), or is mostly made of extracted paragraphs (a block split by <br>s)."""
    if not text:
        return False
    if text in lines or (len(text) >= 25 and text in joined):
        return True
    covered = sum(len(line) for line in lines if len(line) >= 25 and line in text)
    return covered >= 0.6 * len(text)


def _in_furniture(tag: Tag, body: Tag) -> bool:
    for node in [tag, *tag.parents]:
        if node is body or node.name in ("body", "html", "[document]"):
            return False
        if node.name in ("nav", "footer", "form", "dialog", "menu") or _tokens(node) & _FURNITURE_WORDS:
            return True
        if node.name == "aside" and not node.find_parent("blockquote"):
            return True
    return False


def _headline(body: Tag, title: str) -> Tag | None:
    """The <h1> that says the extractor's title (or the only <h1>)."""
    heads = [tag for tag in body.find_all("h1") if own_text(tag)]
    wanted = _norm(title)
    for tag in heads:
        text = _norm(own_text(tag))
        if wanted and (text == wanted or text in wanted or wanted in text):
            return tag
    return heads[0] if len(heads) == 1 else None


def _inside(tag: Tag, region: Tag) -> bool:
    return tag is region or any(p is region for p in tag.parents)


def _region(chosen: list[Tag], body: Tag) -> Tag:
    """The smallest element holding every chosen block: the story's container."""
    paths = [[tag, *tag.parents] for tag in chosen]
    for candidate in paths[0]:
        if all(any(candidate is node for node in path) for path in paths[1:]):
            return candidate
    return body


def _before_body(tag: Tag, chosen: list[Tag], headline: Tag | None) -> bool:
    """A standfirst sits after the headline and before most of the story."""
    first = next((c for c in chosen if c is not headline), None)
    return first is None or _position(tag) < _position(first) or headline is not None


def _position(tag: Tag) -> int:
    return sum(1 for _ in tag.find_all_previous())


def _left_out(body: Tag, story: set[int], skipped: set[int]) -> list[tuple[str, str]]:
    """(where, text) of each largest part of the page holding visible text and no story block, and
    of each block skipped inside the story's blocks."""
    found, stack = [], [(child, False) for child in reversed(body.contents)]
    while stack:
        node, inside = stack.pop()
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            text = _SPACE.sub(" ", str(node)).strip()
            if text and not inside:
                found.append(("text", text))
            continue
        if not isinstance(node, Tag) or node.name in _INVISIBLE or _hidden(node):
            continue
        if id(node) in story:
            stack.extend((child, True) for child in reversed(node.contents))
            continue
        if any(id(t) in story for t in node.find_all(True)) or (
                inside and not any(id(t) in skipped for t in [node, *node.find_all(True)])):
            stack.extend((child, inside) for child in reversed(node.contents))
            continue
        text = whole_text(node)
        if text:
            found.append((_describe_tag(node), text))
    return found


def _describe_tag(tag: Tag) -> str:
    if tag.name in _LANDMARK_TAGS | {"form", "dialog"}:
        return f"<{tag.name}>"
    if tag.get("class"):
        return f'<{tag.name} class="{" ".join(tag.get("class"))[:40]}">'
    return f'<{tag.name} id="{str(tag.get("id"))[:40]}">' if tag.get("id") else f"<{tag.name}>"


def report(name: str, story: Story) -> str:
    """The warning naming what the story import left out, briefly, for a person to check."""
    def quote(text: str) -> str:
        return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"

    parts = story.left_out
    shown = "; ".join(f"{where}: {quote(text)}" for where, text in parts[:8])
    more = f"; and {len(parts) - 8} more" if len(parts) > 8 else ""
    return (f"{name}: left out {len(parts)} piece(s) of page text that are not part of the story "
            f"({shown}{more}); if any of it belongs to the article, import the file again with "
            "“Import the whole page” (API: whole_page, command line: --whole-page)")


def choose(soup: BeautifulSoup, html: str, whole_page: bool = False) -> Story | None:
    """The story of a whole page, or None to import the file as it is (a fragment, a short page,
    `whole_page` asked for, or nothing the extractor could find)."""
    if whole_page or not is_whole_page(soup):
        return None
    title, paragraphs = extracted_text(html)
    if not paragraphs:
        return None
    return decide(soup, title, paragraphs)
