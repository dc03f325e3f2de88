"""The story comes back as it went in (issue 20) for Markdown: imported, every segment "translated"
into its own source text through the translation service, and exported, a Markdown article renders
to the same HTML (markdown-it, the importer's parser) with the same list markers and numbering, and
reads back into the same blocks and codes."""

from __future__ import annotations

import re

import pytest
from pathlib import Path

from tests.conftest import _save_as as save_as  # the plain function behind the save_as fixture
from workbench.core import codes as inline
from workbench.core.formats.articles import markdown_parser, parse_article, read_article
from workbench.data import store
from workbench.services import articles, exports
from workbench.services.actor import Actor

SAMPLE = Path(__file__).parent / "data" / "fidelity" / "story.md"
EDITOR = Actor.person({"name": "ed", "role": "translator"})


def rendered(text: str) -> str:
    """The Markdown as HTML, whitespace runs one space and none between tags (a soft line break
    inside a paragraph is the space it shows as)."""
    html = markdown_parser().render(text)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def tokens(text: str) -> list[tuple]:
    """The token stream without source positions: type, tag, markup, attributes, inline children."""
    out = []
    for token in markdown_parser().parse(text):
        children = [(c.type, c.markup, c.content if c.type != "softbreak" else "", sorted(c.attrs.items()))
                    for c in token.children or []]
        # a soft line break is a space in the text: join the text pieces around it
        joined: list[tuple] = []
        for child in children:
            if child[0] == "softbreak":
                child = ("text", "", " ", [])
            if joined and child[0] == "text" and joined[-1][0] == "text":
                joined[-1] = ("text", "", joined[-1][2] + child[2], [])
            else:
                joined.append(child)
        out.append((token.type, token.tag, token.markup, token.info, sorted(token.attrs.items()), joined))
    return out


def blocks_of(doc) -> list[tuple]:
    return [(b.kind, b.level, b.attrs, b.text, {k: m.to_json() for k, m in b.codes.items()}) for b in doc.blocks]


def _article(db) -> int:
    return articles.create_article(db, EDITOR, read_article(SAMPLE))["article"]


def test_markdown_round_trip_gives_back_the_same_document(db):
    article_id = _article(db)
    for segment in store.segments(db, article_id):
        save_as(db, segment["id"], "az", segment["text"], base_version=0, user="ed")
    exported = exports.export(db, article_id, "az", "md").text
    original = SAMPLE.read_text(encoding="utf-8")
    assert rendered(exported) == rendered(original)
    assert tokens(exported) == tokens(original)
    assert blocks_of(parse_article(exported.encode(), SAMPLE.name)) == blocks_of(read_article(SAMPLE))
    # the same markers and numbering as the source, line by line
    markers = re.compile(r"^[ \t]*(?:[-+*]|\d+[.)]) ", re.M)
    assert markers.findall(exported) == markers.findall(original)
    assert "## Deal reached!" in exported and "```\ncode is copied as it is\n```" in exported


def test_every_inline_element_of_the_sample_survives(db):
    article_id = _article(db)
    for segment in store.segments(db, article_id):
        save_as(db, segment["id"], "az", segment["text"], base_version=0, user="ed")
    exported = exports.export(db, article_id, "az", "md").text
    kinds = ("strong_open", "em_open", "link_open", "code_inline", "hardbreak", "s_open", "image")

    def inline_tokens(text):
        return [(c.type, c.markup, sorted(c.attrs.items())) for t in markdown_parser().parse(text)
                for c in t.children or [] if c.type in kinds]

    before = inline_tokens(SAMPLE.read_text(encoding="utf-8"))
    assert len(before) == 10 and inline_tokens(exported) == before


def test_a_translation_that_moves_the_link_keeps_its_url(db):
    article_id = _article(db)
    [segment] = [s for s in store.segments(db, article_id) if "Baku" in inline.plain(s["text"])
                 and "ministers" in s["text"]]
    paragraph = store.paragraphs(db, article_id)[segment["paragraph_idx"]]
    ids = {mark["type"]: int(n) for n, mark in paragraph["codes"].items()}
    a, b, code, i = ids["a"], ids["b"], ids["code"], ids["i"]
    o, c = inline.open_char, inline.close_char
    target = (f"{o(b)}BAKU{c(b)} — {o(code)}code_span{c(code)} qeydləri və {o(i)}kursiv{c(i)} sözlərlə "
              f"nazirlər {o(a)}Bakıda{c(a)} görüşdülər.")
    save_as(db, segment["id"], "az", target, base_version=0, user="ed")
    exported = exports.export(db, article_id, "az", "md").text
    assert ("**BAKU** — `code_span` qeydləri və _kursiv_ sözlərlə nazirlər "
            '[Bakıda](https://example.com/baku "The capital") görüşdülər.') in exported
    assert '<a href="https://example.com/baku" title="The capital">Bakıda</a>' in markdown_parser().render(exported)


