"""Find a glossary term in a target-language text in any inflected form.

A term matches a run of consecutive words of the text. Each word of the term must be the text's
word exactly (after the language's case folding) or its stem plus an ending the language allows:

* Turkish and Azerbaijani add suffixes: after an apostrophe on proper nouns ("Bakü'de",
  "Şuşa’yı"), directly on common nouns and in Azerbaijani ("orgenerale", "Bakıda", "Şuşaya").
  The rest of the word must be a chain of up to four known suffixes with vowel harmony, buffer
  consonants and the pronominal n ("Bakanlığından"), and on ranks and places a derivation
  ("Tümgeneralliğe", "Bakılı"); see turkic.py for the rules and what is not enforced. A final
  k/p/t/ç/q may soften (k>ğ/y, p>b, t>d, ç>c, q>ğ, nk>ng). Only the last word of a multi-word
  term inflects ("Dağlıq Qarabağda").
* Russian declines every word of a multi-word term and each part of a hyphenated one
  ("в Нагорном Карабахе", "генерал-полковником"): the word's own ending picks its paradigm and
  only that paradigm's endings may follow (russian.py), so "груз" is not a form of "Грузия".

Limits, by design: no stemmer decides a match, so a different word must start with the whole
term (or its Russian stem) and continue with a valid ending to be accepted ("Ermeniler" is not
"Ermenistan", "Карсон" is not "Карс"). Russian fleeting vowels are recognised (russian.py);
other Russian stem alternations and Turkish stem vowel drop ("ağız"/"ağzı") are not; derived
adjectives ("Карсский", "Бакинский") count only when the glossary lists them as terms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from workbench.core.terms.russian import russian_word
from workbench.core.terms.turkic import turkic_word

# Hyphens split words: "general-polkovnik" is two words, so "Bakı-Tbilisi-Ceyhan" holds "Bakı".
WORD = re.compile(r"\w+(?:['’]\w+)*")
APOSTROPHES = "'’"

def fold(text: str, lang: str) -> str:
    """Lower case with the language's rules: Turkish/Azerbaijani dotted and dotless I, Russian ё."""
    if lang in ("tr", "az"):
        text = text.replace("I", "ı").replace("İ", "i")
    text = text.lower()
    if lang == "ru":
        text = text.replace("ё", "е")
    return text


_PLAIN = str.maketrans({"ı": "i", "ə": "e", "İ": "i", "I": "i", "Ə": "e", "ё": "е", "Ё": "е"})


def ascii_fold(text: str) -> str:
    """Lower case without diacritics, for search only: "Şuşa" -> "susa", "Bakı" -> "baki"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def word_matches(term_word: str, word: str, lang: str, inflects: bool = True,
                 domain: str | None = None) -> bool:
    """Is `word` (folded) a form of `term_word` (folded) in `lang`? `domain` (rank, place...)
    allows the derivations that keep such a term recognisable (see turkic.py)."""
    if lang == "ru":
        return russian_word(term_word, word)
    if lang in ("tr", "az"):
        return word == term_word or inflects and turkic_word(term_word, word, lang, domain)
    # Other languages: exact words, or an English-style possessive.
    return word == term_word or word in (term_word + "'s", term_word + "’s")


def text_words(text: str, lang: str) -> list[tuple[str, int, int]]:
    folded = fold(text, lang)
    if len(folded) != len(text):  # a rare character whose lower case is longer: fold word by word
        return [(fold(m.group(), lang), m.start(), m.end()) for m in WORD.finditer(text)]
    return [(folded[m.start():m.end()], m.start(), m.end()) for m in WORD.finditer(text)]


@lru_cache(maxsize=65536)
def term_words(term: str, lang: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in text_words(term, lang))


def find_term(term: str, words: list[tuple[str, int, int]], lang: str,
              taken: set[int] = frozenset(), domain: str | None = None) -> list[tuple[int, int]]:
    """Every occurrence of `term` in the folded `words`, as word-index ranges [i, j)."""
    key = term_words(term, lang)
    if not key:
        return []
    hits, n, after = [], len(key), 0
    first = key[0][:1]  # every form of a word starts with its first letter: a cheap pre-filter
    for i in [i for i, w in enumerate(words) if w[0][:1] == first]:
        if i < after or i + n > len(words) or taken and any(k in taken for k in range(i, i + n)):
            continue
        if all(word_matches(key[k], words[i + k][0], lang,
                            inflects=(lang == "ru" or k == n - 1), domain=domain) for k in range(n)):
            hits.append((i, i + n))
            after = i + n
    return hits
