"""The document model every importer fills: blocks with their kind and inline markup.

A file (txt, md, html, docx, or what the API receives) becomes a list of Blocks. A block is a
heading, a paragraph, a list item, a quote, a caption, a table cell, preformatted text, a byline,
a note (foot- or endnote) or a separator. Its `text` carries its inline markup as code characters
(core/codes.py), and `codes` says what each stands for. `ref` locates the block in the original
file (an export puts the translation back there: the file's own skeleton around translated text).

Segmentation (core/segment.segment_blocks) works inside blocks and never re-guesses what the file
says: a block's kind is the file's, a title is the file's title.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core import codes as inline

# Kinds a block may have; "separator" has no words (copied, not translated).
KINDS = ("title", "heading", "paragraph", "byline", "list_item", "quote", "caption", "table_cell",
         "preformatted", "note", "separator")


@dataclass
class Block:
    kind: str
    text: str  # with code characters for inline markup
    level: int = 0  # heading level (1-6), list nesting (1..), quote depth
    attrs: dict = field(default_factory=dict)  # ordered: bool, start: int, marker: "-", note: "footnote"…
    codes: dict[str, inline.Mark] = field(default_factory=dict)
    ref: str | None = None  # where the block is in the original file (the skeleton's locator)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")

    @property
    def plain(self) -> str:
        return inline.plain(self.text)

    def to_json(self) -> dict:
        out = {"kind": self.kind, "level": self.level, "attrs": self.attrs,
               "codes": {k: m.to_json() for k, m in self.codes.items()}}
        if self.ref is not None:
            out["ref"] = self.ref
        return out

    @classmethod
    def from_json(cls, text: str, data: dict) -> "Block":
        return cls(kind=data.get("kind", "paragraph"), text=text, level=int(data.get("level") or 0),
                   attrs=dict(data.get("attrs") or {}),
                   codes={k: inline.Mark.from_json(v) for k, v in (data.get("codes") or {}).items()},
                   ref=data.get("ref"))


class CodeBuilder:
    """Builds a block's text with codes while an importer walks its inline markup:
    `open(mark)` … `close(n)`, `standalone(mark)`, `text(s)`; ids count from 1 within the block."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.codes: dict[str, inline.Mark] = {}

    def _new(self, mark: inline.Mark) -> int:
        n = len(self.codes) + 1
        self.codes[str(n)] = mark
        return n

    def text(self, value: str) -> None:
        if value:
            self.parts.append(value)

    def open(self, mark: inline.Mark) -> int:
        n = self._new(mark)
        self.parts.append(inline.open_char(n))
        return n

    def close(self, n: int) -> None:
        self.parts.append(inline.close_char(n))

    def standalone(self, mark: inline.Mark) -> int:
        mark.paired = False
        n = self._new(mark)
        self.parts.append(inline.ph_char(n))
        return n

    def value(self) -> str:
        return "".join(self.parts)

    def block(self, kind: str, **kwargs) -> Block:
        return Block(kind=kind, text=self.value(), codes=dict(self.codes), **kwargs)


def without_empty_pairs(block: Block) -> Block:
    """Drop pairs around nothing (<b></b>) and the codes no longer used: they carry no text for a
    translator to place."""
    text = block.text
    while True:
        new = inline.CODE.sub(lambda m: m.group(), text)
        for n in list(inline.paired_ids(text)):
            pair = inline.open_char(n) + inline.close_char(n)
            new = new.replace(pair, "")
        if new == text:
            break
        text = new
    used = {str(n) for n in inline.code_ids(text)}
    block.text = text
    block.codes = {k: v for k, v in block.codes.items() if k in used}
    return block
