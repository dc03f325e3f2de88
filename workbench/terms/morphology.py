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
  ("в Нагорном Карабахе", "генерал-полковником"): the word's own ending is removed and any noun
  or adjective case ending may follow.

Limits, by design: no stemmer decides a match, so a different word must start with the whole
term (or its Russian stem) and continue with a valid ending to be accepted ("Ermeniler" is not
"Ermenistan", "Карсон" is not "Карс"). Russian fleeting vowels are recognised (посол/посла,
Египет/в Египте, день/дня, боец/бойца), at the price of one known look-alike: "после" (after)
reads as the prepositional of "посол". Other Russian stem alternations and Turkish stem vowel
drop ("ağız"/"ağzı") are not; derived adjectives ("Карсский", "Бакинский") count only when the
glossary lists them as terms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .turkic import turkic_word

# Hyphens split words: "general-polkovnik" is two words, so "Bakı-Tbilisi-Ceyhan" holds "Bakı".
WORD = re.compile(r"\w+(?:['’]\w+)*")
APOSTROPHES = "'’"

RUSSIAN_ENDINGS = sorted(set("""
а я о е ё ь й ы и у ю ом ем ём ой ей ою ею ам ям ами ями ах ях ов ев ий ия ие ии ию ией иям иями
иях ье ья ью ьи ьям ьями ьях ый ая яя ое ее ые ие ого его ому ему ым им ую юю ых их ыми ими
""".split()), key=len, reverse=True)
RUSSIAN_ENDINGS_NONEMPTY = frozenset(RUSSIAN_ENDINGS)
RUSSIAN_ENDING_SET = set(RUSSIAN_ENDINGS) | {""}


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


@lru_cache(maxsize=65536)
def _russian_stems(word: str) -> tuple[str, ...]:
    """The word itself and the word less each ending it may carry ("карабах" is a stem too)."""
    return (word,) + tuple(word[:-len(e)] for e in RUSSIAN_ENDINGS
                           if word.endswith(e) and len(word) - len(e) >= 3)


RUSSIAN_VOWELS = set("аеёиоуыэюя")


@lru_cache(maxsize=65536)
def _fleeting_stem(word: str) -> str | None:
    """The oblique stem of a noun with a fleeting vowel: посол/посла, Египет/Египта, день/дня,
    боец/бойца, лев/льва. Only before a non-empty ending (the nominative keeps the vowel)."""
    core = word[:-1] if word[-1:] in "ьй" else word
    if len(core) < 3 or core[-2] not in "оеё" or core[-1] in RUSSIAN_VOWELS or core[-1] in "ьй":
        return None
    before = core[-3]
    if before in RUSSIAN_VOWELS:
        return core[:-2] + "й" + core[-1]
    if before == "л" and core[-2] != "о":
        return core[:-2] + "ь" + core[-1]
    return core[:-2] + core[-1]


def _russian_part(term_part: str, word: str) -> bool:
    if word == term_part or any(word.startswith(stem) and word[len(stem):] in RUSSIAN_ENDING_SET
                                for stem in _russian_stems(term_part)):
        return True
    stem = _fleeting_stem(term_part)
    return bool(stem) and word.startswith(stem) and word[len(stem):] in RUSSIAN_ENDINGS_NONEMPTY


def word_matches(term_word: str, word: str, lang: str, inflects: bool = True,
                 domain: str | None = None) -> bool:
    """Is `word` (folded) a form of `term_word` (folded) in `lang`? `domain` (rank, place...)
    allows the derivations that keep such a term recognisable (see turkic.py)."""
    if lang == "ru":
        return _russian_part(term_word, word)
    if lang in ("tr", "az"):
        return word == term_word or inflects and turkic_word(term_word, word, lang, domain)
    # Other languages: exact words, or an English-style possessive.
    return word == term_word or word in (term_word + "'s", term_word + "’s")


def text_words(text: str, lang: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group(), lang), m.start(), m.end()) for m in WORD.finditer(text)]


@lru_cache(maxsize=65536)
def term_words(term: str, lang: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in text_words(term, lang))


def find_term(term: str, words: list[tuple[str, int, int]], lang: str,
              taken: set[int] = frozenset(), domain: str | None = None) -> list[tuple[int, int]]:
    """Every occurrence of `term` in the folded `words`, as word-index ranges [i, j)."""
    key = term_words(term, lang)
    if not key:
        return []
    hits, n, i = [], len(key), 0
    first = key[0][:1]  # every form of a word starts with its first letter: a cheap pre-filter
    while i + n <= len(words):
        if not words[i][0].startswith(first) or any(k in taken for k in range(i, i + n)):
            i += 1
            continue
        if all(word_matches(key[k], words[i + k][0], lang,
                            inflects=(lang == "ru" or k == n - 1), domain=domain) for k in range(n)):
            hits.append((i, i + n))
            i += n
        else:
            i += 1
    return hits
