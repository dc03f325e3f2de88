"""Word and character counts of segments and articles, as translators and clients count them.

A word is a run of letters or digits, with inner apostrophes and hyphens kept ("Col-Gen",
"Bakü'de" are one word each); punctuation alone is no word. Characters are all characters,
spaces included (the usual basis of per-character rates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable


from workbench.core import codes as inline

WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def words(text: str | None) -> int:
    return len(WORD.findall(text or ""))


def chars(text: str | None) -> int:
    return len(inline.plain(text or ""))


def totals(texts: Iterable[str | None]) -> dict[str, int]:
    """{"words", "chars"} summed over `texts`."""
    total_words = total_chars = 0
    for text in texts:
        total_words += words(text)
        total_chars += chars(text)
    return {"words": total_words, "chars": total_chars}
