"""HTML article import: every visible text block of the article is kept, inline markup adds no
space, and visible text that is left out on purpose (page furniture) is reported."""

from pathlib import Path

from workbench.core.codes import plain
from workbench.core.formats.articles import parse_article, read_article

NEWS_PAGE = Path(__file__).parent / "data" / "news-page.html"


def test_audit_case_divs_and_table_cells_are_not_dropped():
    html = ("<div>Para one.</div><div>Para two.</div><p>Only p.</p>"
            "<table><tr><td>Cell text.</td></tr></table>")
    doc = parse_article(html.encode(), "a.html")
    assert plain(doc.text).splitlines() == ["Para one.", "Para two.", "Only p.", "Cell text."]
    assert doc.warnings == []


def test_inline_markup_adds_no_space():
    doc = parse_article(b"<p>Talks end on <b>May 5</b>. They <a href='/x'>met</a>,"
                        b"<i>twice</i>; <span>de</span><em>fence</em>.</p>", "pasted.html", "html")
    assert plain(doc.text) == "Talks end on May 5. They met,twice; defence.\n"


def test_real_world_news_page_keeps_every_block_and_reports_furniture():
    doc = read_article(NEWS_PAGE)
    lines = plain(doc.text).splitlines()
    assert doc.title == "Defence ministers meet in Baku"
    assert doc.byline == "By Jane Doe and Elvin Aliyev"
    for expected in [
        "Security",  # a kicker in a div
        "Delegations at the talks in Baku on May 5. Photo: Courier",  # figcaption, inline markup
        "The ministers met on Tuesday for three hours.",  # div paragraphs
        "Loose text directly in the story body.",  # text directly inside a div between blocks
        "They agreed on three points:",
        "a joint exercise in June;", "a hotline between the staffs;", "a second meeting in Ankara.",
        "“We will meet again,” the minister said.",  # blockquote > p: once, not twice
        "Troops taking part", "Country", "Azerbaijan", "1,200", "Turkey", "800",  # table
        "Background",
    ]:
        assert lines.count(expected) == 1, (expected, lines)
    # a <br> is an inline code inside its block now, not a block boundary
    assert lines.count("The two armies last trained together in 2024.The exercise was held near Ganja.") == 1
    text = doc.text
    for never in ["dataLayer", "font-family", "Subscribe", "Template text", "Enable JavaScript",
                  "Politics", "All rights reserved", "Earlier talks"]:
        assert never not in text
    # Invisible content goes silently; visible page furniture is named and quoted.
    [warning] = doc.warnings
    assert warning.startswith("news-page.html: left out 4 piece(s) of page text")
    for quoted in ["<aside>: “Related Earlier talks in Tbilisi”", "World Politics Sport",
                   "© 2026 The Caspian Courier. All rights reserved."]:
        assert quoted in warning
    for silent in ["Subscribe", "Template", "JavaScript", "dataLayer"]:
        assert silent not in warning


def test_page_without_article_element_imports_the_body_and_reports_nav():
    html = "<body><nav>Home | World</nav><div>First.</div><div><div>Nested <b>deep</b>.</div></div></body>"
    doc = parse_article(html.encode(), "a.html")
    assert plain(doc.text).splitlines() == ["First.", "Nested deep."]
    assert len(doc.warnings) == 1 and "<nav>: “Home | World”" in doc.warnings[0]


def test_cli_import_json_reports_what_was_left_out(cli):
    result = cli.json("import", str(NEWS_PAGE))
    assert result["segments"] > 20
    assert result["warnings"][0].startswith("news-page.html: left out 4 piece(s)")


def test_cli_import_of_a_clean_file_keeps_the_plain_shape(cli, tmp_path):
    path = tmp_path / "clean.html"
    path.write_text("<h1>Title</h1><div>Body.</div>", encoding="utf-8")
    assert set(cli.json("import", str(path))) == {"article", "segments", "paragraphs"}
    plain = cli("import", str(path))
    assert "Warning" not in plain.output


def test_cli_import_without_json_warns_on_stderr(cli):
    result = cli("import", str(NEWS_PAGE))
    assert "Warning: news-page.html: left out 4 piece(s)" in result.stderr


def test_deeply_nested_html_is_read_without_recursion():
    depth = 5000  # a recursive walk fails past about 300
    html = "<article>" + "<div><span>" * depth + "Deep <b>text</b>." + "</span></div>" * depth + "</article>"
    assert plain(parse_article(html.encode(), "deep.html").text) == "Deep text.\n"
