"""Russian declension by paradigm: a term word's own ending decides which endings its forms take.

"Грузия" declines as Грузии/Грузию/Грузией, never as "груз"+"а" (cargo); "Армения" never as the
name "Армен"; "Карабах" takes the hard-consonant endings (Карабаха, Карабахе, Карабахом).
Adjectives (-ый/-ий/-ой/-ая/-ое/-ые...) take every adjective ending, surnames in -ов/-ев/-ин
their instrumental -ым and feminine -ой as well. Nouns in -ий may be either, so both apply.
Fleeting vowels are recognised before a non-empty ending (посол/посла, Египет/в Египте,
день/дня, боец/бойца); known look-alike: "после" (after) reads as the prepositional of "посол".
Not recognised: other stem alternations (друг/друзья), suppletion (человек/люди), derived
adjectives ("Бакинский" for Баку) unless the glossary lists them.
"""

from __future__ import annotations

from functools import lru_cache

VOWELS = set("аеёиоуыэюя")
ADJECTIVE = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")
ADJECTIVE_ENDINGS = frozenset("""ый ий ой ая яя ое ее ые ие ого его ому ему ым им ом ем ую юю ей ых их
ыми ими""".split())
HARD = frozenset(["", "а", "у", "ом", "е", "ы", "и", "ов", "ам", "ами", "ах", "ей", "ем"])
SURNAME = HARD | {"ым", "ой", "ых", "ыми", "а", "у"}
PARADIGMS = [  # (term ending, endings of its forms), longest term ending first
    ("ия", {"ия", "ии", "ию", "ией", "иею", "ий", "иям", "иями", "иях"}),
    ("ие", {"ие", "ия", "ию", "ием", "ии", "ий", "иям", "иями", "иях"}),
    ("ье", {"ье", "ья", "ью", "ьем", "ьи", "ий", "ьям", "ьями", "ьях"}),
    ("а", {"а", "ы", "и", "е", "у", "ой", "ою", "ам", "ами", "ах", ""}),
    ("я", {"я", "и", "е", "ю", "ей", "ею", "ь", "й", "ям", "ями", "ях"}),
    ("ь", {"ь", "я", "ю", "ем", "е", "и", "ей", "ью", "ям", "ями", "ях"}),
    ("й", {"й", "я", "ю", "ем", "е", "и", "ев", "ям", "ями", "ях"}),
    ("о", {"о", "а", "у", "ом", "е", "ы", "и", "ам", "ами", "ах", ""}),
    ("е", {"е", "я", "ю", "ем", "и", "ей", "ям", "ями", "ях"}),
]


@lru_cache(maxsize=65536)
def paradigms(word: str) -> tuple[tuple[str, frozenset], ...]:
    """(stem, endings) pairs the word's forms are made of."""
    out = []
    if len(word) >= 4 and word.endswith(ADJECTIVE):
        out.append((word[:-2], ADJECTIVE_ENDINGS))
    for ending, endings in PARADIGMS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            out.append((word[:-len(ending)], frozenset(endings)))
            break
    else:
        if word[-1:] not in VOWELS:
            out.append((word, SURNAME if word.endswith(("ов", "ев", "ин", "ын")) else HARD))
    fleeting = fleeting_stem(word)
    if fleeting:  # oblique forms only: the nominative keeps its vowel
        soft = dict(PARADIGMS).get(word[-1:]) if word[-1:] in "ьй" else None
        out.append((fleeting, frozenset(soft - {word[-1]}) if soft else HARD - {""}))
    return tuple(out)


@lru_cache(maxsize=65536)
def fleeting_stem(word: str) -> str | None:
    """The oblique stem of a noun with a fleeting vowel: посол/посла, Египет/Египта, день/дня,
    боец/бойца, лев/льва."""
    core = word[:-1] if word[-1:] in "ьй" else word
    if len(core) < 3 or core[-2] not in "оеё" or core[-1] in VOWELS or core[-1] in "ьй":
        return None
    before = core[-3]
    if before in VOWELS:
        return core[:-2] + "й" + core[-1]
    if before == "л" and core[-2] != "о":
        return core[:-2] + "ь" + core[-1]
    return core[:-2] + core[-1]


def russian_word(term_word: str, word: str) -> bool:
    """Is the folded `word` a form of the folded `term_word`?"""
    if word == term_word:
        return True
    return any(word.startswith(stem) and word[len(stem):] in endings
               for stem, endings in paradigms(term_word))
