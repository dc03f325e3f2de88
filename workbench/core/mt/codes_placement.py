"""Inline codes through machine translation: the engine translates the text without codes
(codes.plain), and `place` puts the source's codes into the translation.

    place(tagged_source, target_plain, alignment=None) -> Placement(text, by_position)

Where each code goes is read from a word alignment between the source and the target:

- `alignment`, when the engine gives one: pairs (source word, target word), words being the
  whitespace-separated words of codes.plain(source) and of the target, 0-based. CTranslate2
  engines derive it from the attention weights (engine.py: attention_alignment).
- otherwise a small lexical and positional aligner (`fallback_links`): equal tokens (names,
  numbers, punctuation, words MT left alone), then tokens between two such anchors by their
  relative position. There is no per-sentence aligner to reuse here: statistical aligners
  (fast_align, eflomal) learn from a parallel corpus, neural ones (SimAlign, awesome-align) need a
  multilingual BERT model; neither fits one sentence at a time with no download.

Inside a word, tokens are runs of letters/digits or of punctuation, so a pair around "news" in
"news." stays off the full stop.

Guarantees, whatever the engine returned: every code of the source is in the result exactly once,
no other code is, and pairs nest (an open before its close, no two pairs crossing). A pair that
wrapped words wraps the target words aligned to them (and stays inside its source parent). Where
the alignment cannot decide (no aligned word, a crossing, an empty translation) the code goes to
the nearest safe place: a pair around its parent's words (the whole translation at the top), a
standalone code at its relative position; `by_position` is then True and the MT write path gives
the segment a QA warning (core/qa.py: check_code_placement).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workbench.core import codes as inline

TOKEN = re.compile(r"\w+|[^\w\s]+")


@dataclass(frozen=True)
class Placement:
    text: str
    by_position: bool  # some code was placed where the alignment could not decide


class Token(NamedTuple):
    start: int
    end: int
    word: int  # index of the whitespace-separated word holding it
    punct: bool
    text: str


def tokens(text: str) -> list[Token]:
    """Runs of letters/digits and runs of punctuation, each with the whitespace-separated word it is in."""
    out, word, last_end = [], -1, -1
    for m in TOKEN.finditer(text):
        start, piece = m.start(), m.group()
        if start != last_end:  # whitespace (or the text's start) before it: a new word
            word += 1
        last_end = m.end()
        out.append(Token(start, last_end, word, not piece[0].isalnum(), piece))
    return out


@dataclass(frozen=True)
class _Code:
    kind: str  # "pair" or "single"
    n: int
    chars: str  # a pair: open + close; a single (or an empty pair): what goes in one place
    order: int  # source order of its (first) character
    span: tuple[int, int] | None = None  # a pair around source tokens i..j
    gap: int = 0  # a single or an empty pair: before source token `gap`
    parent: int | None = None  # the enclosing pair's id in the source
    lean: str = "left"  # a single's side: a lone open code belongs with the words after it


@functools.lru_cache(maxsize=2048)
def _analyse(source: str) -> tuple[tuple[Token, ...], tuple[_Code, ...]]:
    """The source's tokens and its codes, each anchored to the tokens (cached: every hypothesis of
    a sentence, and its repetitions, read the same source)."""
    pairs = inline.paired_ids(source)
    marks = []  # (char, kind as placed, id, offset in the plain text, enclosing pair)
    stack: list[int] = []
    opened: set[int] = set()
    for count, m in enumerate(inline.CODE.finditer(source)):
        ch = m.group()
        kind, n = inline.parse(ch)
        paired = n in pairs and (kind == inline.OPEN or n in opened)
        if kind == inline.OPEN and n in pairs:
            opened.add(n)
        marks.append((ch, kind if paired else inline.PH, n, m.start() - count, stack[-1] if stack else None))
        if paired and kind == inline.OPEN:
            stack.append(n)
        elif paired and kind == inline.CLOSE and n in stack:
            stack.remove(n)
    toks = tokens(inline.plain(source))
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]

    def holding_or_after(p):  # the token holding or following offset p
        return bisect_right(ends, p)

    def before(p):  # tokens starting before offset p
        return bisect_left(starts, p)

    opens: dict[int, tuple] = {}
    items: list[_Code] = []
    for order, (ch, kind, n, p, parent) in enumerate(marks):
        if kind == inline.OPEN:
            opens[n] = (ch, order, holding_or_after(p), parent, len(items))
            items.append(None)  # filled at its close
        elif kind == inline.CLOSE:
            open_ch, open_order, i, open_parent, slot = opens.pop(n)
            j = before(p) - 1
            items[slot] = (_Code("pair", n, open_ch + ch, open_order, span=(i, j), parent=open_parent) if i <= j
                           else _Code("pair", n, open_ch + ch, open_order, gap=i, parent=open_parent))
        else:
            original = inline.parse(ch)[0]
            gap = holding_or_after(p) if original == inline.OPEN else before(p)
            items.append(_Code("single", n, ch, order, gap=gap, parent=parent,
                               lean="right" if original == inline.OPEN else "left"))
    for open_ch, open_order, i, open_parent, slot in opens.values():  # never closed: a malformed source
        items[slot] = _Code("single", inline.parse(open_ch)[1], open_ch, open_order, gap=i, parent=open_parent,
                            lean="right")
    return tuple(toks), tuple(items)


def _links_from_alignment(alignment, src: list[Token], tgt: list[Token]) -> dict[int, set[int]]:
    """Word pairs to token links: a letter token to the letter tokens of the aligned word, a
    punctuation token to its punctuation tokens (to every token of the word when it has none of
    that kind)."""
    by_word_s: dict[int, list[int]] = {}
    for i, t in enumerate(src):
        by_word_s.setdefault(t.word, []).append(i)
    by_word_t: dict[int, tuple[list[int], list[int]]] = {}  # word -> (letter tokens, punctuation tokens)
    for i, t in enumerate(tgt):
        by_word_t.setdefault(t.word, ([], []))[t.punct].append(i)
    links: dict[int, set[int]] = {}
    for sw, tw in set(map(tuple, alignment)):
        kinds = by_word_t.get(tw)
        if kinds is None:
            continue
        for s in by_word_s.get(sw, ()):
            same = kinds[src[s].punct]
            links.setdefault(s, set()).update(same or kinds[not src[s].punct])
    return links


def fallback_links(src: list[Token], tgt: list[Token]) -> tuple[dict[int, set[int]], set[int]]:
    """Token links without an engine alignment: (links, the source tokens linked by position only).

    1. Equal tokens (case-folded) where the source and the target have them equally often, in
       order; then letter tokens of 4+ characters at most a fifth of their length apart
       (Levenshtein), when that target token is the only one so close.
    2. A token between two linked neighbours (or the sentence's edges), when the target has tokens
       between their targets, goes to its relative place among them (by position). A token whose
       neighbours' targets are adjacent (MT dropped it) stays unlinked."""
    s_text = [t.text.casefold() for t in src]
    t_text = [t.text.casefold() for t in tgt]
    links: dict[int, set[int]] = {}
    s_at: dict[str, list[int]] = {}
    t_at: dict[str, list[int]] = {}
    for i, w in enumerate(s_text):
        s_at.setdefault(w, []).append(i)
    for i, w in enumerate(t_text):
        t_at.setdefault(w, []).append(i)
    used: set[int] = set()
    for w, where in s_at.items():
        there = t_at.get(w)
        if there and len(there) == len(where):
            for s, t in zip(where, there):
                links[s] = {t}
                used.add(t)
    free = {t: t_text[t] for t in range(len(tgt)) if t not in used and not tgt[t].punct and len(t_text[t]) >= 4}
    for s, w in enumerate(s_text):
        if s in links or src[s].punct or len(w) < 4 or not free:
            continue
        close = process.extract(w, free, scorer=Levenshtein.distance, score_cutoff=len(w) // 5, limit=2)
        if len(close) == 1:
            t = close[0][2]
            links[s] = {t}
            del free[t]
    positional: set[int] = set()
    anchored = sorted(links)
    for s in range(len(src)):
        if s in links:
            continue
        k = bisect_left(anchored, s)
        left = anchored[k - 1] if k else -1
        right = anchored[k] if k < len(anchored) else len(src)
        low = max(links[left]) if left >= 0 else -1
        high = min(links[right]) if right < len(src) else len(tgt)
        room = high - low - 1
        if room <= 0:
            continue
        t = low + 1 + (s - left - 1) * room // (right - left - 1)
        links[s] = {t}
        positional.add(s)
    return links, positional


def place(source: str, target: str, alignment=None) -> Placement:
    """The target with the source's codes placed; see the module docstring."""
    target = inline.plain(target or "")
    if not inline.has_codes(source):
        return Placement(target, False)
    src, items = _analyse(source)
    tgt = tokens(target)
    if alignment is not None:
        links, positional = _links_from_alignment(alignment, src, tgt), set()
    else:
        links, positional = fallback_links(src, tgt)
    return _place(target, items, src, tgt, links, positional)


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[0] <= a[1] < b[1] or b[0] < a[0] <= b[1] < a[1]


def _place(target, items, src, tgt, links, positional) -> Placement:
    m, n_src = len(tgt), len(src)
    by_position = False
    pairs = {c.n: c for c in items if c.kind == "pair" and c.span is not None}
    placed: dict[int, tuple[int, int]] = {}  # pair id -> target tokens a..b
    rank: dict[int, int] = {}  # order of placing: of two pairs round the same words, the first is outside
    gaps: dict[int, int] = {}  # anything else: order -> the target gap it goes in
    for code in sorted(pairs.values(), key=lambda c: c.order):  # parents before children
        if m == 0:
            by_position = True
            continue
        parent = code.parent
        while parent is not None and parent not in placed:
            parent = pairs[parent].parent if parent in pairs else None
        bounds = placed[parent] if parent is not None else (0, m - 1)
        i, j = code.span
        want = None
        if i == 0 and j == n_src - 1 and parent is None:  # a pair around the whole sentence stays so
            want = (0, m - 1)
        else:
            aligned = set().union(*(links.get(s, ()) for s in range(i, j + 1)))
            if aligned:
                a, b = max(min(aligned), bounds[0]), min(max(aligned), bounds[1])
                if a <= b and not any(_crosses((a, b), other) for other in placed.values()):
                    want = (a, b)
                    if any(s in positional for s in range(i, j + 1)):
                        by_position = True
        if want is None:
            want = bounds
            by_position = True
        placed[code.n] = want
        rank[code.n] = len(rank)
    for code in items:
        if code.kind == "pair" and code.n in placed:
            continue
        gap = code.gap if code.span is None else code.span[0]
        gaps[code.order], guessed = _gap(gap, links, positional, n_src, m, code.lean)
        by_position = by_position or guessed
    return Placement(_emit(target, tgt, items, placed, rank, gaps), by_position)


def _gap(g: int, links, positional, n_src: int, m: int, lean: str = "left") -> tuple[int, bool]:
    """A source gap (before source token g) in the target: after the nearest linked token on its
    left, else before the nearest on its right (the other way round for a code that leans right);
    (gap, guessed)."""
    if g <= 0:
        return 0, False
    if g >= n_src:
        return m, False
    for distance in range(n_src):
        left, right = g - 1 - distance, g + distance
        sides = [("left", left), ("right", right)]
        for side, s in (sides if lean == "left" else sides[::-1]):
            if 0 <= s < n_src and links.get(s):
                gap = max(links[s]) + 1 if side == "left" else min(links[s])
                return gap, s in positional or distance > 0
        if left < 0 and right >= n_src:
            break
    return round(g * m / n_src), True


def _emit(target: str, tgt: list[Token], items, placed: dict, rank: dict, gaps: dict) -> str:
    """The target with the codes inserted: closes and standalone codes right after the token
    before their gap, opens right before the token after it."""
    m = len(tgt)
    opens: dict[int, list] = {}
    closes: dict[int, list] = {}
    zero: dict[int, list] = {}
    for code in items:
        if code.kind == "pair" and code.n in placed:
            a, b = placed[code.n]
            opens.setdefault(a, []).append((-b, rank[code.n], code.chars[0]))
            closes.setdefault(b + 1, []).append((-a, -rank[code.n], code.chars[1]))
        else:
            zero.setdefault(gaps[code.order], []).append((code.order, code.chars))
    inserts: dict[int, str] = {}  # character offset -> codes
    for p in set(opens) | set(closes) | set(zero):
        after = "".join(ch for *_, ch in sorted(closes.get(p, []))) + \
            "".join(chars for _, chars in sorted(zero.get(p, [])))
        before = "".join(ch for *_, ch in sorted(opens.get(p, [])))
        if p == 0 or m == 0:
            at = tgt[0].start if m else len(target)
            inserts[at] = inserts.get(at, "") + after + before
            continue
        end = tgt[p - 1].end
        inserts[end] = inserts.get(end, "") + after
        if before:
            start = tgt[p].start  # p < m: an open starts a token
            inserts[start] = inserts.get(start, "") + before
    out, cursor = [], 0
    for at in sorted(inserts):
        out.append(target[cursor:at])
        out.append(inserts[at])
        cursor = at
    out.append(target[cursor:])
    return "".join(out)


def compose(first, second):
    """source->pivot and pivot->target word pairs as source->target (pivot translation)."""
    if first is None or second is None:
        return None
    onward: dict[int, list[int]] = {}
    for p, t in second:
        onward.setdefault(p, []).append(t)
    return tuple(sorted({(s, t) for s, p in first for t in onward.get(p, ())}))
