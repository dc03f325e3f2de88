"""Glossary search as a translator types it: any case, with or without diacritics, inflected."""

from __future__ import annotations

from workbench.core.terms.model import Concept
from workbench.core.terms.morphology import ascii_fold, find_term, fold, text_words


def matches(concept: Concept, query: str) -> bool:
    """A term contains the query (case-folded by the term's language, or both without
    diacritics: "susa" finds Şuşa), or the query is an inflected form of a term ("Bakıda")."""
    query = query.strip()
    if not query:
        return True
    if query in concept.id:
        return True
    plain = ascii_fold(query)
    for term in concept.terms:
        if fold(query, term.lang) in fold(term.text, term.lang) or plain in ascii_fold(term.text):
            return True
        if find_term(term.text, text_words(query, term.lang), term.lang, domain=concept.domain):
            return True
    return False
