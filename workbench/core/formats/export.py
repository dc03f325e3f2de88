"""Export an article in one target language as txt, md or html, in the source's layout.

A segment without a translation falls back to its source text; html marks it so an editor sees
what is still English.
"""

from __future__ import annotations

import re

from markupsafe import escape

from workbench.core.formats.docx_export import export_docx

EXPORT_FORMATS = ("txt", "md", "html", "docx")
MEDIA_TYPES = {"txt": "text/plain", "md": "text/markdown", "html": "text/html",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "xliff": "application/xliff+xml"}


def _paragraph_pieces(article: dict, paragraphs: list[dict], segments: list[dict],
                      translations: dict[int, dict]):
    """Yield (paragraph, [(text, translated?) and the whitespace between them as (gap, None)])."""
    source = article["source_text"]
    by_paragraph: dict[int, list[dict]] = {}
    for segment in segments:
        by_paragraph.setdefault(segment["paragraph_idx"], []).append(segment)
    for paragraph in paragraphs:
        pieces, position = [], paragraph["start"]
        for segment in by_paragraph.get(paragraph["idx"], []):
            pieces.append((source[position:segment["start"]], None))
            translation = translations.get(segment["id"])
            if translation and translation["text"].strip() and translation["status"] != "untranslated":
                pieces.append((translation["text"], True))
            else:
                pieces.append((segment["text"], False))
            position = segment["end"]
        pieces.append((source[position:paragraph["end"]], None))
        yield paragraph, pieces


def export_article(article: dict, paragraphs: list[dict], segments: list[dict],
                   translations: dict[int, dict], fmt: str, lang: str, original: dict | None = None) -> str | bytes:
    """The article in one language as `fmt`. `original` is the file the article's latest version
    came from ({format, name, data}), the skeleton of an export in that format."""
    if fmt == "txt":
        return _export_txt(article, paragraphs, segments, translations)
    if fmt == "md":
        return _export_md(article, paragraphs, segments, translations)
    if fmt == "html":
        return _export_html(article, paragraphs, segments, translations, lang)
    if fmt == "docx":
        return export_docx(original["data"] if original and original["format"] == "docx" else None,
                           paragraphs, segments, translations, lang, source=article["source_text"])
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def _export_txt(article, paragraphs, segments, translations) -> str:
    """The source text with every segment replaced: line breaks and spacing stay as they were."""
    source, out, position = article["source_text"], [], 0
    for paragraph, pieces in _paragraph_pieces(article, paragraphs, segments, translations):
        out.append(source[position:paragraph["start"]])
        out.extend(text for text, _ in pieces)
        position = paragraph["end"]
    out.append(source[position:])
    return "".join(out)


# Characters that make Markdown markup (or raw HTML, which Markdown passes through) anywhere in a
# line, and the ones that do only at its start. Escaped, a translation reads as the text it is:
# "<script>" in a segment must not become a script in a CMS that renders the export.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=|]|\d+(?=[.)]))")


def md_escape(text: str) -> str:
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if not m[2][0].isdigit() else f"{m[1]}{m[2]}\\",
                              _MD_INLINE.sub(r"\\\1", text))


def _export_md(article, paragraphs, segments, translations) -> str:
    blocks = []
    for paragraph, pieces in _paragraph_pieces(article, paragraphs, segments, translations):
        text = md_escape(" ".join("".join(t for t, _ in pieces).split("\n")))
        if paragraph["kind"] == "title":
            blocks.append(f"# {text}")
        elif paragraph["kind"] == "byline":
            blocks.append(f"*{text}*")
        elif paragraph["kind"] == "separator":
            blocks.append("---")
        else:
            blocks.append(text)
    return "\n\n".join(blocks) + "\n"


def _export_html(article, paragraphs, segments, translations, lang) -> str:
    body, title = [], article["title"]
    for paragraph, pieces in _paragraph_pieces(article, paragraphs, segments, translations):
        if paragraph["kind"] == "title":
            title = "".join(text for text, _ in pieces)
        inner = "".join(
            str(escape(text)) if translated is not False
            else f'<span class="untranslated" lang="en" title="not translated yet">{escape(text)}</span>'
            for text, translated in pieces)
        tag = {"title": "h1", "separator": "hr"}.get(paragraph["kind"], "p")
        if tag == "hr":
            body.append("<hr>")
        elif paragraph["kind"] == "byline":
            body.append(f'<p class="byline">{inner}</p>')
        else:
            body.append(f"<{tag}>{inner}</{tag}>")
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n"
            "<style>.untranslated{background:#fff3cd}</style>\n</head>\n<body>\n<article>\n"
            + "\n".join(body) + "\n</article>\n</body>\n</html>\n")
