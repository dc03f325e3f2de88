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
SENTENCE_END = re.compile(r"[.!?…:]\s*$|^\s*$")


@dataclass(frozen=True)
class Name:
    text: str
    start: int
    end: int
    initial: bool  # begins the sentence


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def capitalised_sequences(text: str, lang: str = "en", common: frozenset = frozenset()) -> list[Name]:
    """Runs of capitalised words (joined by connectors), less stop words and common words."""
    words = list(WORD.finditer(text))
    names, i = [], 0
    while i < len(words):
        word = words[i].group().rstrip(".")
        if not _capitalised(word) or word.casefold() in STOP and not ACRONYM.match(word):
            i += 1
            continue
        j = i
        while j + 1 < len(words):
            nxt = words[j + 1].group().rstrip(".")
            if _capitalised(nxt) and nxt.casefold() not in STOP:
                j += 1
            elif (nxt.casefold() in CONNECTORS and j + 2 < len(words)
                  and _capitalised(words[j + 2].group()) and lang == "en"):
                j += 2
            else:
                break
        start, end = words[i].start(), words[j].start() + len(words[j].group().rstrip("."))
        initial = bool(SENTENCE_END.search(text[:start]))
        if initial and j > i and word.casefold() in common and lang == "en":
            # "Envoy Elnur Qasimli spoke": a common word capitalised because it starts the sentence
            start, initial = words[i + 1].start(), False
            word = words[i + 1].group().rstrip(".")
            i += 1
        if not (j == i and (initial and not ACRONYM.match(word) or word.casefold() in common)):
            names.append(Name(text[start:end], start, end, initial))
        i = j + 1
    return names


def source_names(text: str, common: frozenset = frozenset()) -> list[Name]:
    """Names worth reporting: not a lone sentence-initial capital, not a common word."""
    return capitalised_sequences(text, "en", common)


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
