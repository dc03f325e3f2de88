"""Find glossary concepts in English text: a token trie, longest match first, on word boundaries.

Text and terms are both cut into word tokens (letters and digits), case-folded, with an English
possessive ('s) dropped; hyphens, dots and spaces between words all count as one boundary, so
"Col-Gen", "Col. Gen." and "col gen" are the same key, and "Baku-Tbilisi-Ceyhan" holds "Baku" and
"Tbilisi". The trie walks each position once, so tens of thousands of terms cost no more per
segment than a few.

One precision rule: a single-word term written with a capital ("Major", "Georgia") matches only
a capitalised word, so the rank "Major" does not fire on "a major step".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r"\w+(?:['’]s(?!\w))?")
_END = "\0"


@dataclass(frozen=True)
class SourceMatch:
    concept: str  # concept key in the checker, "glossary\tid"
    start: int
    end: int
    text: str


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded token, start, end) for every word; possessive 's stays in the span but not the key."""
    out = []
    for match in TOKEN.finditer(text):
        word = match.group()
        if word[-2:] in ("'s", "’s"):
            word = word[:-2]
        out.append((word.casefold(), match.start(), match.end()))
    return out


def term_key(term: str) -> tuple[str, ...]:
    return tuple(word for word, _, _ in tokens(term))


class SourceMatcher:
    def __init__(self):
        self.trie: dict = {}
        self.size = 0

    def add(self, term: str, concept: str) -> None:
        key = term_key(term)
        if not key:
            return
        needs_capital = len(key) == 1 and term.strip()[:1].isupper()
        node = self.trie
        for word in key:
            node = node.setdefault(word, {})
        node.setdefault(_END, {})[concept] = node.get(_END, {}).get(concept, True) and needs_capital
        self.size += 1

    def find(self, text: str) -> list[SourceMatch]:
        words = tokens(text)
        found, i = [], 0
        while i < len(words):
            node, best = self.trie, None
            for j in range(i, len(words)):
                node = node.get(words[j][0])
                if node is None:
                    break
                if _END in node:
                    best = (j, node[_END])
            if best is None:
                i += 1
                continue
            j, concepts = best
            start, end = words[i][1], words[j][2]
            span = text[start:end]
            for concept, needs_capital in concepts.items():
                if needs_capital and not span[:1].isupper():
                    continue
                found.append(SourceMatch(concept, start, end, span))
            i = j + 1
        return found
