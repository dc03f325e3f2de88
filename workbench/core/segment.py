"""English news text -> paragraphs -> sentence segments, with exact character offsets.

pysbd does the sentence splitting inside each paragraph; the news rules below fix what it gets
wrong in news copy, and nothing else differs from pysbd (tests/test_segment_differential.py
compares the two on a news corpus, tests/data/news-segmentation.txt, and allows only these):

1. Paragraphs are hard boundaries: pysbd sees one paragraph at a time.
2. Headline and byline: the first paragraph of a text with more than one paragraph, short,
   without final punctuation and one sentence to pysbd, is the headline; a "By ..." line is the
   byline. Each is one segment.
3. A title or rank abbreviation before a name is no sentence end: pysbd splits
   "Col-Gen. | Arzu Rahimov", "Maj-Gen. | Ali Aliyev", "Pres. | Biden", "Amb. | Lee". Before a
   word that starts sentences (He, The, It ...) or a lowercase word it stays a sentence end:
   "promoted to Col-Gen. | He then ...".
4. A number abbreviation before a number is no sentence end: "Vol. | 3", "No. 5", "Nov. 10".
5. A time before a weekday is no sentence end (news style): "at 8 a.m. | Monday".
6. Curly quotes are read as straight ones: pysbd sees “ ” ‘ ’ as " and ', so a story typed with
   straight quotes segments exactly as its curly twin (pysbd splits "‘Ready!’ | he said." but
   not "'Ready!' he said.").

Offsets always index the original text, so `text[segment.start:segment.end] == segment.text`
and the whitespace between segments and paragraphs is exactly what lies between their offsets.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from workbench.core import codes as inline

# Titles and ranks precede a name: a sentence never ends on them.
TITLE_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "pres", "st", "rev", "hon", "amb",
    "gen", "col", "lt", "maj", "capt", "cpt", "sgt", "cmdr", "cdr", "adm", "brig", "cpl", "pvt",
    "col-gen", "lt-gen", "maj-gen", "brig-gen", "lt-col", "gen-lt", "gen-maj", "vice-adm",
    "rear-adm", "1st", "2nd",
}
# These end a sentence only when no number follows them ("No. 5", "Nov. 10, 2020").
NUMBER_ABBREVIATIONS = {
    "no", "nos", "art", "vol", "p", "pp", "fig", "ch", "sec",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
# Words that start sentences, never names: a rank abbreviation before them ends its sentence.
SENTENCE_STARTERS = {
    "he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "my", "the",
    "a", "an", "this", "that", "these", "those", "there", "then", "but", "and", "or", "so", "yet",
    "in", "on", "at", "for", "from", "after", "before", "when", "while", "if", "as", "since",
    "however", "meanwhile", "also", "both", "all", "some", "no", "not", "what", "who", "why",
    "how", "where", "later", "earlier", "today", "yesterday", "tomorrow",
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
TIME_END = re.compile(r"\b\d{1,2}(?::\d{2})?\s*[ap]\.m\.\W*$", re.IGNORECASE)
FIRST_WORD = re.compile(r"[\"“‘'(]*([\w’'-]+)")
_NAME = r"[A-Z\u0400-\u042F][\w'’.-]*(?:\s+[A-Z\u0400-\u042F][\w'’.-]*){0,3}"
BYLINE = re.compile(rf"^By:?\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*$")
LAST_TOKEN = re.compile(r"([\w.-]+)\.\W*$")
SENTENCE_END = re.compile(r"[.!?…:;»”\"')\]]\s*$")
LETTER_OR_DIGIT = re.compile(r"\w")
# Characters at which pysbd may end a sentence or a list item; a paragraph with none of them
# before its last character is one sentence.
# pysbd also ends a sentence after a closing quote ("“quoted” Officials ." is two to it).
MAY_SPLIT = re.compile(r"[.!?…‼⁇⁈⁉‽。！？｡)\]•⁃·\u2022\u2023\u25e6\u2043\u2219\"”’'»]")


# Rule 6: one character for one, so offsets do not move.
STRAIGHT_QUOTES = str.maketrans("“”„‟‘’‚‛", '""""' + "''''")


def source_key(text: str) -> str:
    """What two segments must share to be repetitions (and a TM unit its exact match): the text
    with its whitespace runs made single spaces and its inline codes left out (segments equal but
    for codes are repetitions and TM matches of each other)."""
    return " ".join(inline.plain(text).split())


@dataclass(frozen=True)
class Segment:
    index: int
    paragraph: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    kind: str  # "title", "byline", "body", or "separator" (no words: copied, not translated);
    # from a document model (core/document.py): its block's kind, level, attributes and codes
    level: int = 0
    attrs: dict = field(default_factory=dict, compare=False, hash=False)
    codes: dict = field(default_factory=dict, compare=False, hash=False)
    ref: str | None = None

    def text(self, source: str) -> str:
        return source[self.start:self.end]


@dataclass(frozen=True)
class Segmentation:
    source: str
    paragraphs: list[Paragraph]
    segments: list[Segment]

    def to_json(self) -> dict:
        return {"segments": [asdict(s) for s in self.segments]}

    def rebuild(self) -> str:
        """The source again, from the paragraphs, segments and the text between them."""
        out, position = [], 0
        for paragraph in self.paragraphs:
            out.append(self.source[position:paragraph.start])
            position = paragraph.start
            for segment in (s for s in self.segments if s.paragraph == paragraph.index):
                out.append(self.source[position:segment.start])
                out.append(segment.text)
                position = segment.end
            out.append(self.source[position:paragraph.end])
            position = paragraph.end
        out.append(self.source[position:])
        return "".join(out)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraph boundaries: blank-line blocks when the text is hard-wrapped, otherwise lines."""
    blocks = [(m.start(), m.end()) for m in re.finditer(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*", text)]
    wrapped = any(_is_wrapped(text[s:e]) for s, e in blocks) and re.search(r"\n[ \t]*\n", text)
    if wrapped:
        return [_strip(text, s, e) for s, e in blocks]
    return [_strip(text, m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)
            if m.group().strip()]


def _is_wrapped(block: str) -> bool:
    """A block whose inner lines break mid-sentence was hard-wrapped, not written line by line."""
    lines = block.split("\n")
    return any(not SENTENCE_END.search(line) and following.lstrip()[:1].islower()
               for line, following in zip(lines, lines[1:]))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence boundaries inside text[start:end], as absolute offsets."""
    # Line breaks inside a hard-wrapped paragraph are spaces to pysbd; same length, same offsets.
    chunk = re.sub(r"[\r\n]", " ", text[start:end]).translate(STRAIGHT_QUOTES)  # rule 6
    if not MAY_SPLIT.search(chunk, 0, max(len(chunk.rstrip()) - 1, 0)):
        # Nothing pysbd could split on before the last character: one sentence, without paying
        # pysbd's ~1 ms (a table of 20,000 short cells). tests/test_segment_differential.py checks
        # this shortcut against pysbd itself.
        return [_strip(text, start, end)] if chunk.strip() else [(start, end)]
    try:
        pieces = _segmenter().segment(chunk)
    except Exception:  # noqa: BLE001 - pysbd fails on some control characters ("\x1c0."): keep the text whole
        return [_strip(text, start, end)]
    spans, cursor = [], 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        found = chunk.find(stripped, cursor)
        if found < 0:  # pysbd altered the text: fall back to one segment for the paragraph
            return [(start, end)]
        spans.append((found, found + len(stripped)))
        cursor = found + len(stripped)
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and _must_join(chunk[merged[-1][0]:merged[-1][1]], chunk[span[0]:span[1]]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return [(start + s, start + e) for s, e in merged] or [(start, end)]


def _must_join(previous: str, following: str) -> bool:
    """Whether a boundary pysbd found is wrong in news copy (rules 3-5 of the module's doc)."""
    match = LAST_TOKEN.search(previous)
    if not match or not previous.rstrip().endswith("."):
        return False
    token = match.group(1).lower().split(".")[-1]
    word = FIRST_WORD.match(following)
    if token in TITLE_ABBREVIATIONS:
        return word is not None and word.group(1)[:1].isupper() and word.group(1).lower() not in SENTENCE_STARTERS
    if token in NUMBER_ABBREVIATIONS and following[:1].isdigit():
        return True
    if TIME_END.search(previous) and word is not None and word.group(1).lower() in WEEKDAYS:
        return True
    return False


def _looks_like_headline(text: str, start: int, end: int) -> bool:
    body = text[start:end]
    return len(body) < 200 and not re.search(r"[.!?]$", body) and len(sentence_spans(text, start, end)) == 1


def segment_text(text: str) -> Segmentation:
    """Split an article's text into paragraphs and sentence segments."""
    paragraphs, segments = [], []
    spans = paragraph_spans(text)
    for p_index, (p_start, p_end) in enumerate(spans):
        body = text[p_start:p_end]
        if not LETTER_OR_DIGIT.search(body):
            kind = "separator"
        elif p_index == 0 and len(spans) > 1 and _looks_like_headline(text, p_start, p_end):
            kind = "title"
        elif BYLINE.match(body):
            kind = "byline"
        else:
            kind = "body"
        paragraphs.append(Paragraph(p_index, p_start, p_end, kind))
        if kind == "separator":
            continue
        spans = [(p_start, p_end)] if kind in ("title", "byline") else sentence_spans(text, p_start, p_end)
        for s_start, s_end in spans:
            segments.append(Segment(len(segments), p_index, text[s_start:s_end], s_start, s_end))
    return Segmentation(text, paragraphs, segments)


def segment_blocks(blocks) -> Segmentation:
    """Segment a document's blocks (core/document.py): a paragraph per block with the file's own
    kind (never re-guessed), sentences inside it found on the text without its codes. Codes right
    at a sentence's edge go with it; markup around a whole sentence stays outside the segment
    (codes.trim_enclosing). The source is the blocks' texts, one per line."""
    paragraphs, segments, position, parts = [], [], 0, []
    for p_index, block in enumerate(blocks):
        text = block.text
        start, end = position, position + len(text)
        parts.append(text + "\n")
        position = end + 1
        plain = inline.plain(text)
        kind = block.kind if LETTER_OR_DIGIT.search(plain) or block.kind == "separator" else "separator"
        if block.attrs.get("translate") is False:  # kept as it is (an XLIFF unit marked translate="no")
            kind = "separator"
        paragraphs.append(Paragraph(p_index, start, end, kind, block.level, dict(block.attrs),
                                    {k: (m.to_json() if hasattr(m, "to_json") else m) for k, m in block.codes.items()},
                                    block.ref))
        if kind == "separator" or block.attrs.get("translate") is False:  # no words, or code: copied as it is
            continue
        tagged_at = [i for i, ch in enumerate(text) if not inline.is_code(ch)]
        whole = kind in ("title", "byline") or block.attrs.get("whole")  # the file's own segment
        spans = [_strip(plain, 0, len(plain))] if whole else sentence_spans(plain, 0, len(plain))
        for s_start, s_end in spans:
            if s_end <= s_start:
                continue
            t_start, t_end = tagged_at[s_start], tagged_at[s_end - 1] + 1
            while t_start > 0 and inline.is_code(text[t_start - 1]):
                t_start -= 1
            while t_end < len(text) and inline.is_code(text[t_end]):
                t_end += 1
            lead, inner, tail = ("", text[t_start:t_end], "") if whole else inline.trim_enclosing(text[t_start:t_end])
            t_start, t_end = t_start + len(lead), t_end - len(tail)
            if not inner.strip():
                continue
            segments.append(Segment(len(segments), p_index, text[t_start:t_end], start + t_start, start + t_end))
    return Segmentation("".join(parts), paragraphs, segments)
