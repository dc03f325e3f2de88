"""Article import (txt, md, html, docx) and export (txt, md, html)."""

import io

import pytest

from workbench.core.codes import plain
from workbench.data import store
from workbench.core.formats.articles import ArticleReadError, parse_article, read_article
from workbench.core.formats.export import export_article
from workbench.core.segment import segment_text

TXT = "Baku talks end\nBy Jane Doe\nThe talks ended on Nov. 10.\u00a0Both sides agreed.\n“Peace,” he said.\n"


def test_txt_keeps_text_title_byline_and_special_characters():
    doc = parse_article(b"\xef\xbb\xbf" + TXT.encode(), "a.txt")
    assert doc.text == TXT  # BOM gone, curly quotes and the no-break space kept
    assert (doc.title, doc.byline, doc.format) == ("Baku talks end", "By Jane Doe", "txt")


def test_markdown_headings_and_markup():
    md = "# Baku talks end\n\n*By Jane Doe*\n\nThe **talks** ended in [Baku](http://x).\nA second line.\n\n## Background\n\nText.\n"
    doc = parse_article(md.encode(), "a.md")
    assert doc.title == "Baku talks end"
    assert plain(doc.text).splitlines() == ["Baku talks end", "By Jane Doe",
                                            "The talks ended in Baku. A second line.", "Background", "Text."]
    assert doc.byline == "By Jane Doe"


def test_html_article_with_byline_class_and_scripts_removed():
    html = """<html><head><title>Site</title><script>alert(1)</script></head><body>
    <nav><p>Menu</p></nav><article><h1>Baku talks end</h1><p class="byline">By Jane Doe</p>
    <p>The talks ended.&nbsp;Both <b>sides</b> agreed.</p><ul><li>One point.</li></ul></article></body></html>"""
    doc = parse_article(html.encode(), "a.html")
    assert doc.title == "Baku talks end" and doc.byline == "By Jane Doe"
    assert plain(doc.text).splitlines() == ["Baku talks end", "By Jane Doe",
                                            "The talks ended.\u00a0Both sides agreed.", "One point."]


def test_docx_paragraphs_and_title_style():
    import docx

    document = docx.Document()
    document.add_heading("Baku talks end", level=1)
    document.add_paragraph("By Jane Doe")
    document.add_paragraph("The talks ended. Both sides agreed.")
    buffer = io.BytesIO()
    document.save(buffer)
    doc = parse_article(buffer.getvalue(), "a.docx")
    assert doc.title == "Baku talks end" and doc.byline == "By Jane Doe"
    assert doc.text.splitlines()[2] == "The talks ended. Both sides agreed."


@pytest.mark.parametrize("data,name,message", [
    (b"caf\xe9 ok\nline two \xff", "bad.txt", "bad.txt: line 1: not valid UTF-8"),
    (b"hello", "notes.pdf", "unknown article format '.pdf'"),
    (b"not a zip", "broken.docx", "broken.docx: not a readable .docx"),
    (b"  \n\n", "empty.txt", "holds no text"),
])
def test_unreadable_files_get_a_clear_error(data, name, message):
    with pytest.raises(ArticleReadError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_article(data, name)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(ArticleReadError, match="nope.txt: cannot read the file"):
        read_article(tmp_path / "nope.txt")


def _article(db, text):
    seg = segment_text(text)
    article_id = store.create_article(db, title="t", byline=None, filename="a.txt", fmt="txt",
                                      segmentation=seg)
    return article_id, store.segments(db, article_id)


def _export(db, article_id, fmt, lang="az"):
    return export_article(store.get_article(db, article_id), store.paragraphs(db, article_id),
                          store.segments(db, article_id),
                          store.article_translations(db, article_id, lang), fmt, lang)


def test_export_keeps_layout_and_falls_back_to_source(db):
    article_id, segments = _article(db, "Baku talks\n\nOne. <Two>.\n--\nEnd.\n")
    store.save_translation(db, segments[0]["id"], "az", "Bakı danışıqları", base_version=0, user="u")
    store.save_translation(db, segments[1]["id"], "az", "Bir.", base_version=0, user="u")
    assert _export(db, article_id, "txt") == "Bakı danışıqları\n\nBir. <Two>.\n--\nEnd.\n"
    assert _export(db, article_id, "md") == "# Bakı danışıqları\n\nBir. \\<Two\\>.\n\n---\n\nEnd.\n"
    html = _export(db, article_id, "html")
    assert '<html lang="az">' in html and "<h1>Bakı danışıqları</h1>" in html
    assert '<span class="untranslated" lang="en" title="not translated yet">&lt;Two&gt;.</span>' in html
    assert "<hr>" in html


def test_markdown_export_is_the_text_not_markup(db):
    """A translation holding HTML or Markdown syntax reads as that text where the export is rendered."""
    from markdown_it import MarkdownIt

    from workbench.core.formats.articles import parse_article

    article_id, segments = _article(db, "Talks\nOne.\nTwo.\nThree.\n")
    texts = ["<script>alert(2)</script> <img src=x onerror=y>", "# 1. *not* [a](link) & `code`", "- 3) > quote"]
    for segment, text in zip(segments[1:], texts):
        store.save_translation(db, segment["id"], "az", text, base_version=0, user="u")
    exported = _export(db, article_id, "md")
    rendered = MarkdownIt("commonmark").render(exported)
    assert "<script>" not in rendered and "<img" not in rendered and "<em>" not in rendered
    assert "<h1>Talks</h1>" in rendered and "<ul>" not in rendered and "<blockquote>" not in rendered
    back = parse_article(exported.encode(), "back.md").text.splitlines()
    assert back == ["Talks", *texts]
