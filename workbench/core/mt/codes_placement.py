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

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from workbench.core import codes as inline

WORD = re.compile(r"\S+")
TOKEN = re.compile(r"\w+|[^\w\s]+")


@dataclass(frozen=True)
class Placement:
    text: str
    by_position: bool  # some code was placed where the alignment could not decide


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    word: int  # index of the whitespace-separated word holding it
    punct: bool
    text: str


def tokens(text: str) -> list[Token]:
    out = []
    for w, word in enumerate(WORD.finditer(text)):
        for m in TOKEN.finditer(word.group()):
            piece = m.group()
            out.append(Token(word.start() + m.start(), word.start() + m.end(), w, not piece[0].isalnum(), piece))
    return out


@dataclass
class _Code:
    kind: str  # "pair" or "single"
    n: int
    chars: str  # a pair: open + close; a single: its one character
    order: int  # source order of its (first) character
    span: tuple[int, int] | None = None  # a pair around source tokens i..j
    gap: int = 0  # a single (or an empty pair): before source token `gap`
    parent: int | None = None  # the enclosing pair's id in the source
    lean: str = "left"  # a single's side: a lone open code belongs with the words after it
    target: tuple[int, int] | None = None
    target_gap: int = 0
    children: list = field(default_factory=list)


def _source_codes(source: str) -> tuple[str, list[_Code]]:
    """The plain source and its codes, each anchored to the source tokens."""
    pairs = inline.paired_ids(source)
    plain_parts, offsets = [], []  # offsets: (char, plain offset, parent pair id)
    position, stack = 0, []
    opened: set[int] = set()
    for ch in source:
        info = inline.parse(ch)
        if info is None:
            plain_parts.append(ch)
            position += 1
            continue
        kind, n = info
        paired = n in pairs and (kind == inline.OPEN or n in opened)
        if kind == inline.OPEN and n in pairs:
            opened.add(n)
        offsets.append((ch, kind if paired else inline.PH, n, position, stack[-1] if stack else None))
        if paired and kind == inline.OPEN:
            stack.append(n)
        elif paired and kind == inline.CLOSE and n in stack:
            stack.remove(n)
    plain = "".join(plain_parts)
    toks = tokens(plain)
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]

    def first_ending_after(p):  # the token holding or following offset p
        return next((i for i, e in enumerate(ends) if e > p), len(toks))

    def before(p):  # tokens starting before offset p
        return sum(1 for s in starts if s < p)

    found: dict[int, _Code] = {}
    items: list[_Code] = []
    for order, (ch, kind, n, p, parent) in enumerate(offsets):
        if kind == inline.OPEN:
            found[n] = _Code("pair", n, ch, order, parent=parent)
            found[n].span = (first_ending_after(p), -1)
            items.append(found[n])
        elif kind == inline.CLOSE:
            code = found[n]
            code.chars += ch
            code.span = (code.span[0], before(p) - 1)
            if code.span[0] > code.span[1]:  # nothing between open and close
                code.gap, code.span = code.span[0], None
        else:
            original = inline.parse(ch)[0]
            gap = first_ending_after(p) if original == inline.OPEN else before(p)
            items.append(_Code("single", n, ch, order, gap=gap, parent=parent,
                               lean="right" if original == inline.OPEN else "left"))
    for code in items:
        if code.kind == "pair" and len(code.chars) == 1:  # never closed (a malformed source)
            code.kind, code.gap, code.span, code.lean = "single", code.span[0], None, "right"
    return plain, items


