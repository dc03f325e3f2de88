"""Turkish and Azerbaijani suffix chains: is the rest of a word a valid ending for a term?

A term matches a word when the word is the term (after case folding) followed by up to four
suffixes from the inventory below. Each suffix is checked where it attaches:

* buffer consonants: the y-forms ("Şuşaya", "Bakıyla") only after a vowel, the bare vowel-initial
  forms ("Ankaraa" no, "Karsa" yes) only after a consonant; the genitive and the Azerbaijani
  accusative take n after a vowel ("Bakının", "Şuşanı");
* the pronominal n: after a third-person possessive that ends in a high vowel (ı i u ü) the case
  suffixes are -nA, -nI, -nDA, -nDAn, -nCA ("Savunma Bakanlığından", "Müdafiə Nazirliyindən",
  "Laçın dəhlizində", "Servisi'nden");
* vowel harmony: every suffix vowel agrees with the vowel before it, front/back always and
  rounded/unrounded for the high vowels ("Bakıda" yes, "Bakıdə"/"Bakıde" no). Turkish -ki
  ("Ankara'daki") is invariant. A stem ending in l accepts front suffixes after a back vowel, as
  Turkish does for the palatal l of loanwords ("generale", "Tümgeneralliğe", "Kemal'e").
* derivation, only as the first suffix and only where the derived word still names the concept:
  -lIk on ranks ("Tümgeneralliğe terfi etti", "general-mayorluğa"), -lI on places ("Bakülü",
  "Bakılı", "Karslı"). Nothing else: -CI, -lAş, -sIz and language names in -cA make other words,
  -lIk on other domains does too ("Bakan" minister, "Bakanlık" ministry), and a bare -CA makes
  language names ("Rus"/"Rusça", "Türk"/"Türkçe"), so only -nCA after a possessive is accepted.

Not enforced, by design: after an apostrophe neither harmony nor buffer rules apply, because
Turkish harmonises foreign names and acronyms by how they are read ("Biden'ın", "ABD'ye",
"NATO'ya"), and the apostrophe already marks where the name ends, so no look-alike can arise.
The d/t and c/ç alternations are not checked. Stem vowel drop ("ağız"/"ağzı", "oğul"/"oğlu") is
not recognised.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

VOWELS = set("aıoueəiöü")
BACK = set("aıou")
ROUND = set("ouöü")
HIGH = set("ıiuü")
FRONT_OF = {"a": "e", "ı": "i", "o": "ö", "u": "ü"}

# A = two-way low vowel, I = four-way high vowel, D = d/t, C = c/ç.
# (pattern, where it may attach): "C" after a consonant, "V" after a vowel, "H" after a high
# vowel (a possessive), "*" anywhere.
_PATTERNS = [
    ("lAr", "*"),
    ("I", "C"), ("sI", "V"), ("Im", "C"), ("m", "V"), ("ImIz", "C"), ("mIz", "V"),
    ("In", "C"), ("n", "V"), ("InIz", "C"), ("nIz", "V"),
    ("yI", "V"), ("nI", "V"),                                   # accusative (tr y, az n)
    ("A", "C"), ("yA", "V"), ("nA", "H"),                       # dative
    ("DA", "*"), ("nDA", "H"), ("DAn", "*"), ("nDAn", "H"),     # locative, ablative
    ("In", "C"), ("nIn", "V"),                                  # genitive
    ("lA", "C"), ("ylA", "V"),                                  # comitative
    ("nCA", "H"),  # "by" after a possessive (Bakanlığınca); bare -CA makes language names (Rusça)
    ("ki", "*"), ("kI", "*"),                                   # relative
    ("DIr", "*"), ("DI", "C"), ("yDI", "V"), ("mIş", "C"), ("ymIş", "V"),  # copula
    ("sA", "C"), ("ysA", "V"), ("ken", "C"), ("yken", "V"), ("kən", "C"), ("ykən", "V"),
]
# Azerbaijani -lıq/-luq (softened -lığ/-luğ) after back vowels, -lik/-lük (-liy/-lüy) after front.
_DERIVATIONS = {("tr", "rank"): ["lIk", "lIğ"], ("az", "rank"): ["lIq", "lIk", "lIğ", "lIy"],
                ("tr", "place"): ["lI"], ("az", "place"): ["lI"]}
_INVARIANT = {"tr": {"ki", "ken", "yken"}, "az": set()}
_LOW = {"tr": "ae", "az": "aə"}


def _expand(pattern: str, lang: str) -> list[str]:
    choices = {"A": _LOW[lang], "I": "ıiuü", "D": "dt", "C": "cç"}
    slots = [choices.get(ch, ch) for ch in pattern]
    return ["".join(p) for p in product(*slots)]


def _inventory(lang: str) -> list[tuple[str, str, bool]]:
    """(suffix, attaches, invariant) for every concrete form, longest first."""
    out = set()
    for pattern, where in _PATTERNS:
        if lang == "tr" and pattern in ("kən", "ykən", "kI"):
            continue
        if lang == "az" and pattern in ("ken", "yken", "ki"):
            continue
        for form in _expand(pattern, lang):
            out.add((form, where, form in _INVARIANT[lang]))
    return sorted(out, key=lambda f: -len(f[0]))


def _by_first_letter(forms):
    index: dict[str, list] = {}
    for form in forms:
        index.setdefault(form[0][0], []).append(form)
    return index


_SUFFIXES = {lang: _by_first_letter(_inventory(lang)) for lang in ("tr", "az")}
_DERIVED = {key: sorted({f for p in pats for f in _expand(p, key[0])}, key=len, reverse=True)
            for key, pats in _DERIVATIONS.items()}
SOFTENING = {"k": "ğy", "p": "b", "t": "d", "ç": "c", "q": "ğ"}


def _last_vowel(text: str) -> str | None:
    for ch in reversed(text):
        if ch in VOWELS:
            return ch
    return None


def _harmonic(prev: str | None, vowel: str, palatal_l: bool = False) -> bool:
    if prev is None:
        return True
    if palatal_l and prev in FRONT_OF and _harmonic(FRONT_OF[prev], vowel):
        return True
    if (prev in BACK) != (vowel in BACK):
        return False
    return vowel not in HIGH or (prev in ROUND) == (vowel in ROUND)


def _fits(form: str, invariant: bool, prev_char: str, prev_vowel: str | None, where: str,
          strict: bool, palatal_l: bool) -> tuple[bool, str | None]:
    """May `form` follow, and what is the last vowel after it?"""
    if strict:
        after_vowel = prev_char in VOWELS
        if where == "C" and after_vowel or where == "V" and not after_vowel:
            return False, None
    if where == "H" and prev_char not in HIGH:
        return False, None  # the pronominal n needs a possessive before it, even after an apostrophe
    last = prev_vowel
    for ch in form:
        if ch in VOWELS:
            if strict and not invariant and not _harmonic(last, ch, palatal_l):
                return False, None
            last, palatal_l = ch, False
    return True, last


def _chain(rest: str, lang: str, prev_char: str, prev_vowel: str | None, depth: int, strict: bool,
           palatal_l: bool, must_start_vowel: bool) -> bool:
    if not rest:
        return not must_start_vowel
    if depth == 0:
        return False
    for form, where, invariant in _SUFFIXES[lang].get(rest[0], ()):
        if not rest.startswith(form) or (must_start_vowel and form[0] not in VOWELS):
            continue
        ok, last = _fits(form, invariant, prev_char, prev_vowel, where, strict, palatal_l)
        if ok and _chain(rest[len(form):], lang, form[-1], last, depth - 1, strict, False, False):
            return True
    return False


@lru_cache(maxsize=131072)
def suffixes_fit(stem: str, rest: str, lang: str, strict: bool = True, domain: str | None = None,
                 softened: bool = False) -> bool:
    """Is `rest` a valid chain of suffixes after `stem` (both folded)?

    `softened`: the stem's last consonant has softened, so a vowel-initial suffix must follow.
    `strict`: harmony and buffer rules apply (no apostrophe before the suffixes)."""
    if not rest:
        return False
    prev_vowel = _last_vowel(stem)
    palatal_l = stem.endswith("l")
    if _chain(rest, lang, stem[-1], prev_vowel, 4, strict, palatal_l, softened):
        return True
    if softened:
        return False
    for form in _DERIVED.get((lang, domain), ()):
        if not rest.startswith(form):
            continue
        ok, last = _fits(form, False, stem[-1], prev_vowel, "*", strict, palatal_l)
        if not ok:
            continue
        tail = rest[len(form):]
        if lang == "az" and form[-1] in "qkğy" and (form[-1] in "qğ") != (last in BACK):
            continue
        if form[-1] in "ğy":  # -lIk softened: a vowel-initial suffix must follow
            if tail and _chain(tail, lang, form[-1], last, 3, strict, False, True):
                return True
        elif not tail or _chain(tail, lang, form[-1], last, 3, strict, False, False):
            return True
    return False


@lru_cache(maxsize=131072)
def turkic_word(term_word: str, word: str, lang: str, domain: str | None = None) -> bool:
    """Is the folded `word` a form of the folded `term_word`?"""
    if word == term_word:
        return True
    for mark in "'’":
        if mark in word:
            base, _, suffix = word.partition(mark)
            return base == term_word and suffixes_fit(base, suffix, lang, False, domain)
    if word.startswith(term_word) and suffixes_fit(term_word, word[len(term_word):], lang, True, domain):
        return True
    softs = "g" if term_word.endswith("nk") else SOFTENING.get(term_word[-1:], "")
    for soft in softs:
        stem = term_word[:-1] + soft
        if word.startswith(stem) and suffixes_fit(stem, word[len(stem):], lang, True, domain, True):
            return True
    return False
