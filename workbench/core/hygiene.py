"""Text hygiene at every door: what a stored text may hold and how long it may be, in one place.

Every service that stores text a person or a file sent (titles, article text, targets, comments,
reasons, external ids, glossary terms) passes it through `clean` with the field's name. What XML
1.0 cannot hold is refused with the field named: C0 and C1 control characters other than tab and
line feed, lone UTF-16 surrogates (JSON can carry them: "\\ud800") and Unicode non-characters
(U+FDD0–U+FDEF and U+xxFFFE/U+xxFFFF). Where a format carries such a character with a meaning —
Word's manual line break (vertical tab), a form feed between pages, NEL, the Unicode line and
paragraph separators — `import_text` first turns it into that meaning: a line break.

`xml_text` is the exporters' last guard: whatever is stored, an export writes well-formed XML
(an unstorable character left by an older version becomes U+FFFD, the replacement character).
"""

from __future__ import annotations

import re

from workbench.core.errors import UserError

# Longest accepted value per field, in characters (article text is bounded by the import budget).
# Every door uses these numbers: the services check them, the API's schemas document them.
LIMITS = {
    "title": 500, "byline": 500, "external_id": 200, "target": 20_000, "source": 20_000,
    "comment": 5_000, "reason": 2_000, "note": 5_000, "term": 500, "text": 2_000_000, "name": 100,
}

_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
                      "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
                      "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
                      "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")
_LINE_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")  # CR and CR LF stay as the file has them


class TextRefused(UserError):
    """A field holds a character no stored text may hold, or is longer than its limit."""

    status = 422

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def describe(char: str) -> str:
    """'U+0000 (a control character)', as a message names a refused character."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "half of a UTF-16 surrogate pair, alone"
    elif code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "a control character"
    else:
        kind = "a Unicode non-character"
    return f"U+{code:04X} ({kind})"


def clean(value: str, field: str, *, where: str = "", multiline: bool = True, limit: int | None = None) -> str:
    """`value` if it may be stored as `field`; TextRefused naming the field (and `where`: a file and
    line, a unit id) otherwise. Single-line fields (titles, ids) refuse line breaks too."""
    label = f"{where}: {field}" if where else field
    found = _REFUSED.search(value)
    if found:
        line = value.count("\n", 0, found.start()) + 1
        place = (f"line {line}, character {found.start() - value.rfind(chr(10), 0, found.start())}"
                 if line > 1 else f"character {found.start() + 1}")
        raise TextRefused(f"{label} holds {describe(found.group())} at {place}; "
                          "remove it and send the text again", field)
    if not multiline and ("\n" in value or "\t" in value):
        raise TextRefused(f"{label} must be one line; remove the line breaks and tabs", field)
    maximum = limit if limit is not None else LIMITS.get(field)
    if maximum is not None and len(value) > maximum:
        raise TextRefused(f"{label} is {len(value):,} characters long; the limit is {maximum:,}", field)
    return value


def has_words(value: str) -> bool:
    """Whether the text holds something to translate: at least one letter or digit."""
    return any(c.isalnum() for c in value)


def import_text(value: str) -> str:
    """Text read from a file, with the characters that mean a line break turned into one ("\\n").
    What is left is checked by `clean` like any other text."""
    return _LINE_BREAKS.sub("\n", value)


def refused_characters(value: str) -> list[str]:
    """The characters of `value` no stored text may hold (for reports over stored rows)."""
    return [describe(c) for c in dict.fromkeys(_REFUSED.findall(value))]


def repair(value: str, *, keep_length: bool = False) -> str:
    """A stored value made storable: line-break characters become "\\n", refused ones are removed
    (with `keep_length`, for texts that offsets index, each becomes a space)."""
    return _REFUSED.sub(" " if keep_length else "", import_text(value))


def xml_text(value: str | None) -> str | None:
    """`value` as XML 1.0 can hold it: refused characters become U+FFFD (exports never fail)."""
    return None if value is None else _REFUSED.sub("\ufffd", value)
