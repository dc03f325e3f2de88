"""A Word file through the document model and back (issue 20, issue 22 item 8): kinds, levels,
inline formatting, links, lists, tables, notes, text boxes, tracked changes, hidden text and
comments survive an import and an export, and a translation lands where the translator put it."""

import io
import re
import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.run import Run

from tests.conftest import _save_as as save_as  # the plain function behind the save_as fixture
from tests.docx_parts import body, make_docx, para
from workbench.core import codes
from workbench.core.formats.articles import parse_article, segment_doc
from workbench.data import comments as stored_comments
from workbench.data import store
from workbench.core.formats.docx_export import export_docx, new_docx
from workbench.services import exports

URL = "https://example.com/report"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {nsdecls("w")}>'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
             '</w:p></w:footnote>'
             '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr>'
             '<w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r>'
             '<w:t xml:space="preserve"> Figures from the ministry.</w:t></w:r></w:p></w:footnote></w:footnotes>')
ENDNOTES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:endnotes {nsdecls("w")}>'
            '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
            '<w:endnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:endnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> Sources spoke on condition of anonymity.</w:t></w:r></w:p></w:endnote>'
            '</w:endnotes>')
COMMENTS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {nsdecls("w")}>'
            '<w:comment w:id="7" w:author="Editor" w:initials="E"><w:p><w:r><w:t>Check this date.</w:t>'
            '</w:r></w:p></w:comment></w:comments>')


def _word_file() -> bytes:
    """Title, headings, bold/italic/underline, a link, lists, a table, a footnote, hidden text,
    tracked changes, a text box and a comment, as Word writes them."""
    document = docx.Document()
    document.add_heading("Baku talks end", 0)
    document.add_heading("The agreement", 1)
    p = document.add_paragraph("The ")
    p.add_run("talks").bold = True
    p.add_run(" ended ")
    p.add_run("quickly").italic = True
    p.add_run(" and ")
    p.add_run("well").underline = True
    p.add_run(". See ")
    link = p._p.makeelement(qn("w:hyperlink"), {})
    link.set(qn("r:id"), p.part.relate_to(URL, RT.HYPERLINK, is_external=True))
    p._p.append(link)
    link.append(p.add_run("the report")._r)
    p.add_run(" for details.")
    p = document.add_paragraph("Ministers signed ")
    for part in ("tw", "el", "ve"):  # Word splits runs at every edit: one bold stretch, three runs
        p.add_run(part).bold = True
    p.add_run(" agreements")
    p.add_run("EDITOR: confirm number").font.hidden = True
    p.add_run(".")
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    document.add_heading("Details", 2)
    document.add_paragraph("Energy was discussed.", style="List Bullet")
    document.add_paragraph("Transport was discussed.", style="List Bullet")
    document.add_paragraph("First they met.", style="List Number")
    document.add_paragraph("Then they signed.", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Country", (0, 1): "Deals", (1, 0): "Azerbaijan", (1, 1): "Twelve"}.items():
        table.cell(r, c).text = text
    p = document.add_paragraph()
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:t xml:space="preserve">The meeting was </w:t></w:r>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="91" w:author="Ed" w:date="2024-01-01T00:00:00Z">'
                          '<w:r><w:delText>long</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="92" w:author="Ed" w:date="2024-01-01T00:00:00Z">'
                          '<w:r><w:t>short</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t>.</w:t></w:r>'))
    p = document.add_paragraph()
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape id="box1" style="width:200pt;height:50pt"><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>Talks resume in May.</w:t></w:r></w:p></w:txbxContent>'
        '</v:textbox></v:shape></w:pict></w:r>'))
    p.add_run("The box sits here.")
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:endnoteReference w:id="1"/></w:r>'))
    p = document.add_paragraph()
    p._p.append(parse_xml(f'<w:commentRangeStart {nsdecls("w")} w:id="7"/>'))
    p.add_run("They met on Monday.")
    p._p.append(parse_xml(f'<w:commentRangeEnd {nsdecls("w")} w:id="7"/>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:commentReference w:id="7"/></w:r>'))
    out = io.BytesIO()
    document.save(out)
    return _add_parts(out.getvalue())


