"""Names in sentence pairs: capitalised sequences and acronyms in English sources, aligned by
position with the capitalised sequences of a translation.

Precision over recall, because what this finds is shown to people as a problem or a suggestion:
* a capitalised word that starts a sentence is not a name on its own (it is capitalised because
  it starts the sentence); an acronym (two to six capitals, "NATO", "OSCE") is;
* common words are never names: a short list of English function words, weekdays and months,
  and `common` (words the caller has seen written in lower case elsewhere);
* a source name is paired with a target sequence only when the sentence pair has as many
  capitalised sequences on each side (after the glossary's terms are taken out): the i-th name
  goes with the i-th sequence. Anything else gives no pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"\w+(?:[-'’.]\w+)*\.?")
CONNECTORS = {"of", "for", "and", "the", "de", "al"}  # inside "Ministry of Defence"
ACRONYM = re.compile(r"^[A-Z]{2,6}s?$")
STOP = set("""
a an the in on at to of for and or but if as by from with into over after before about against
between during without within he she it its they them their we our you your i his her this that
these those there here what which who whom whose when where why how all any both each few more most
other some such no nor not only own same so than too very can will just should now also yet
said says say according however meanwhile earlier later today yesterday tomorrow mr mrs ms dr
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december
""".split())
SENTENCE_END = ".!?…:"
# Common nouns that news text capitalises as titles: part of a name ("Ministry of Defence"),
# never a name on their own.
LONE_COMMON = set("""
president minister ministry government army state prime deputy chief head general colonel major
captain lieutenant news agency city country region district republic parliament foreign defence
defense interior national international university service office council committee
""".split())


@dataclass(frozen=True)
class Name:
    text: str
    start: int
    end: int
    initial: bool  # begins the sentence


def capitalised_sequences(text: str, lang: str = "en", common: frozenset = frozenset()) -> list[Name]:
    """Runs of capitalised words (joined by connectors), less stop words and common words."""
    words = [(m.group().rstrip("."), m.start()) for m in WORD.finditer(text)]
    folded = [w.casefold() for w, _ in words]
    caps = [w[:1].isupper() and (f not in STOP or bool(ACRONYM.match(w)))
            for (w, _), f in zip(words, folded)]
    names, i, n = [], 0, len(words)
    while i < n:
        if not caps[i]:
            i += 1
            continue
        j = i
        while j + 1 < n:
            if caps[j + 1]:
                j += 1
            elif lang == "en" and j + 2 < n and folded[j + 1] in CONNECTORS and caps[j + 2]:
                j += 2
            else:
                break
        start, end = words[i][1], words[j][1] + len(words[j][0])
        before = text[:start].rstrip()
        initial = not before or before[-1] in SENTENCE_END
        first = i
        if initial and j > i and folded[i] in common and lang == "en":
            # "Envoy Elnur Qasimli spoke": a common word capitalised because it starts the sentence
            first, initial = i + 1, False
            start = words[first][1]
        lone = j == first
        if not (lone and (initial and not ACRONYM.match(words[first][0]) or folded[first] in common
                          or folded[first] in LONE_COMMON)):
            names.append(Name(text[start:end], start, end, initial))
        i = j + 1
    return names


@lru_cache(maxsize=8192)
def source_names(text: str, common: frozenset = frozenset()) -> tuple[Name, ...]:
    """Names worth reporting: not a lone sentence-initial capital, not a common word."""
    return tuple(capitalised_sequences(text, "en", common))


def _masked(text: str, spans) -> str:
    """The text with explained spans blanked out (same offsets), so runs split around them."""
    for start, end in spans:
        text = text[:start] + "_" * (end - start) + text[end:]
    return text


def align(source: str, target: str, lang: str, source_taken=(), target_taken=(),
          common: frozenset = frozenset()) -> list[tuple[Name, Name]]:
    """Pair source names with target sequences by position, when the counts agree.

    `source_taken` / `target_taken`: (start, end) spans already explained (glossary terms)."""
    src = source_names(_masked(source, source_taken), common)
    if not src:
        return []
    tgt = capitalised_sequences(_masked(target, target_taken), lang)
    if lang != "en":
        # The target's first word is capitalised anyway; drop it unless the source also starts
        # with a name, so a capitalised "Bu"/"В" does not shift every pair.
        if tgt and tgt[0].initial and not src[0].initial and len(tgt) == len(src) + 1:
            tgt = tgt[1:]
    if len(src) != len(tgt):
        return []
    return [(s, _drop_first_word(t) if t.initial and not s.initial and _count(t) > _count(s) else t)
            for s, t in zip(src, tgt)]


def _count(name: Name) -> int:
    return len(WORD.findall(name.text))


def _drop_first_word(name: Name) -> Name:
    """A target run that starts the sentence may begin with a capitalised ordinary word
    ("Onlar Elnur Qasımlıya"): when the source name does not start its sentence, drop it."""
    first = WORD.match(name.text)
    rest = name.text[first.end():].lstrip() if first else ""
    if not rest:
        return name
    start = name.end - len(rest)
    return Name(rest, start, name.end, False)


def base_form(text: str) -> str:
    """A rendering without a Turkish apostrophe suffix: "Bakü'de" -> "Bakü"."""
    return re.sub(r"['’]\w+", "", text)
