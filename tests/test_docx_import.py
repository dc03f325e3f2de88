""".docx import: every paragraph (tables, text boxes), never media, zip bombs and entity tricks
refused before they inflate, limits from the instance settings."""

import io
import zipfile

import docx
import pytest

from tests.docx_parts import NS, body, make_docx, para, python_docx_bytes
from workbench.core.formats.articles import ArticleReadError, parse_article
from workbench.core.formats.docx_text import DocxLimits, docx_paragraphs

def test_tables_and_text_boxes_are_read_once_and_fallback_copies_skipped():
    xml = body(
        para("Headline", "Heading1")
        + '<w:p><w:r><w:t xml:space="preserve">Intro </w:t></w:r><w:hyperlink><w:r><w:t>continues</w:t></w:r></w:hyperlink></w:p>'
        + "<w:tbl><w:tr><w:tc>" + para("Cell one.") + "</w:tc><w:tc>" + para("Cell two.") + "</w:tc></w:tr></w:tbl>"
        + "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>"
        + para("Box text.") + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        + para("Box text.") + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        + "<w:r><w:t>Anchor paragraph.</w:t></w:r></w:p>"
        + "<w:p><w:r><w:t>Tab</w:t><w:tab/><w:t>and</w:t><w:br/><w:t>break.</w:t>"
        + "<w:delText>deleted</w:delText><w:instrText>HYPERLINK</w:instrText></w:r></w:p>")
    styles = (f'<w:styles {NS}><w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>')
    paragraphs = docx_paragraphs(make_docx(xml, {"word/styles.xml": styles}), "a.docx")
    assert paragraphs == [("title", "Headline"), ("body", "Intro continues"), ("body", "Cell one."),
                          ("body", "Cell two."), ("body", "Box text."), ("body", "Anchor paragraph."),
                          ("body", "Tab and break.")]


def test_localized_style_ids_are_told_by_their_names():
    styles = (f'<w:styles {NS}><w:style w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>'
              '<w:style w:styleId="Titel"><w:name w:val="Title"/></w:style></w:styles>')
    xml = body(para("Titel hier", "Titel") + para("Sub", "berschrift1") + para("Body."))
    doc = parse_article(make_docx(xml, {"word/styles.xml": styles}), "de.docx")
    assert doc.title == "Titel hier" and doc.text.splitlines() == ["Titel hier", "Sub", "Body."]


def test_same_paragraphs_as_python_docx_on_a_real_file():
    data = python_docx_bytes(50)
    expected = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert [text for _, text in docx_paragraphs(data, "a.docx")] == expected


def test_media_bomb_is_never_inflated(monkeypatch):
    # A real document plus a 200 MB zero-filled picture: only the XML parts holding text, styles,
    # list numbering and link targets may ever be opened, never media.
    source = python_docx_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            bomb.writestr(info, original.read(info))
        with bomb.open("word/media/image1.png", "w", force_zip64=True) as member:
            zeros = bytes(4 * 1024 * 1024)
            for _ in range(50):
                member.write(zeros)
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    opened = []
    real_open = zipfile.ZipFile.open

    def recording_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    doc = parse_article(data, "bomb.docx")
    assert doc.title == "Baku talks end"
    assert set(opened) <= {"word/document.xml", "word/styles.xml", "word/numbering.xml",
                           "word/_rels/document.xml.rels", "word/footnotes.xml", "word/endnotes.xml",
                           "word/comments.xml"}
    assert not any(name.startswith("word/media") for name in opened)


def test_document_xml_bomb_is_refused_before_inflating(monkeypatch):
    padding = " " * (40 * 1024 * 1024)  # compresses about 1000 to 1
    data = make_docx(body(para("Text.") + padding))
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open",
                        lambda self, name, *a, **k: opened.append(getattr(name, "filename", name))
                        or real_open(self, name, *a, **k))
    with pytest.raises(ArticleReadError, match=r"bomb\.docx: word/document\.xml is compressed [\d,]+ to 1.*zip bomb"):
        parse_article(data, "bomb.docx")
    assert "word/document.xml" not in opened  # refused from the zip's directory, nothing inflated


def test_a_header_that_understates_the_size_is_caught(monkeypatch):
    data = make_docx(body(para("x" * 5000)))
    real_getinfo = zipfile.ZipFile.getinfo

    def lying_getinfo(self, name):  # the central directory claims 10 bytes
        info = real_getinfo(self, name)
        if name == "word/document.xml":
            info.file_size = 10
        return info

    monkeypatch.setattr(zipfile.ZipFile, "getinfo", lying_getinfo)
    with pytest.raises(ArticleReadError, match=r"liar\.docx: not a readable \.docx file"):
        parse_article(data, "liar.docx")


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE w:document [<!ENTITY x "hello">]>',
    '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)) + "]>",
    '<!DOCTYPE w:document SYSTEM "file:///etc/passwd">',
])
def test_document_type_declarations_are_refused(doctype):
    xml = f'<?xml version="1.0"?>{doctype}<w:document {NS}><w:body>{para("&x;")}</w:body></w:document>'
    with pytest.raises(ArticleReadError, match="declares a document type"):
        parse_article(make_docx(xml), "laughs.docx")


@pytest.mark.parametrize("data,message", [
    (make_docx(body("<w:p><w:r><w:t>broken</w:r></w:p>")), r"line 1: the document's XML is broken"),
    (make_docx("not xml at all"), r"the document's XML is broken"),
    (b"PK\x03\x04" + b"\x00" * 100, r"not a readable \.docx file"),
    (python_docx_bytes()[:-200], r"not a readable \.docx file"),
    (zipfile.ZipFile.__name__.encode(), r"not a readable \.docx file"),
])
def test_malformed_docx_gets_a_clear_error(data, message):
    with pytest.raises(ArticleReadError, match=message):
        parse_article(data, "broken.docx")


def test_missing_document_part_is_named():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    with pytest.raises(ArticleReadError, match=r"no word/document\.xml inside"):
        parse_article(out.getvalue(), "empty.docx")


def test_limits_come_from_the_instance_settings(cli, instance, tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(python_docx_bytes(20))
    assert cli.json("import", str(path))["segments"] == 21
    instance.settings_file.write_text("[import]\nmax_paragraphs = 5\n", encoding="utf-8")
    result = cli("import", str(path), ok=False)
    assert result.exit_code != 0
    assert "a.docx: more than 5 paragraphs" in result.output and "max_paragraphs" in result.output
    instance.settings_file.write_text("[import]\nmax_paragrahs = 5\n", encoding="utf-8")
    result = cli("import", str(path), ok=False)
    assert "[import] has no setting 'max_paragrahs'" in result.output


def test_part_size_limit_refuses_before_reading():
    data = make_docx(body(para("x" * 5000)))
    with pytest.raises(ArticleReadError, match=r"would inflate to [\d,]+ bytes.*max_part_bytes"):
        parse_article(data, "big.docx", limits=DocxLimits(max_part_bytes=1000))
    assert parse_article(data, "big.docx").text.strip() == "x" * 5000
