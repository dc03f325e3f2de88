"""Text with parts marked for display: search hits and word diffs, as escaped HTML (markupsafe)."""

from __future__ import annotations

from markupsafe import Markup, escape

from workbench.core.alignment import word_diff_ops


def mark(text: str, spans: list[tuple[int, int]], tag: str = "mark") -> Markup:
    """`text` escaped, with each span wrapped in <tag>."""
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(Markup(f"<{tag}>{{}}</{tag}>").format(text[start:end]))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def word_diff(old: str, new: str) -> Markup:
    """HTML showing how the TM source (old) differs from the new source: <del> and <ins> words."""
    tags = {"delete": Markup("<del>{}</del>"), "insert": Markup("<ins>{}</ins>")}
    return Markup(" ").join(tags[kind].format(words) if kind in tags else escape(words)
                            for kind, words in word_diff_ops(old, new))