def _add_parts(data: bytes) -> bytes:
    """Footnotes, endnotes and comments parts, which python-docx cannot write: part, relationship, content type."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", (
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
                    b'<Override PartName="/word/endnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/>'
                    b'<Override PartName="/word/comments.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>'))
            elif info.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/footnotes" Target="footnotes.xml"/>'
                    b'<Relationship Id="rIdEn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/endnotes" Target="endnotes.xml"/><Relationship Id="rIdCm" Type="http://'
                    b'schemas.openxmlformats.org/officeDocument/2006/relationships/comments" '
                    b'Target="comments.xml"/></Relationships>'))
            target.writestr(info, body)
        target.writestr("word/footnotes.xml", FOOTNOTES)
        target.writestr("word/endnotes.xml", ENDNOTES)
        target.writestr("word/comments.xml", COMMENTS)
    return out.getvalue()


def _runs(paragraph):
    """What a reader sees of a paragraph, read by python-docx: (text, bold, italic, underline,
    link URL) per stretch of equal formatting; hidden and deleted runs left out, insertions in."""
    out = []
    for r in paragraph._p.iter(qn("w:r")):
        if any(a.tag in (qn("w:del"), qn("w:txbxContent")) for a in r.iterancestors()):
            continue
        run = Run(r, paragraph)
        if run.font.hidden:
            continue
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        parent = r.getparent()
        url = None
        if parent.tag == qn("w:hyperlink"):
            url = paragraph.part.rels[parent.get(qn("r:id"))].target_ref
        key = (bool(run.bold), bool(run.italic), bool(run.underline), url)
        if not text:
            continue
        if out and out[-1][1:] == key:
            out[-1] = (out[-1][0] + text,) + key
        else:
            out.append((text,) + key)
    return out


def _reading(data: bytes):
    """Every body paragraph (style, runs) and every table cell's text, by python-docx."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name, _runs(p)) for p in document.paragraphs]
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, cells


def test_import_gives_blocks_with_kinds_levels_and_codes():
    doc = parse_article(_word_file(), "report.docx")
    kinds = [(b.kind, b.level, b.attrs.get("ordered")) for b in doc.blocks]
    assert kinds == [("title", 0, None), ("heading", 1, None), ("paragraph", 0, None), ("paragraph", 0, None),
                     ("note", 0, None), ("heading", 2, None), ("list_item", 1, False), ("list_item", 1, False),
                     ("list_item", 1, True), ("list_item", 1, True)] + [("table_cell", 0, None)] * 4 + [
                     ("paragraph", 0, None), ("paragraph", 0, None), ("paragraph", 0, None), ("note", 0, None),
                     ("paragraph", 0, None)]
    by_text = {b.plain: b for b in doc.blocks}
    rich = doc.blocks[2]
    assert codes.to_labels(rich.text) == "The {1}talks{/1} ended {2}quickly{/2} and {3}well{/3}. See {4}the report{/4} for details."
    assert [rich.codes[n].type for n in "1234"] == ["b", "i", "u", "a"]
    assert rich.codes["4"].attrs["href"] == URL and rich.codes["4"].native["attrs"]
    assert "<w:b/>" in rich.codes["1"].native["rPr"]
    assert rich.ref == "body/p/2"
    # hidden text is no text to translate; bold "twelve" over three runs is one pair
    signed = doc.blocks[3]
    assert codes.to_labels(signed.text) == "Ministers signed {1}twelve{/1} agreements.{2/}" and "EDITOR" not in doc.text
    assert [m.type for m in signed.codes.values()] == ["b", "x"]
    assert signed.codes["2"].attrs == {"note": "footnote", "id": "1"}
    note = doc.blocks[4]
    assert note.plain.strip() == "Figures from the ministry." and note.attrs == {"note": "footnote", "id": "1"}
    assert note.ref == "footnotes/1/p/0"
    endnote = by_text[" Sources spoke on condition of anonymity."]
    assert endnote.attrs == {"note": "endnote", "id": "1"} and endnote.ref == "endnotes/1/p/0"
    cell = by_text["Azerbaijan"]
    assert cell.attrs == {"row": 1, "col": 0} and cell.ref == "body/tbl/0/r/1/c/0/p/0"
    assert "The meeting was short." in by_text and "Talks resume in May." in by_text
    assert by_text["Talks resume in May."].ref.endswith("/txbx/0/p/0")
    assert any("2 tracked changes (1 insertions, 1 deletions) were read as accepted" in w for w in doc.warnings)
    assert any("1 runs of hidden text" in w for w in doc.warnings)
    assert by_text["They met on Monday."].attrs["notes"] == ["Word comment by Editor: Check this date."]
    assert not any("comment" in w for w in doc.warnings)


def test_word_comments_are_segment_comments_for_every_target_language(cli, db, tmp_path):
    article_id = _import(cli, tmp_path, _word_file())
    [segment] = [s for s in store.segments(db, article_id) if s["text"] == "They met on Monday."]
    for lang in ("az", "tr", "ru"):
        [comment] = stored_comments.for_segment(db, segment["id"], lang)
        assert comment["body"] == "Word comment by Editor: Check this date."
        assert "report.docx" in comment["author"]


def _import(cli, tmp_path, data: bytes) -> int:
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    return cli.json("import", str(path))["article"]


