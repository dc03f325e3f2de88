"""What an article's text, title, byline and external id may hold: one check for every door that
stores an article or a new version of one (services/articles.py, services/story_versions.py).

The text's line-break characters (vertical tab, form feed, NEL, U+2028/2029) become line breaks,
then the text, title and byline pass core/hygiene.py (no control characters, lone surrogates or
non-characters; the lengths of hygiene.LIMITS; title and byline on one line), the external id is
one line of at most hygiene.LIMITS["external_id"] characters, and a text without a letter or digit
is refused: it has nothing to translate.
"""

from __future__ import annotations

from workbench.core import hygiene
from workbench.core.errors import UserError
from workbench.core.formats.articles import ArticleDoc


class NothingToTranslate(UserError):
    status = 422


def check_document(doc: ArticleDoc, external_id: str | None = None) -> ArticleDoc:
    """The document as it may be stored (its line-break characters made line breaks, in place), or
    hygiene.TextRefused naming the field (and the file), NothingToTranslate for a text without words."""
    where = doc.filename or ""
    doc.text = hygiene.clean(hygiene.import_text(doc.text), "text", where=where)
    if not hygiene.has_words(doc.text):
        raise NothingToTranslate(f"{where or 'the article'}: the text has no words to translate (no letter "
                                 "or digit); nothing was stored")
    if doc.title is not None:
        doc.title = hygiene.clean(hygiene.import_text(doc.title).strip(), "title", where=where, multiline=False)
    if doc.byline is not None:
        doc.byline = hygiene.clean(hygiene.import_text(doc.byline).strip(), "byline", where=where,
                                   multiline=False)
    if external_id is not None:
        hygiene.clean(external_id, "external_id", multiline=False)
    return doc


def check_segments(doc: ArticleDoc, segmentation) -> None:
    """NothingToTranslate when the segmenter found no sentence in the text."""
    if not segmentation.segments:
        raise NothingToTranslate(f"{doc.filename or 'the article'}: no sentence to translate was found; "
                                 "nothing was stored")
