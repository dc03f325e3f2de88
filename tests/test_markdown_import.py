"""Markdown import loses no text without a word: raw HTML blocks are read as HTML, code blocks
are named in a warning, and nesting beyond markdown-it's limit (where it skips the text) is refused."""

from __future__ import annotations

import pytest

from workbench.core.errors import UserError
from workbench.core.codes import plain
from workbench.core.formats.articles import parse_article, segment_doc


def _read(text: str):
    return parse_article(text.encode(), "story.md")


def test_raw_html_blocks_are_read_as_html():
    doc = _read("# Talks in Baku\n\n<div class=\"lede\">Ministers met on Monday.</div>\n\n"
                "<figure><img src=\"a.jpg\"><figcaption>The delegations in Baku.</figcaption></figure>\n\n"
                "Talks went on.\n")
    assert doc.text == "Talks in Baku\nMinisters met on Monday.\nThe delegations in Baku.\nTalks went on.\n"
    assert doc.title == "Talks in Baku"


def test_html_furniture_inside_markdown_is_reported():
    doc = _read("Talks in Baku\n\n<nav>Home | World</nav>\n\nBody text.\n")
    assert "Home | World" not in doc.text
    assert any("Home | World" in w for w in doc.warnings)


def test_a_code_block_is_kept_as_preformatted_text_that_is_not_translated():
    doc = _read("Talks\n\n```py\nprint('x')\n```\n\n    indented code\n\nBody.\n")
    assert [(b.kind, b.text, b.attrs) for b in doc.blocks[1:3]] == [
        ("preformatted", "print('x')", {"translate": False, "fence": "```", "info": "py"}),
        ("preformatted", "indented code", {"translate": False, "indented": True})]
    assert doc.warnings == []
    segmentation = segment_doc(doc)
    assert [s.text for s in segmentation.segments] == ["Talks", "Body."]  # code is copied, not translated


@pytest.mark.parametrize("text", [("> " * 25) + "Deep text.\n\nTop text.\n",
                                  "- a\n" + "".join("  " * i + f"- item {i}\n" for i in range(1, 30))])
def test_text_nested_beyond_the_parsers_limit_is_refused_naming_the_line(text):
    with pytest.raises(UserError, match=r"story\.md: line \d+: quotes or lists nested more than 20 levels"):
        _read(text)


@pytest.mark.parametrize(("text", "expected"), [
    (("> " * 18) + "Deep text.\n\nTop text.\n", "Deep text.\nTop text.\n"),
    (">\n\nTop.\n", "Top.\n"),
    ("Title\n\n- \n1. \n- ---\n- item two\n", "Title\n--\nitem two\n"),
])
def test_deep_but_readable_nesting_and_empty_containers_are_read(text, expected):
    assert _read(text).text == expected


@pytest.mark.parametrize("marks", ["[", "[a", "*a ", "_"])
def test_a_file_of_costly_markup_is_refused_before_parsing(monkeypatch, marks):
    from markdown_it import MarkdownIt

    parsed = []
    monkeypatch.setattr(MarkdownIt, "parse", lambda self, text, env=None: parsed.append(text) or [])
    text = "Talks in Baku\n\nBody text.\n\n" + marks * 25_000
    with pytest.raises(UserError, match=r"story\.md: line 5: more than 20,000 Markdown link and emphasis "
                                        r"marks .* Import it as plain text \(\.txt\)"):
        _read(text)
    assert parsed == []  # refused by counting, never handed to the parser


def test_an_article_with_many_links_is_still_read():
    text = "# Talks in Baku\n\n" + "See [the ministry](https://example.com/a_b) on *gas*.\n\n" * 3900
    doc = _read(text)
    assert doc.title == "Talks in Baku" and plain(doc.text).count("See the ministry on gas.") == 3900