def _translate_all(db, article_id: int, lang: str, text_for) -> None:
    for segment in store.segments(db, article_id):
        save_as(db, segment["id"], lang, text_for(segment["text"]), base_version=0, user="t")


def test_round_trip_with_targets_equal_to_sources_gives_the_same_document(cli, db, tmp_path):
    original = _word_file()
    article_id = _import(cli, tmp_path, original)
    _translate_all(db, article_id, "az", lambda source: source)
    out = tmp_path / "out.docx"
    cli("export", str(article_id), "--lang", "az", "--format", "docx", "-o", str(out))
    exported = out.read_bytes()
    assert _reading(exported) == _reading(original)
    assert parse_article(exported, "out.docx").text == parse_article(original, "report.docx").text
    with zipfile.ZipFile(io.BytesIO(exported)) as package, zipfile.ZipFile(io.BytesIO(original)) as source:
        assert package.namelist() == source.namelist()
        for name in source.namelist():  # only the translated parts and the language change
            if name not in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "word/styles.xml"):
                assert package.read(name) == source.read(name), name
        document = package.read("word/document.xml").decode()
        styles = package.read("word/styles.xml").decode()
    assert "EDITOR: confirm number" in document  # hidden text kept in the package
    assert re.search(r"<w:docDefaults>.*<w:lang w:val=\"az-Latn-AZ\"", styles, re.S)
    assert 'w:lang w:val="az-Latn-AZ"' in document
    assert "<w:commentReference w:id=\"7\"/>" in document and "w:footnoteReference w:id=\"1\"" in document


def test_moved_bold_and_link_land_at_their_new_place(cli, db, tmp_path):
    article_id = _import(cli, tmp_path, _word_file())
    targets = {
        "The {1}talks{/1} ended {2}quickly{/2} and {3}well{/3}.":
            "{3}Yaxşı{/3} və {2}tez{/2} bitdi {1}danışıqlar{/1}.",
        "See {4}the report{/4} for details.": "{4}Hesabata{/4} baxın, ətraflı.",
        "Figures from the ministry.": "Nazirliyin rəqəmləri.",
        "Sources spoke on condition of anonymity.": "Mənbələr adlarının çəkilməməsi şərtilə danışıb.",
        "Talks resume in May.": "Danışıqlar mayda davam edir.",
    }
    for segment in store.segments(db, article_id):
        wanted = targets.get(codes.to_labels(segment["text"]))
        if wanted:
            save_as(db, segment["id"], "az", codes.from_labels(wanted), base_version=0, user="t")
    exported = exports.export(db, article_id, "az", "docx")
    assert exported.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert exported.filename == f"article-{article_id}-az.docx"
    paragraphs, _ = _reading(exported.data)
    assert paragraphs[2] == ("Normal", [
        ("Yaxşı", False, False, True, None), (" və ", False, False, False, None), ("tez", False, True, False, None),
        (" bitdi ", False, False, False, None), ("danışıqlar", True, False, False, None),
        (". ", False, False, False, None), ("Hesabata", False, False, False, URL),
        (" baxın, ətraflı.", False, False, False, None)])
    with zipfile.ZipFile(io.BytesIO(exported.data)) as package:
        assert "Nazirliyin rəqəmləri." in package.read("word/footnotes.xml").decode()
        assert "Mənbələr adlarının çəkilməməsi şərtilə danışıb." in package.read("word/endnotes.xml").decode()
        assert "Danışıqlar mayda davam edir." in package.read("word/document.xml").decode()
    again = parse_article(exported.data, "again.docx")
    assert "Nazirliyin rəqəmləri." in [b.plain.strip() for b in again.blocks if b.kind == "note"]


