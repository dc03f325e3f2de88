"""Align the segments of a new article version with the previous one (pure: no database, no Flask).

The alignment is a sequence alignment over normalised segment texts, never by index:

1. `difflib.SequenceMatcher` (autojunk off) finds the runs of segments whose normalised text is
   equal, in order: those are **kept**.
2. Between two kept runs, the old and new segments left over are paired by an order-preserving
   dynamic programme that maximises the total similarity (rapidfuzz `fuzz.ratio` on normalised
   text, 0-100) of the pairs. A pair scoring at least `CHANGED_THRESHOLD` is the same sentence
   **changed**; old segments left unpaired are **removed**, new ones **added**.

Why 60: a corrected figure, a renamed person or a trimmed clause keeps a news sentence above 80;
two different sentences of the same story score 30-55 (they share function words and names). 60
keeps heavy edits of one sentence together without pairing a replaced sentence with its neighbour.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

CHANGED_THRESHOLD = 60.0

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
                         "\u00a0": " ", "\u202f": " "})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The text as compared: NFKC, straight quotes, whitespace collapsed and trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES)).strip()


@dataclass(frozen=True)
class Op:
    """One step of an alignment: kept / changed (both indexes), added (new only), removed (old only)."""
    kind: str
    old: int | None
    new: int | None
    similarity: float = 100.0


def align(old: list[str], new: list[str], threshold: float = CHANGED_THRESHOLD) -> list[Op]:
    """The alignment of two segment lists, as ops in the new version's order (removed ones where
    they stood)."""
    a, b = [normalise(t) for t in old], [normalise(t) for t in new]
    ops: list[Op] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops += [Op("kept", i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            ops += _pair_block(a, b, range(i1, i2), range(j1, j2), threshold)
    return ops


def _pair_block(a: list[str], b: list[str], olds: range, news: range, threshold: float) -> list[Op]:
    """Order-preserving best pairing of a block of differing old and new segments."""
    if not olds or not news:
        return [Op("removed", i, None) for i in olds] + [Op("added", None, j) for j in news]
    scores = cdist([a[i] for i in olds], [b[j] for j in news], scorer=fuzz.ratio)
    n, m = len(olds), len(news)
    # best[i][j]: the best total similarity pairing olds[i:] with news[j:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            value = max(below[j], row[j + 1])
            score = scores[i][j]
            if score >= threshold and score + below[j + 1] > value:
                value = score + below[j + 1]
            row[j] = value
    out, i, j = [], 0, 0
    while i < n and j < m:
        score = scores[i][j]
        if score >= threshold and best[i][j] == score + best[i + 1][j + 1]:
            out.append(Op("changed", olds[i], news[j], round(float(score), 1)))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append(Op("removed", olds[i], None))
            i += 1
        else:
            out.append(Op("added", None, news[j]))
            j += 1
    out += [Op("removed", k, None) for k in olds[i:]] + [Op("added", None, k) for k in news[j:]]
    return out


def summary(ops: list[Op]) -> dict[str, int]:
    counts = dict.fromkeys(("kept", "changed", "added", "removed"), 0)
    for op in ops:
        counts[op.kind] += 1
    return counts


# Words in the changed middle (after the common start and end are set aside) beyond which the
# middle is shown as replaced whole: SequenceMatcher's cost grows much faster than the text on
# repetitive words (1,000 words took 4.6 s), and a save may hold any text.
DIFF_WORDS = 200


def word_diff_ops(old: str, new: str) -> list[tuple[str, str]]:
    """A word diff as (kind, words) pairs, kind in equal / delete / insert (templates render it)."""
    x, y = old.split(), new.split()
    head = 0
    while head < min(len(x), len(y)) and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < min(len(x), len(y)) - head and x[-1 - tail] == y[-1 - tail]:
        tail += 1
    middle_x, middle_y = x[head:len(x) - tail], y[head:len(y) - tail]
    out: list[tuple[str, str]] = [("equal", " ".join(x[:head]))] if head else []
    if len(middle_x) + len(middle_y) > DIFF_WORDS:
        opcodes = [("replace", 0, len(middle_x), 0, len(middle_y))]
    else:
        opcodes = difflib.SequenceMatcher(a=middle_x, b=middle_y, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            out.append(("equal", " ".join(middle_x[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", " ".join(middle_x[i1:i2])))
        if j2 > j1:
            out.append(("insert", " ".join(middle_y[j1:j2])))
    if tail:
        out.append(("equal", " ".join(x[len(x) - tail:])))
    return out
