"""Concordance: the translation-memory units whose source (or translation) contains given words,
with those words marked — how a translator checks how a phrase was translated before.

The source side is searched through the TM's FTS5 index as a phrase (never a scan); the target
side, which has no index, by a bounded LIKE.
"""

from __future__ import annotations

import re

import sqlite_utils

from workbench.core.highlight import mark
from workbench.data.tm import FTS_WORD

LIMIT = 20


def _marked(text: str, words: list[str]) -> object:
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    return mark(text, [m.span() for m in pattern.finditer(text)])


def search(db: sqlite_utils.Database, text: str, target_lang: str, *, limit: int = LIMIT) -> list[dict]:
    """TM units into `target_lang` containing the words of `text` (source phrase first, then target)."""
    words = FTS_WORD.findall(text)
    if not words:
        return []
    phrase = '"' + " ".join(words) + '"'  # words are letters and digits only: nothing to escape
    rows = list(db.query(
        "SELECT u.* FROM tm_units_fts f JOIN tm_units u ON u.id = f.rowid "
        "WHERE tm_units_fts MATCH ? AND u.target_lang = ? ORDER BY bm25(tm_units_fts) LIMIT ?",
        [phrase, target_lang, limit]))
    if len(rows) < limit:
        seen = {r["id"] for r in rows}
        needle = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows += [r for r in db.query(
            "SELECT * FROM tm_units WHERE target_lang = ? AND target LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT ?",
            [target_lang, f"%{needle}%", limit]) if r["id"] not in seen][:limit - len(rows)]
    return [{**row, "source_marked": _marked(row["source"], words),
             "target_marked": _marked(row["target"], words)} for row in rows]
