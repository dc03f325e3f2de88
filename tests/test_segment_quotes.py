"""Straight quotes segment like curly ones (rule 6 of workbench/core/segment.py): a corpus of news
paragraphs with quoted speech, quotes over several sentences and attributions after the quote,
written with curly quotes, segments exactly as its twin typed with straight quotes."""

from pathlib import Path

from workbench.core.segment import segment_text

CORPUS = Path(__file__).parent / "data" / "news-quotes.txt"


def _straight(text: str) -> str:
    return text.translate(str.maketrans("“”‘’", '""' + "''"))


def test_the_straight_twin_segments_exactly_as_the_curly_text():
    curly = CORPUS.read_text(encoding="utf-8")
    straight = _straight(curly)
    assert straight != curly and len(straight) == len(curly)
    ours = [(s.start, s.end) for s in segment_text(curly).segments]
    theirs = [(s.start, s.end) for s in segment_text(straight).segments]
    assert ours == theirs


def test_quoted_speech_is_split_where_a_reader_would():
    segments = [s.text for s in segment_text(CORPUS.read_text(encoding="utf-8")).segments]
    for expected in ["“We will respond,” he said.", "“The talks end today.”",
                     "“The talks were hard. But we made progress,” the envoy said.",
                     "‘We are ready!’ the general said.", "‘Are they?’",
                     "‘Enough!’ shouted a protester.", "‘Who will pay?’ asked one resident.",
                     "“We are ready,” said Col-Gen. Arzu Rahimov.", "“Peace,” he said, “is possible.”",
                     "“He said ‘no.’ Then he left,” she said."]:
        assert expected in segments
