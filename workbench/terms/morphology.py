"""Find a glossary term in a target-language text in any inflected form.

A term matches a run of consecutive words of the text. Each word of the term must be the text's
word exactly (after the language's case folding) or its stem plus an ending the language allows:

* Turkish and Azerbaijani add suffixes: after an apostrophe on proper nouns ("Bakü'de",
  "Şuşa’yı"), directly on common nouns and in Azerbaijani ("orgenerale", "Bakıda", "Şuşaya").
  The rest of the word must be a chain of up to four known suffixes (case, plural, possessive,
  copula, relative -ki), buffer consonants (y, n, s) included; a final k/p/t/ç may soften
  (k>ğ/y, p>b, t>d, ç>c). Only the last word of a multi-word term inflects ("Dağlıq Qarabağda").
* Russian declines every word of a multi-word term and each part of a hyphenated one
  ("в Нагорном Карабахе", "генерал-полковником"): the word's own ending is removed and any noun
  or adjective case ending may follow.

Limits, by design: no stemmer decides a match, so a different word must start with the whole
term (or its Russian stem) and continue with a valid ending to be accepted ("Ermeniler" is not
"Ermenistan", "Карсон" is not "Карс"). Vowel harmony is not enforced; Russian stems that
alternate ("отец"/"отца") and Turkish stem vowel drop ("ağız"/"ağzı") are not recognised;
derived adjectives ("Карсский", "Бакинский") count only when the glossary lists them as terms.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Hyphens split words: "general-polkovnik" is two words, so "Bakı-Tbilisi-Ceyhan" holds "Bakı".
WORD = re.compile(r"\w+(?:['’]\w+)*")
APOSTROPHES = "'’"

_V2 = "[aeə]"
_V4 = "[ıiuü]"
_TURKIC_SUFFIX = "|".join([
    f"l{_V2}r",                                         # plural
    f"(?:y|n|s)?{_V4}n?", f"{_V4}m", f"{_V4}m{_V4}z", f"{_V4}n{_V4}z",  # possessive, accusative
    f"(?:y|n)?{_V2}", f"[dt]{_V2}n?",                   # dative, locative, ablative
    f"(?:n)?{_V4}n", f"(?:y)?l{_V2}",                   # genitive, comitative
    f"(?:y)?l{_V2}n", "k[iıuü]", f"[dt]{_V4}r",           # relative -ki, copula
    f"(?:y)?d{_V4}", f"(?:y)?m{_V4}ş", f"[cç]{_V2}",
])
TURKIC_SUFFIXES = re.compile(f"^(?:{_TURKIC_SUFFIX}){{1,4}}$")
SOFTENING = {"k": "ğy", "p": "b", "t": "d", "ç": "c"}

RUSSIAN_ENDINGS = sorted(set("""
а я о е ё ь й ы и у ю ом ем ём ой ей ою ею ам ям ами ями ах ях ов ев ий ия ие ии ию ией иям иями
иях ье ья ью ьи ьям ьями ьях ый ая яя ое ее ые ие ого его ому ему ым им ую юю ых их ыми ими
""".split()), key=len, reverse=True)
RUSSIAN_ENDING_SET = set(RUSSIAN_ENDINGS) | {""}


def fold(text: str, lang: str) -> str:
    """Lower case with the language's rules: Turkish/Azerbaijani dotted and dotless I, Russian ё."""
    if lang in ("tr", "az"):
        text = text.replace("I", "ı").replace("İ", "i")
    text = text.lower()
    if lang == "ru":
        text = text.replace("ё", "е")
    return text


@lru_cache(maxsize=65536)
def _russian_stems(word: str) -> tuple[str, ...]:
    """The word itself and the word less each ending it may carry ("карабах" is a stem too)."""
    return (word,) + tuple(word[:-len(e)] for e in RUSSIAN_ENDINGS
                           if word.endswith(e) and len(word) - len(e) >= 3)


def _russian_part(term_part: str, word: str) -> bool:
    return word == term_part or any(
        word.startswith(stem) and word[len(stem):] in RUSSIAN_ENDING_SET
        for stem in _russian_stems(term_part))


def _turkic_word(term_word: str, word: str, inflects: bool) -> bool:
    if word == term_word:
        return True
    if not inflects:
        return False
    for mark in APOSTROPHES:
        if mark in word:
            base, _, suffix = word.partition(mark)
            return base == term_word and bool(TURKIC_SUFFIXES.match(suffix))
    stems = [term_word] + [term_word[:-1] + soft for soft in SOFTENING.get(term_word[-1:], "")]
    return any(word.startswith(stem) and TURKIC_SUFFIXES.match(word[len(stem):]) for stem in stems)


def word_matches(term_word: str, word: str, lang: str, inflects: bool = True) -> bool:
    """Is `word` (folded) a form of `term_word` (folded) in `lang`?"""
    if lang == "ru":
        return _russian_part(term_word, word)
    if lang in ("tr", "az"):
        return _turkic_word(term_word, word, inflects)
    # Other languages: exact words, or an English-style possessive.
    return word == term_word or word in (term_word + "'s", term_word + "’s")


def text_words(text: str, lang: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group(), lang), m.start(), m.end()) for m in WORD.finditer(text)]


@lru_cache(maxsize=65536)
def term_words(term: str, lang: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in text_words(term, lang))


def find_term(term: str, words: list[tuple[str, int, int]], lang: str,
              taken: set[int] = frozenset()) -> list[tuple[int, int]]:
    """Every occurrence of `term` in the folded `words`, as word-index ranges [i, j)."""
    key = term_words(term, lang)
    if not key:
        return []
    hits, n, i = [], len(key), 0
    while i + n <= len(words):
        if any(k in taken for k in range(i, i + n)):
            i += 1
            continue
        if all(word_matches(key[k], words[i + k][0], lang,
                            inflects=(lang == "ru" or k == n - 1)) for k in range(n)):
            hits.append((i, i + n))
            i += n
        else:
            i += 1
    return hits
