"""Export an article in one language, in any format the workbench writes: one rule for the web
download, the API and the CLI.

txt, md and html are written from the document's blocks (html into the original page when the
article came from one); docx into the original Word package; xliff / xliff2 for CAT tools.
A segment without a translation keeps its source text.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from workbench.core.formats import xliff_doc
from workbench.core.formats.export import EXPORT_FORMATS, MEDIA_TYPES, export_article
from workbench.core.langs import TARGET_LANGS
from workbench.core.errors import UserError
from workbench.data import store
from workbench.services.interchange import export_xliff

FORMATS = EXPORT_FORMATS + ("xliff", "xliff2")
# Both XLIFF versions are .xlf files: the name says which one it is.
SUFFIX = {"xliff": "xlf", "xliff2": "xliff2.xlf"}


class UnknownExport(UserError):
    status = 404


@dataclass
class Exported:
    data: bytes
    media_type: str
    filename: str

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def export(db: sqlite_utils.Database, article_id: int, lang: str, fmt: str) -> Exported:
    """The article in `lang` as `fmt` (one of FORMATS); UnknownExport names the choices."""
    if lang not in TARGET_LANGS:  # never the untranslated source under another language's name
        raise UnknownExport(f"No translation into {lang[:20]!r}; export one of {', '.join(TARGET_LANGS)}.")
    if fmt not in FORMATS:
        raise UnknownExport(f"No export format {fmt[:20]!r}; choose one of {', '.join(FORMATS)}.")
    article = store.get_article(db, article_id)
    filename = f"article-{article_id}-{lang}.{SUFFIX.get(fmt, fmt)}"
    original = store.original(db, article_id)
    if fmt.startswith("xliff") and original and original["format"] == "xliff":
        # A file from another tool goes back whole: the original with the targets filled in.
        return Exported(_filled_xliff(db, article, original, lang), MEDIA_TYPES["xliff"],
                        original["name"] or filename)
    if fmt.startswith("xliff"):
        return Exported(export_xliff(db, article_id, lang, "2.0" if fmt == "xliff2" else "1.2"),
                        MEDIA_TYPES["xliff"], filename)
    body = export_article(article, store.paragraphs(db, article_id), store.segments(db, article_id),
                          store.article_translations(db, article_id, lang), fmt, lang,
                          original=original)
    return Exported(body if isinstance(body, bytes) else body.encode("utf-8"), MEDIA_TYPES[fmt], filename)


def _filled_xliff(db: sqlite_utils.Database, article: dict, original: dict, lang: str) -> bytes:
    """Each unit's target: its paragraph's text (codes around the segment included) with the
    segment's translation in place of the source."""
    source = article["source_text"]
    translations = store.article_translations(db, article["id"], lang)
    by_paragraph: dict[int, list[dict]] = {}
    for segment in store.segments(db, article["id"]):
        by_paragraph.setdefault(segment["paragraph_idx"], []).append(segment)
    units = []
    for paragraph in store.paragraphs(db, article["id"]):
        if not paragraph.get("ref"):
            continue
        parts, position, status = [], paragraph["start"], None
        for segment in by_paragraph.get(paragraph["idx"], []):
            parts.append(source[position:segment["start"]])
            t = translations.get(segment["id"])
            if t and t["status"] != "untranslated" and t["text"].strip():
                parts.append(t["text"])
                status = t["status"] if status in (None, t["status"]) else "edited"
            else:
                parts.append(segment["text"])
            position = segment["end"]
        parts.append(source[position:paragraph["end"]])
        if status is not None:
            units.append({"ref": paragraph["ref"], "text": "".join(parts), "status": status,
                          "codes": paragraph["codes"]})
    return xliff_doc.fill(original["data"], lang, units)
