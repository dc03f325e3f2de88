"""Inline codes as a person sees them: chips that read {1} … {/1} and {2/}, never the private-use
characters a text carries them as (core/codes.py).

A chip says what its code stands for (its Mark: "bold", "link to https://…") in its title and its
accessible name ("code 1 bold start"), and has one colour per id, so the source's {1} and the
target's {1} look alike. The editor's script (static/chips.js) builds the same chips from
`describe()` for the editable target; here they are made for the source, the history's diffs, TM
matches, MT alternatives and find & replace previews.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from workbench.core import codes

COLOURS = 6  # chip-c0 … chip-c5 in workbench.css

TYPE_NAMES = {"b": "bold", "i": "italic", "u": "underline", "s": "strikethrough", "code": "code",
              "sup": "superscript", "sub": "subscript", "br": "line break", "img": "image", "x": "markup"}
KIND_WORDS = {codes.OPEN: "start", codes.CLOSE: "end", codes.PH: ""}


def _mark(marks: dict | None, n: int) -> dict:
    mark = (marks or {}).get(str(n))
    if mark is None:
        return {}
    return mark if isinstance(mark, dict) else mark.to_json()


def what(mark: dict) -> str:
    """What a Mark stands for, in words: "bold", "link to https://…", "image: a map"."""
    kind = mark.get("type")
    attrs = mark.get("attrs") or {}
    if kind == "a":
        return f"link to {attrs['href']}" if attrs.get("href") else "link"
    if kind == "img" and attrs.get("alt"):
        return f"image: {attrs['alt']}"
    return TYPE_NAMES.get(kind or "", "inline markup")


def describe(char: str, marks: dict | None) -> dict:
    """Everything a chip for the code character shows: label, title, accessible name, colour
    class; a code the block's marks don't know reads "not in the source" (with no marks given,
    "inline markup")."""
    kind, n = codes.parse(char)
    mark = _mark(marks, n)
    title = what(mark) if mark or marks is None else "not in the source"
    name = " ".join(part for part in ("code", str(n), title, KIND_WORDS[kind]) if part)
    return {"label": codes.label(kind, n), "title": title, "name": name, "kind": kind, "id": n,
            "colour": f"chip-c{(n - 1) % COLOURS}"}


def chip(char: str, marks: dict | None) -> Markup:
    info = describe(char, marks)
    return Markup('<span class="chip {colour}" data-code="{char}" title="{title}" role="img" '
                  'aria-label="{name}">{label}</span>').format(char=char, **info)


def render(text: str, marks: dict | None = None) -> Markup:
    """`text` escaped, each code as a chip."""
    if not codes.has_codes(text):
        return escape(text or "")
    out, position = [], 0
    for match in codes.CODE.finditer(text):
        out.append(escape(text[position:match.start()]))
        out.append(chip(match.group(), marks) if codes.is_code(match.group()) else Markup(""))
        position = match.end()
    out.append(escape(text[position:]))
    return Markup("").join(out)


_TAG_OR_CODE = re.compile(f"<[^>]*>|[{codes.CODE_RANGE}]")


def in_html(html: Markup, marks: dict | None = None) -> Markup:
    """HTML made from a text (a diff, marked search hits) with each code character between tags
    made a chip; one inside a tag (an attribute) becomes its label."""
    text = str(html)
    if not codes.has_codes(text):
        return Markup(text)

    def replace(match: re.Match) -> str:
        found = match.group()
        if found.startswith("<"):
            return codes.to_labels(found)
        return str(chip(found, marks)) if codes.is_code(found) else ""

    return Markup(_TAG_OR_CODE.sub(replace, text))


def code_list(text: str, marks: dict | None) -> list[dict]:
    """The codes of a (source) text in order, as the API lists them: id, kind (open, close,
    standalone), type, and the link's href, title or image's alt where the Mark has them."""
    out = []
    for kind, n in codes.codes_in(text):
        mark = _mark(marks, n)
        entry = {"id": n, "kind": "standalone" if kind == codes.PH else kind,
                 "type": mark.get("type", "x"), "label": codes.label(kind, n)}
        for key in ("href", "title", "alt"):
            value = (mark.get("attrs") or {}).get(key)
            if isinstance(value, str):
                entry[key] = value
        out.append(entry)
    return out


def chip_map(texts: list[str], marks: dict | None) -> dict[str, dict]:
    """{code character: describe()} for every code in these texts (what the editor's script needs
    to draw the target's chips)."""
    return {m.group(): describe(m.group(), marks) for text in texts for m in codes.CODE.finditer(text or "")
            if codes.is_code(m.group())}