def test_translated_text_is_escaped_but_the_markup_is_not(db):
    article_id = _article(db)
    [segment] = [s for s in store.segments(db, article_id) if inline.plain(s["text"]) == "a joint exercise"]
    save_as(db, segment["id"], "az", "birgə *təlim* [x](y) <b>", base_version=0, user="ed")
    exported = exports.export(db, article_id, "az", "md").text
    assert "- birgə \\*təlim\\* \\[x\\](y) \\<b\\>\n" in exported


def test_html_export_of_a_markdown_article_has_its_structure(db):
    from bs4 import BeautifulSoup

    article_id = _article(db)
    page = BeautifulSoup(exports.export(db, article_id, "az", "html").text, "html.parser")
    assert page.h1.get_text() == "Talks end in Baku" and page.html["lang"] == "az"
    assert [h.get_text() for h in page.find_all("h2")] == ["Deal reached!"]
    assert [ol.get("start") for ol in page.find_all("ol")] == [None, None, "7"]
    assert page.find("ul").find("ul") is not None  # the nested + list inside the - list
    assert page.find("a", href="https://example.com/baku")["title"] == "The capital"
    assert page.find("code").get_text() == "code_span" and page.find("br") is not None
    assert [c.get_text() for c in page.table.find_all(["th", "td"])] == ["Country", "Troops", "Azerbaijan",
                                                                          "1,200", "Turkey", "800"]
    assert page.pre.get_text() == "code is copied as it is"


def test_an_html_block_comes_back_with_its_translation_inside():
    text = "# Talks\n\n<div class=\"lede\">Ministers met on <b>Monday</b>.</div>\n\nEnd.\n"
    doc = parse_article(text.encode(), "story.md")
    assert doc.blocks[1].attrs["html_source"] == '<div class="lede">Ministers met on <b>Monday</b>.</div>'
    exported = _core_round_trip(text)
    assert exported == text


def test_txt_export_of_a_markdown_article_is_its_plain_text(db):
    article_id = _article(db)
    text = exports.export(db, article_id, "az", "txt").text
    assert text.splitlines()[:3] == ["Talks end in Baku", "By Jane Doe",
                                     "BAKU — The ministers met in Baku with code_span notes and italic words."]
    assert "A line after a hard break." in text.splitlines()
    assert not inline.has_codes(text)


def _core_round_trip(text: str, fmt: str = "md") -> str:
    """import → targets = sources → export, without the database (the writer as the service calls it)."""
    from workbench.core.formats.articles import segment_doc
    from workbench.core.formats.export import export_article

    doc = parse_article(text.encode(), "edge.md")
    found = segment_doc(doc)
    paragraphs = [{"idx": p.index, "start": p.start, "end": p.end, "kind": p.kind, "level": p.level,
                   "attrs": p.attrs, "codes": p.codes, "ref": p.ref} for p in found.paragraphs]
    segments = [{"id": s.index, "paragraph_idx": s.paragraph, "start": s.start, "end": s.end, "text": s.text}
                for s in found.segments]
    same = {s["id"]: {"text": s["text"], "status": "edited"} for s in segments}
    return export_article({"source_text": found.source, "title": doc.title, "format": "md"}, paragraphs, segments,
                          same, fmt, "az")


EDGES = [
    "Setext title\n============\n\n- loose one\n\n- loose two\n\n  second para of two\n\n  ```js\n  let x = 1;\n"
    "  ```\n- loose three\n\n***\n\n1. one\n\n   para in one\n2. two\n",
    "> quote\n> - in list\n>   > nested quote\n>\n> after\n\n3. starts at three\n4. four\n",
    "Text with \\*stars\\*, &amp; entity, <http://auto.link>, ![pic](a.png \"T\"), <kbd>Ctrl</kbd> and ~~gone~~.\n\n"
    "| a | b |\n|---|---|\n|   | only b |\n\n    indented code\n",
    "Para with `` code ` tick `` and a [link <with> (parens)](<http://x.org/a b> \"Say \\\"hi\\\"\") and\n"
    "a softbreak, *nested **strong** inside*.\n\n- a\n  - b\n    - c\n- d\n  > quoted in item\n\n10. ten\n11. eleven\n\n"
    "Line one  \nLine two.\n\n> # Heading in quote\n> text\n\n## Heading ending with bang!\n",
    "# Talks\n\n<div class=\"lede\">Ministers met on <b>Monday</b>.</div>\n\n<figure><img src=\"a.jpg\">"
    "<figcaption>The delegations.</figcaption></figure>\n\n<!-- editor note -->\n\n- item with\n  <p>html inside</p>\n",
]


@pytest.mark.parametrize("text", EDGES)
def test_markdown_edge_cases_come_back_the_same(text):
    """Loose lists, quotes holding lists, code in items, setext headings, empty table cells,
    autolinks, images, inline HTML, HTML blocks (written back with their text in place)."""
    exported = _core_round_trip(text)
    assert rendered(exported) == rendered(text)
    assert blocks_of(parse_article(exported.encode(), "edge.md")) == blocks_of(parse_article(text.encode(), "edge.md"))