@pytest.mark.parametrize("name,data", [
    ("a.md", b"# Baku talks end\n\nThe **talks** ended. See [the report](https://example.com/r).\n\n"
             b"- One point\n- Two point\n"),
    ("a.txt", b"Baku talks end\n\nThe talks ended.\n"),
])
def test_an_article_without_a_word_original_is_written_as_a_new_document(cli, db, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    article_id = cli.json("import", str(path))["article"]
    exported = exports.export(db, article_id, "ru", "docx")
    document = docx.Document(io.BytesIO(exported.data))
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    assert texts[0] == ("Title", "Baku talks end")
    assert any(text.startswith("The talks ended.") for _, text in texts)
    assert document.styles.element.find(f".//{qn('w:docDefaults')}//{qn('w:lang')}").get(qn("w:val")) == "ru-RU"


def test_the_new_document_carries_kinds_and_inline_codes():
    o, c, ph = codes.open_char, codes.close_char, codes.ph_char
    paragraphs = [
        {"idx": 0, "kind": "heading", "level": 2, "attrs": {}, "codes": {}},
        {"idx": 1, "kind": "paragraph", "level": 0, "attrs": {}, "codes": {
            "1": {"type": "b"}, "2": {"type": "a", "attrs": {"href": URL}}, "3": {"type": "br", "paired": False},
            "4": {"type": "i"}}},
        {"idx": 2, "kind": "list_item", "level": 1, "attrs": {"ordered": True}, "codes": {}},
        {"idx": 3, "kind": "list_item", "level": 2, "attrs": {"ordered": False}, "codes": {}},
        {"idx": 4, "kind": "table_cell", "level": 0, "attrs": {"row": 0, "col": 1}, "codes": {}},
        {"idx": 5, "kind": "table_cell", "level": 0, "attrs": {"row": 1, "col": 0}, "codes": {}}]
    texts = {0: "Details", 1: f"A {o(1)}bold {o(2)}link{c(2)}{c(1)} and{ph(3)}{o(4)}more{c(4)}", 2: "First",
             3: "Inner", 4: "B1", 5: "A2"}
    document = docx.Document(io.BytesIO(new_docx(paragraphs, texts, "tr")))
    found = [(p.style.name, p.text) for p in document.paragraphs]
    assert found == [("Heading 2", "Details"), ("Normal", "A bold link and\nmore"), ("List Number", "First"),
                     ("List Bullet 2", "Inner")]
    rich = document.paragraphs[1]
    assert [(h.url, h.text) for h in rich.hyperlinks] == [(URL, "link")]
    assert [(r.text, r.bold, r.italic) for r in rich.runs] == [
        ("A ", None, None), ("bold ", True, None), (" and", None, None), ("\n", None, None), ("more", None, True)]
    assert Run(rich.hyperlinks[0]._hyperlink.r_lst[0], rich).bold is True
    assert [[cell.text for cell in row.cells] for row in document.tables[0].rows] == [["", "B1"], ["A2", ""]]


def test_a_text_box_and_its_fallback_copy_both_get_the_translation():
    box = para("Box text.")
    xml = body("<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>" + box
               + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>" + box
               + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
               + "<w:r><w:t>Anchor paragraph.</w:t></w:r></w:p>")
    data = make_docx(xml)
    doc = parse_article(data, "box.docx")
    assert [b.ref for b in doc.blocks] == ["body/p/0/txbx/0/p/0", "body/p/0"]
    segmentation = segment_doc(doc)
    paragraphs = [{"idx": p.index, "start": p.start, "end": p.end, "kind": p.kind, "codes": p.codes, "ref": p.ref}
                  for p in segmentation.paragraphs]
    segments = [{"id": s.index, "paragraph_idx": s.paragraph, "start": s.start, "end": s.end, "text": s.text}
                for s in segmentation.segments]
    translations = {0: {"text": "Qutu mətni.", "status": "edited"}}
    out = export_docx(data, paragraphs, segments, translations, "az", source=segmentation.source)
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        document = package.read("word/document.xml").decode()
    assert document.count("Qutu mətni.") == 2 and "Box text." not in document
    assert "Anchor paragraph." in document


def test_fields_are_kept_whole_even_when_they_run_on_into_the_next_paragraph():
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText>'
             '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    xml = body('<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r>' + field
               + '<w:r><w:t xml:space="preserve"> of the report.</w:t></w:r></w:p>'
               + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC </w:instrText></w:r>'
               + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Contents go on.</w:t></w:r></w:p>'
               + '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>After.</w:t></w:r></w:p>')
    data = make_docx(xml)
    doc = parse_article(data, "fields.docx")
    assert codes.to_labels(doc.blocks[0].text) == "Page {1/} of the report."
    assert doc.blocks[0].codes["1"].attrs == {"field": True}
    segmentation = segment_doc(doc)
    paragraphs = [{"idx": p.index, "start": p.start, "end": p.end, "kind": p.kind, "codes": p.codes, "ref": p.ref}
                  for p in segmentation.paragraphs]
    segments = [{"id": s.index, "paragraph_idx": s.paragraph, "start": s.start, "end": s.end, "text": s.text}
                for s in segmentation.segments]
    first = codes.from_labels("Səhifə {1/}, hesabat.")
    out = export_docx(data, paragraphs, segments, {0: {"text": first, "status": "edited"}}, "az",
                      source=segmentation.source)
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        document = package.read("word/document.xml").decode()
    assert re.search(r"Səhifə </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/>.*PAGE.*<w:t>7</w:t>.*"
                     r"w:fldCharType=\"end\"/></w:r><w:r><w:rPr><w:lang w:val=\"az-Latn-AZ\"/></w:rPr><w:t>, hesabat\.",
                     document, re.S)
    assert document.count('w:fldCharType="begin"') == 2 and "TOC" in document and "Contents go on." in document
