"""Inline codes: the markup inside a sentence (bold, a link, a line break) as protected placeholders.

A segment's text (and every translation of it) carries its inline codes as single private-use
characters, one per code, so a code can never be half-deleted or mistyped, and every tool that
handles text (segmentation, MT, TM, QA, find & replace, interchange) sees one character it must
keep whole:

    open code n        chr(0xE100 + n)     paired with its close, e.g. <b> of "<b>three words</b>"
    close code n       chr(0xE500 + n)
    standalone code n  chr(0xE900 + n)     a line break, an image, an isolated tag

n runs from 1 to MAX_ID and is unique within a block (paragraph). What a code stands for (its
type, a link's URL and title, the native markup it came from) is the block's `codes` map,
{str(n): Mark-as-dict}; the text only says where it is. OmegaT, Okapi and translate-toolkit do the
same with tags: the skeleton keeps the markup, the segment only its position.

A person never types these characters: the editor shows them as chips, the API documents them,
and interchange files carry them as XLIFF/TMX inline elements. The import doors refuse the range
in source files (core/hygiene.py), so a private-use character in a text is always a code.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

OPEN_BASE, CLOSE_BASE, PH_BASE = 0xE100, 0xE500, 0xE900
MAX_ID = 0x3FF  # 1023 codes in one block: far beyond any paragraph
CODE_RANGE = "\ue100-\ueaff"
CODE = re.compile(f"[{CODE_RANGE}]")

OPEN, CLOSE, PH = "open", "close", "ph"


@dataclass
class Mark:
    """What a code stands for. `type` is one of b, i, u, s, a (link), code, sup, sub, br (line
    break), img, or x (anything else the format had); `attrs` the portable attributes (a link's
    href and title, an image's alt); `native` the format's own markup ({"open": "<b class=x>",
    "close": "</b>"} for HTML, run properties for Word) so an export can give back exactly what
    came in."""

    type: str
    attrs: dict = field(default_factory=dict)
    native: dict = field(default_factory=dict)
    paired: bool = True

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ({}, None)} | {"paired": self.paired}

    @classmethod
    def from_json(cls, data: dict) -> "Mark":
        return cls(type=data["type"], attrs=dict(data.get("attrs") or {}), native=dict(data.get("native") or {}),
                   paired=bool(data.get("paired", True)))


def open_char(n: int) -> str:
    return chr(OPEN_BASE + _checked(n))


def close_char(n: int) -> str:
    return chr(CLOSE_BASE + _checked(n))


def ph_char(n: int) -> str:
    return chr(PH_BASE + _checked(n))


def _checked(n: int) -> int:
    if not 1 <= n <= MAX_ID:
        raise ValueError(f"inline code id {n} out of range 1..{MAX_ID}")
    return n


def parse(char: str) -> tuple[str, int] | None:
    """(kind, id) of a code character, None for any other character."""
    point = ord(char)
    if OPEN_BASE < point <= OPEN_BASE + MAX_ID:
        return OPEN, point - OPEN_BASE
    if CLOSE_BASE < point <= CLOSE_BASE + MAX_ID:
        return CLOSE, point - CLOSE_BASE
    if PH_BASE < point <= PH_BASE + MAX_ID:
        return PH, point - PH_BASE
    return None


def is_code(char: str) -> bool:
    return parse(char) is not None


def char(kind: str, n: int) -> str:
    return {OPEN: open_char, CLOSE: close_char, PH: ph_char}[kind](n)


def plain(text: str) -> str:
    """The text without its codes (what MT translates, what counts and TM keys read)."""
    return CODE.sub("", text) if text else text


def has_codes(text: str) -> bool:
    return bool(text) and CODE.search(text) is not None


def codes_in(text: str) -> list[tuple[str, int]]:
    """Every code of the text in order, as (kind, id)."""
    return [parse(m.group()) for m in CODE.finditer(text or "") if parse(m.group())]


def code_ids(text: str) -> set[int]:
    return {n for _, n in codes_in(text)}


def problems(source: str, target: str) -> list[str]:
    """What is wrong with the target's codes against the source's, in words; [] when every code
    of the source is in the target exactly once, no other code is, and the target's pairs are
    properly nested (an open before its close, pairs not crossing). A code the source has only one
    side of (its partner is in another segment) is checked as a standalone one."""
    if not has_codes(source) and not has_codes(target):
        return []
    wanted = codes_in(source)
    found = codes_in(target)
    out = []
    missing = [c for c in wanted if c not in found]
    extra = [c for c in found if c not in wanted]
    duplicated = sorted({c for c in found if found.count(c) > 1 and c in wanted})
    if missing:
        out.append("missing inline code" + ("s " if len(missing) > 1 else " ") + ", ".join(label(*c) for c in missing))
    if extra:
        out.append("inline code" + ("s " if len(extra) > 1 else " ") + ", ".join(label(*c) for c in extra)
                   + " not in the source")
    if duplicated:
        out.append("inline code" + ("s " if len(duplicated) > 1 else " ") + ", ".join(label(*c) for c in duplicated)
                   + " more than once")
    if not out:
        nesting = nesting_problem(target, paired_ids(source))
        if nesting:
            out.append(nesting)
    return out


def paired_ids(text: str) -> set[int]:
    """Ids whose open and close are both in the text."""
    kinds: dict[int, set[str]] = {}
    for kind, n in codes_in(text):
        kinds.setdefault(n, set()).add(kind)
    return {n for n, k in kinds.items() if {OPEN, CLOSE} <= k}


def nesting_problem(text: str, pairs: set[int]) -> str | None:
    """A close before its open, or two pairs crossing, in words; None when the pairs nest."""
    stack: list[int] = []
    for kind, n in codes_in(text):
        if n not in pairs:
            continue
        if kind == OPEN:
            stack.append(n)
        elif kind == CLOSE:
            if n not in stack:
                return f"inline code {label(CLOSE, n)} comes before {label(OPEN, n)}"
            if stack[-1] != n:
                return f"inline codes {n} and {stack[-1]} cross: close {stack[-1]} before {n}"
            stack.pop()
    return None


def label(kind: str, n: int) -> str:
    """How a code is named to a person: {1}, {/1}, {1/} (the editor's chips read the same)."""
    return {OPEN: f"{{{n}}}", CLOSE: f"{{/{n}}}", PH: f"{{{n}/}}"}[kind]


_LABEL = re.compile(r"\{(/?)(\d{1,4})(/?)\}")


def to_labels(text: str) -> str:
    """The text with codes as readable labels {1}…{/1} and {2/} (plain-text exports of a segment,
    messages). Not reversible where the text itself has such braces: use for showing only."""
    return CODE.sub(lambda m: label(*parse(m.group())), text or "")


def from_labels(text: str, allowed: set[int] | None = None) -> str:
    """Labels {1} {/1} {1/} back to code characters (for ids in `allowed`, when given)."""
    def repl(m: re.Match) -> str:
        n = int(m.group(2))
        if not 1 <= n <= MAX_ID or (allowed is not None and n not in allowed) or (m.group(1) and m.group(3)):
            return m.group()
        return close_char(n) if m.group(1) else ph_char(n) if m.group(3) else open_char(n)
    return _LABEL.sub(repl, text)


def renumber(text: str, old_source: str, new_source: str) -> str | None:
    """A target written for `old_source` moved to `new_source` (a repetition or TM match whose text
    equals except for codes): the k-th code of the old source becomes the k-th code of the new one.
    None when the two sources' codes don't correspond (different count or kinds)."""
    old, new = codes_in(old_source), codes_in(new_source)
    if len(old) != len(new) or any(a[0] != b[0] for a, b in zip(old, new)):
        return None
    mapping = {char(*a): char(*b) for a, b in zip(old, new)}
    return CODE.sub(lambda m: mapping.get(m.group(), ""), text)


def spans(text: str) -> list[tuple[int, int, int]]:
    """(id, start, end) of each pair in the text, offsets into plain(text)."""
    out, opened, position = [], {}, 0
    for ch in text:
        info = parse(ch)
        if info is None:
            position += 1
            continue
        kind, n = info
        if kind == OPEN:
            opened[n] = position
        elif kind == CLOSE and n in opened:
            out.append((n, opened.pop(n), position))
    return out


def trim_enclosing(text: str) -> tuple[str, str, str]:
    """Split off codes that enclose the whole text or sit at its edges without their partner:
    (leading, inner, trailing). Markup around a whole sentence stays outside the segment (the
    translator sees only the codes inside it); a pair that wraps only part stays in."""
    lead, tail = "", ""
    changed = True
    while changed and text:
        changed = False
        first, last = parse(text[0]), parse(text[-1])
        inner_ids = lambda t: paired_ids(t)  # noqa: E731
        if first and first[0] == OPEN and last and last[0] == CLOSE and first[1] == last[1] \
                and first[1] not in {n for _, n in codes_in(text[1:-1])}:
            lead, text, tail = lead + text[0], text[1:-1], text[-1] + tail
            changed = True
            continue
        if first and (first[0] == PH or (first[0] == CLOSE) or (first[0] == OPEN and first[1] not in inner_ids(text))):
            lead, text = lead + text[0], text[1:]
            changed = True
            continue
        if last and (last[0] == PH or (last[0] == OPEN) or (last[0] == CLOSE and last[1] not in inner_ids(text))):
            text, tail = text[:-1], text[-1] + tail
            changed = True
    return lead, text, tail
