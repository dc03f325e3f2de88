"""Building blocks of .docx files for the import tests (a helper module, not a test module): raw
OOXML parts zipped by hand, and real files written by python-docx."""

import io
import zipfile

import docx

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


def make_docx(document_xml: str, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def body(inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{inner}</w:body></w:document>'


def para(text: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def python_docx_bytes(paragraphs: int = 3) -> bytes:
    document = docx.Document()
    document.add_heading("Baku talks end", level=1)
    for i in range(paragraphs):
        document.add_paragraph(f"Paragraph {i}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