def _links_from_alignment(alignment, src: list[Token], tgt: list[Token]) -> dict[int, set[int]]:
    """Word pairs to token links: a letter token to the letter tokens of the aligned word, a
    punctuation token to its punctuation tokens (to every token of the word when it has none of
    that kind)."""
    by_word_s: dict[int, list[int]] = {}
    by_word_t: dict[int, list[int]] = {}
    for i, t in enumerate(src):
        by_word_s.setdefault(t.word, []).append(i)
    for i, t in enumerate(tgt):
        by_word_t.setdefault(t.word, []).append(i)
    links: dict[int, set[int]] = {}
    for sw, tw in alignment:
        targets = by_word_t.get(tw)
        for s in by_word_s.get(sw, ()):
            if not targets:
                continue
            same = [t for t in targets if tgt[t].punct == src[s].punct]
            links.setdefault(s, set()).update(same or targets)
    return links


def fallback_links(src: list[Token], tgt: list[Token]) -> tuple[dict[int, set[int]], set[int]]:
    """Token links without an engine alignment: (links, the source tokens linked by position only).

    1. Equal tokens (case-folded) where the source and the target have them equally often, in
       order; then letter tokens of 4+ characters at most a fifth of their length apart
       (Levenshtein), when that target token is the only one so close.
    2. A token between two linked neighbours, when the target has unlinked room between their
       targets, goes to its relative place in that room (by position)."""
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
    free = [t for t in range(len(tgt)) if t not in used and not tgt[t].punct and len(t_text[t]) >= 4]
    for s, w in enumerate(s_text):
        if s in links or src[s].punct or len(w) < 4 or not free:
            continue
        close = [t for t in free if Levenshtein.distance(w, t_text[t], score_cutoff=len(w) // 5) <= len(w) // 5]
        if len(close) == 1:
            links[s] = {close[0]}
            free.remove(close[0])
    positional: set[int] = set()
    anchored = sorted(links)
    for s in range(len(src)):
        if s in links:
            continue
        left = max((a for a in anchored if a < s), default=-1)
        right = min((a for a in anchored if a > s), default=len(src))
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
    plain, items = _source_codes(source)
    src, tgt = tokens(plain), tokens(target)
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
    placed: dict[int, tuple[int, int]] = {}
    rank: dict[int, int] = {}
    for code in sorted(pairs.values(), key=lambda c: c.order):  # parents before children
        if m == 0:
            code.span, code.gap = None, 0
            by_position = True
            continue
        parent = code.parent
        while parent is not None and parent not in placed:
            parent = pairs[parent].parent if parent in pairs else None
        bounds = placed[parent] if parent is not None else (0, m - 1)
        i, j = code.span
        aligned = set().union(*(links.get(s, ()) for s in range(i, j + 1)))
        want = None
        if i == 0 and j == n_src - 1 and parent is None:  # a pair around the whole sentence stays so
            want = (0, m - 1)
        elif aligned:
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
        code.target_gap, guessed = _gap(code.gap, links, positional, n_src, m, code.lean)
        by_position = by_position or guessed
    return Placement(_emit(target, tgt, items, placed, rank), by_position)


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


def _emit(target: str, tgt: list[Token], items: list[_Code], placed: dict, rank: dict) -> str:
    m = len(tgt)
    opens: dict[int, list] = {}
    closes: dict[int, list] = {}
    zero: dict[int, list] = {}
    for code in items:
        if code.n in placed and code.kind == "pair":
            a, b = placed[code.n]
            opens.setdefault(a, []).append((-b, rank[code.n], code.chars[0]))
            closes.setdefault(b + 1, []).append((-a, -rank[code.n], code.chars[1]))
        else:
            zero.setdefault(code.target_gap, []).append((code.order, code.chars))
    out, cursor = [], 0
    for p in range(m + 1):
        after = "".join(ch for *_, ch in sorted(closes.get(p, []))) + \
            "".join(chars for _, chars in sorted(zero.get(p, [])))
        before = "".join(ch for *_, ch in sorted(opens.get(p, [])))
        if p == 0:
            start = tgt[0].start if m else len(target)
            out.append(target[:start] + after + before)
            cursor = start
            continue
        end = tgt[p - 1].end
        out.append(target[cursor:end] + after)
        cursor = end
        if p < m:
            start = tgt[p].start
            out.append(target[cursor:start] + before)
            cursor = start
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
