"""Segmentation of English news text: tricky cases, exact offsets, paragraph kinds."""

from pathlib import Path

import pytest

from workbench.core.segment import segment_text

DEMO_ARTICLE = Path(__file__).resolve().parent.parent / "workbench" / "demo" / "defence-talks-baku.txt"

CASES = [
    ("rank abbreviation before a name",
     "A meeting with Col-Gen. Arzu Rahimov was held. It ended.",
     ["A meeting with Col-Gen. Arzu Rahimov was held.", "It ended."]),
    ("stacked rank abbreviations",
     "Lt. Gen. John Smith arrived. He left.",
     ["Lt. Gen. John Smith arrived.", "He left."]),
    ("titles", "Mr. Aliyev met Dr. Smith in Baku. They talked.",
     ["Mr. Aliyev met Dr. Smith in Baku.", "They talked."]),
    ("dates with month abbreviations", "The ceasefire was signed on Nov. 10, 2020 in Moscow. It held.",
     ["The ceasefire was signed on Nov. 10, 2020 in Moscow.", "It held."]),
    ("U.S. inside a sentence", "The U.S. Army said it would help. Talks went on.",
     ["The U.S. Army said it would help.", "Talks went on."]),
    ("No. before a number, no. at the end", "Resolution No. 5 passed. He said no. Then he left.",
     ["Resolution No. 5 passed.", "He said no.", "Then he left."]),
    ("decimals", "Growth was 3.5 per cent in 2020. Prices rose.",
     ["Growth was 3.5 per cent in 2020.", "Prices rose."]),
    ("initials", "J. R. Smith wrote the report. It was long.",
     ["J. R. Smith wrote the report.", "It was long."]),
    ("quotes", "“We will win,” he said. “The war is over.” Then he left.",
     ["“We will win,” he said.", "“The war is over.”", "Then he left."]),
    ("ellipsis", "Wait... what happened? Nobody knew.", ["Wait... what happened?", "Nobody knew."]),
    ("handles", "Follow us on Twitter @AzerNewsAz. More news soon.",
     ["Follow us on Twitter @AzerNewsAz.", "More news soon."]),
    ("question and exclamation", "Was it signed? Yes! It was.", ["Was it signed?", "Yes!", "It was."]),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_tricky_sentences(name, text, expected):
    result = segment_text(text)
    assert [s.text for s in result.segments] == expected
    for segment in result.segments:
        assert text[segment.start:segment.end] == segment.text


def test_headline_byline_and_separator_become_their_own_paragraphs():
    text = ("Baku and Ankara hold talks\nBy Jane Doe\nThe talks began. They ended.\n--\n"
            "Follow us @News\n")
    result = segment_text(text)
    assert [p.kind for p in result.paragraphs] == ["title", "byline", "body", "separator", "body"]
    assert [s.text for s in result.segments] == [
        "Baku and Ankara hold talks", "By Jane Doe", "The talks began.", "They ended.", "Follow us @News"]
    assert [s.paragraph for s in result.segments] == [0, 1, 2, 2, 4]


def test_byline_is_not_a_sentence_starting_with_by():
    result = segment_text("Title here\nBy subscribing you get news, said the editor.\n")
    assert result.paragraphs[1].kind == "body"


def test_hard_wrapped_paragraphs_are_joined_by_blank_lines():
    text = "First sentence of a long\nwrapped paragraph. Second one.\n\nNext paragraph here.\n"
    result = segment_text(text)
    assert len(result.paragraphs) == 2
    assert result.segments[0].text == "First sentence of a long\nwrapped paragraph."


@pytest.mark.parametrize("text", [
    DEMO_ARTICLE.read_text(encoding="utf-8"),
    "\ufeffTitle\r\n\r\nBody one.  Body\u00a0two.\r\n\r\n\r\n  Indented “quote.”  \n\n",
    "No trailing newline. Two sentences",
    "",
])
def test_source_is_rebuilt_byte_for_byte(text):
    result = segment_text(text)
    assert result.rebuild() == text
    previous_end = 0
    for segment in result.segments:
        assert segment.start >= previous_end
        assert text[previous_end:segment.start].strip() == "" or any(
            p.kind == "separator" for p in result.paragraphs)
        previous_end = segment.end


def test_json_shape():
    data = segment_text("Hello there. General Kenobi.").to_json()
    assert data == {"segments": [
        {"index": 0, "paragraph": 0, "text": "Hello there.", "start": 0, "end": 12},
        {"index": 1, "paragraph": 0, "text": "General Kenobi.", "start": 13, "end": 28}]}
