"""Inline codes (core/codes.py) and segmentation inside blocks (core/segment.segment_blocks)."""

from workbench.core import codes
from workbench.core.codes import Mark
from workbench.core.document import Block, CodeBuilder
from workbench.core.segment import segment_blocks, source_key

O, C, P = codes.open_char, codes.close_char, codes.ph_char


def test_code_characters_round_trip_and_strip():
    text = f"Read {O(1)}the report{C(1)} now.{P(2)}"
    assert codes.plain(text) == "Read the report now."
    assert codes.codes_in(text) == [("open", 1), ("close", 1), ("ph", 2)]
    assert codes.to_labels(text) == "Read {1}the report{/1} now.{2/}"
    assert codes.from_labels(codes.to_labels(text)) == text
    assert codes.from_labels("{1}x{/1}", allowed={2}) == "{1}x{/1}"


def test_problems_name_missing_extra_duplicated_and_crossing_codes():
    source = f"{O(1)}a {O(2)}b{C(2)}{C(1)} c{P(3)}"
    assert codes.problems(source, f"{O(1)}x {O(2)}y{C(2)}{C(1)} z{P(3)}") == []
    assert codes.problems(source, f"{O(1)}x {O(2)}y{C(2)}{C(1)} z") == ["missing inline code {3/}"]
    assert codes.problems(source, f"{O(1)}x {O(2)}y{C(2)}{C(1)} z{P(3)}{P(4)}") == ["inline code {4/} not in the source"]
    assert codes.problems(source, f"{O(1)}x {O(2)}y{C(2)}{C(1)} z{P(3)}{P(3)}") == ["inline code {3/} more than once"]
    assert codes.problems(source, f"{O(1)}x {O(2)}y{C(1)}{C(2)} z{P(3)}") == ["inline codes 1 and 2 cross: close 2 before 1"]
    assert codes.problems(source, f"{C(1)}x {O(2)}y{C(2)}{O(1)} z{P(3)}") == ["inline code {/1} comes before {1}"]
    # a code whose partner is in another segment is only counted, not paired
    assert codes.problems(f"a{C(4)} b", f"x y{C(4)}") == []


def test_renumber_maps_codes_by_order_and_refuses_different_shapes():
    old, new = f"{O(1)}a{C(1)} b", f"{O(5)}a{C(5)} b"
    assert codes.renumber(f"{O(1)}x{C(1)} y", old, new) == f"{O(5)}x{C(5)} y"
    assert codes.renumber("x", old, f"a b{P(2)}") is None


def test_repetitions_ignore_codes():
    assert source_key(f"The {O(1)}army{C(1)}  said.") == source_key("The army said.")


def test_segment_blocks_keeps_kinds_and_puts_enclosing_markup_outside():
    b = CodeBuilder()
    b.text("The ")
    n = b.open(Mark("a", {"href": "https://example.org/report"}))
    b.text("report")
    b.close(n)
    b.text(" was published. ")
    m = b.open(Mark("b"))
    b.text("Officials declined to comment.")
    b.close(m)
    body = b.block("paragraph")
    blocks = [Block("title", "Talks end today!"), body, Block("list_item", "First point", level=1, attrs={"ordered": False})]
    seg = segment_blocks(blocks)
    assert [p.kind for p in seg.paragraphs] == ["title", "paragraph", "list_item"]
    assert seg.paragraphs[2].level == 1 and seg.paragraphs[2].attrs == {"ordered": False}
    assert [codes.to_labels(s.text) for s in seg.segments] == [
        "Talks end today!", "The {1}report{/1} was published.", "Officials declined to comment.", "First point"]
    # the bold around the whole second sentence stays outside its segment, in the paragraph's text
    assert seg.source.splitlines()[1].endswith(O(2) + "Officials declined to comment." + C(2))
    for s in seg.segments:
        assert seg.source[s.start:s.end] == s.text
    assert seg.rebuild() == seg.source
    assert seg.paragraphs[1].codes["1"]["attrs"] == {"href": "https://example.org/report"}


def test_a_pair_across_two_sentences_stays_one_code_each_side():
    text = f"First {O(1)}bold. Still{C(1)} bold ends."
    seg = segment_blocks([Block("paragraph", text, codes={"1": Mark("b")})])
    assert [s.text for s in seg.segments] == [f"First {O(1)}bold.", f"Still{C(1)} bold ends."]
