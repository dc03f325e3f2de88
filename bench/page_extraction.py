"""Which extractor decides best what part of a saved news page is the story?

    uv run --group bench python bench/page_extraction.py [--pages DIR]

For every page in tests/data/pages/ (NAME.html, with the story a person would import in
NAME.story.txt: one block a line; lines starting "~ " are bylines and credits, neither story nor
noise) and for each extractor — trafilatura, readability-lxml, jusText, goose3 — two figures:

- raw: the extractor's own text output;
- import: the workbench's import with that extractor deciding (page_story.decide: the extractor's
  paragraphs matched back to the page's blocks, those walked from the original HTML).

recall = story sentences found in the imported text / story sentences (target ≥ 95 %);
noise  = characters of imported text that are neither story nor byline / all imported characters
(target ≤ 5 %). The import with trafilatura is what the workbench ships (page_story.py).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from pathlib import Path

import trafilatura
from bs4 import BeautifulSoup

from workbench.core import codes as inline
from workbench.core.formats import page_story
from workbench.core.formats.articles import parse_article

PAGES = Path(__file__).resolve().parent.parent / "tests" / "data" / "pages"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“A-Z0-9])")


def story_of(path: Path) -> tuple[list[str], list[str]]:
    """(story lines, neutral lines) of a page's NAME.story.txt."""
    story, neutral = [], []
    for line in path.with_suffix(".story.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("~ "):
            neutral.append(line[2:].strip())
        elif line.strip():
            story.append(line.strip())
    return story, neutral


def sentences(lines: list[str]) -> list[str]:
    return [s for line in lines for s in _SENTENCE_END.split(line) if s.strip()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", page_story._norm(text))


def measure(imported: str, story: list[str], neutral: list[str]) -> tuple[float, float]:
    """(sentence recall, noise share) of an imported text against the page's known story."""
    have = _squash(imported)
    wanted = sentences(story)
    recall = sum(1 for s in wanted if _squash(s) in have) / len(wanted)
    rest = have
    for line in sorted(story + neutral, key=len, reverse=True):
        rest = rest.replace(_squash(line), "")
    for s in sorted(sentences(story), key=len, reverse=True):  # a story sentence on its own
        rest = rest.replace(_squash(s), "")
    return recall, (len(rest) / len(have) if have else 0.0)


# --- the extractors: (title, paragraphs) of a page --------------------------------------------

def by_trafilatura(html: str) -> tuple[str, list[str]]:
    return page_story.extracted_text(html)


def by_readability(html: str) -> tuple[str, list[str]]:
    from readability import Document

    doc = Document(html)
    summary = BeautifulSoup(doc.summary(html_partial=True), "html.parser")
    lines = [page_story.own_text(tag) for tag in summary.find_all(True) if tag.name in page_story._BLOCKS]
    return doc.short_title(), [line for line in lines if line]


def by_justext(html: str) -> tuple[str, list[str]]:
    import justext

    found = justext.justext(html, justext.get_stoplist("English"))
    return "", [p.text for p in found if not p.is_boilerplate]


def by_goose(html: str) -> tuple[str, list[str]]:
    from goose3 import Goose

    with Goose({"enable_image_fetching": False}) as goose:
        article = goose.extract(raw_html=html)
    return article.title or "", [line for line in (article.cleaned_text or "").splitlines() if line.strip()]


def by_nothing(html: str) -> tuple[str, list[str]]:
    """No extractor: the import as it was before page_story (the walker alone: the <article> or
    <main>, else the body, less <nav>, <footer>, <aside> and forms)."""
    return "", []


EXTRACTORS = {"trafilatura": by_trafilatura, "readability-lxml": by_readability, "jusText": by_justext,
              "goose3": by_goose, "none (walker alone)": by_nothing}


def imported_with(html: str, title: str, paragraphs: list[str]) -> str:
    """The text the workbench imports when this extractor's output decides the story (no
    paragraphs: the import without a story, as before)."""
    shipped = page_story.extracted_text
    page_story.extracted_text = lambda _html: (title, paragraphs)
    try:
        return inline.plain(parse_article(html.encode("utf-8"), "page.html").text)
    finally:
        page_story.extracted_text = shipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    args = parser.parse_args()
    pages = sorted(args.pages.glob("*.html"))
    totals: dict[str, list] = {}
    print(f"{'page':24} {'extractor':17} {'raw recall':>10} {'raw noise':>9} {'import recall':>13} "
          f"{'import noise':>12} {'ms':>6}")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        story, neutral = story_of(page)
        for name, extract in EXTRACTORS.items():
            started = time.perf_counter()
            quiet = io.StringIO()
            stdout, sys.stdout = sys.stdout, quiet  # goose3 prints its own notices
            try:
                title, paragraphs = extract(html)
            finally:
                sys.stdout = stdout
            ms = (time.perf_counter() - started) * 1000
            raw = measure("\n".join([title, *paragraphs]) if name in ("goose3",) else "\n".join(paragraphs),
                          story, neutral)
            imp = measure(imported_with(html, title, paragraphs), story, neutral)
            totals.setdefault(name, []).append((*raw, *imp, ms))
            print(f"{page.stem:24} {name:17} {raw[0]:10.0%} {raw[1]:9.1%} {imp[0]:13.0%} {imp[1]:12.1%} {ms:6.0f}")
    print()
    print(f"{'all pages (mean, worst)':24} {'extractor':17} {'raw recall':>10} {'raw noise':>9} {'import recall':>13} "
          f"{'import noise':>12}")
    for name, rows in totals.items():
        cols = list(zip(*rows))
        print(f"{'':24} {name:17} {sum(cols[0]) / len(rows):6.0%} {min(cols[0]):3.0%} "
              f"{sum(cols[1]) / len(rows):5.1%} {max(cols[1]):3.0%} {sum(cols[2]) / len(rows):9.0%} {min(cols[2]):3.0%} "
              f"{sum(cols[3]) / len(rows):8.1%} {max(cols[3]):3.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
